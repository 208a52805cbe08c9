import { CarePage } from '@/components/care-page'
import { useRequireSession } from '@/components/require-session'
import { MallView } from '@/features/mall/components/mall-view'

/** 积分商城: the item list. */
export default function MallPage() {
  const session = useRequireSession()
  return session ? (
    <CarePage>
      <MallView />
    </CarePage>
  ) : null
}
