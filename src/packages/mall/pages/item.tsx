import { useRouter, useShareAppMessage } from '@tarojs/taro'
import { CarePage } from '@/components/care-page'
import { useRequireSession } from '@/components/require-session'
import { ItemView } from '@/features/mall/components/item-view'
import { useMallStore } from '@/features/mall/store'
import { mallUrls } from '@/features/mall/urls'

/** One mall item (`?id=`), its confirm sheet and the redemption result; shareable to a chat. */
export default function MallItemPage() {
  const session = useRequireSession()
  const { params } = useRouter()
  const itemId = Number(params.id)
  // The receiver opens this item (signed out: after sign-in, see goToLogin).
  useShareAppMessage(() => {
    const item = useMallStore.getState().items.find((i) => i.id === itemId)
    return {
      title: item ? `积分商城：${item.name}` : '工会积分商城',
      path: mallUrls.item(itemId),
    }
  })
  return session ? (
    <CarePage>
      <ItemView itemId={itemId} />
    </CarePage>
  ) : null
}
