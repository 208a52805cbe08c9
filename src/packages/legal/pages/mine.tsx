import { CarePage } from '@/components/care-page'
import { useRequireSession } from '@/components/require-session'
import { MyBookings } from '@/features/legal/components/my-bookings'

/** 我的预约: upcoming and past consultations. */
export default function LegalMinePage() {
  const session = useRequireSession()
  return session ? (
    <CarePage>
      <MyBookings />
    </CarePage>
  ) : null
}
