import { useRequireSession } from '@/components/require-session'
import { PointsView } from '@/features/points/components/points-view'

/** 积分 tab. */
export default function PointsPage() {
  const session = useRequireSession()
  return session ? <PointsView /> : null
}
