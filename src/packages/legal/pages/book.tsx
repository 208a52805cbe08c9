import { CarePage } from '@/components/care-page'
import { useRequireSession } from '@/components/require-session'
import { BookingForm } from '@/features/legal/components/booking-form'

/** 填写预约信息: contact phone and the problem, then 确认预约. */
export default function LegalBookPage() {
  const session = useRequireSession()
  return session ? (
    <CarePage>
      <BookingForm />
    </CarePage>
  ) : null
}
