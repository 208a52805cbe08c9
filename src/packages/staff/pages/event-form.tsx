import { RequireRole } from '@/components/require-role'
import { EventForm } from '@/features/events/staff/event-form'

/** 新建联谊活动 (staff). */
export default function EventFormPage() {
  return (
    <RequireRole roles={['staff', 'admin']}>
      {(member) => <EventForm member={member} />}
    </RequireRole>
  )
}
