import { useRouter } from '@tarojs/taro'
import { CarePage } from '@/components/care-page'
import { useRequireSession } from '@/components/require-session'
import { BookingView } from '@/features/legal/components/booking-view'

/** One consultation booking (`?id=`, `&new=1` right after booking). */
export default function LegalBookingPage() {
  const session = useRequireSession()
  const { params } = useRouter()
  return session ? (
    <CarePage>
      <BookingView bookingId={Number(params.id)} isNew={params.new === '1'} />
    </CarePage>
  ) : null
}
