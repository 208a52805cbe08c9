import { CarePage } from '@/components/care-page'
import { useRequireSession } from '@/components/require-session'
import { OrdersView } from '@/features/mall/components/orders-view'

/** 我的兑换. */
export default function MallOrdersPage() {
  const session = useRequireSession()
  return session ? (
    <CarePage>
      <OrdersView />
    </CarePage>
  ) : null
}
