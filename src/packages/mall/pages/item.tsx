import { useRouter } from '@tarojs/taro'
import { useRequireSession } from '@/components/require-session'
import { ItemView } from '@/features/mall/components/item-view'

/** One mall item (`?id=`), its confirm sheet and the redemption result. */
export default function MallItemPage() {
  const session = useRequireSession()
  const { params } = useRouter()
  return session ? <ItemView itemId={Number(params.id)} /> : null
}
