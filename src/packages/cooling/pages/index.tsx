import { useRequireSession } from '@/components/require-session'
import { ComingSoon } from '@/components/coming-soon'

/** 清凉大礼包: entry of the summer cooling pack service. */
export default function CoolingPage() {
  const session = useRequireSession()
  return session ? (
    <ComingSoon
      title="夏送清凉 · 清凉大礼包"
      description="在工会给出的额度内，自选喷雾运动水壶、防晒棒球帽、凉茶等清凉物资，组成你的私人定制大礼包，可到工会自提，也可配送到你所在的项目工地。"
    />
  ) : null
}
