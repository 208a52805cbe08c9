import { useRequireSession } from '@/components/require-session'
import { StaffTools } from '@/features/staff/components/staff-tools'

/** 工会干部: the staff tool list. */
export default function StaffPage() {
  const session = useRequireSession()
  return session ? <StaffTools member={session.member} /> : null
}
