import { CarePage } from '@/components/care-page'
import { useRequireSession } from '@/components/require-session'
import { PointsView } from '@/features/points/components/points-view'

/** 积分 tab. */
export default function PointsPage() {
  const session = useRequireSession()
  return session ? (
    <CarePage>
      <PointsView />
    </CarePage>
  ) : null
}
