import { RequireRole } from '@/components/require-role'
import { LawyerDay } from '@/features/legal/components/lawyer-day'

/** 律师工作台: the signed-in lawyer's consultations by day. */
export default function LawyerPage() {
  return <RequireRole roles={['lawyer']}>{() => <LawyerDay />}</RequireRole>
}
