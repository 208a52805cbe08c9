import { RequireRole } from '@/components/require-role'
import { StatsDashboard } from '@/features/stats/components/stats-dashboard'

/** 数据看板 (staff): a union's figures over a period, as charts and an .xlsx. */
export default function StatsPage() {
  return (
    <RequireRole roles={['staff', 'admin']}>
      {(member) => <StatsDashboard member={member} />}
    </RequireRole>
  )
}
