import { useRequireSession } from '@/components/require-session'
import { ComingSoon } from '@/components/coming-soon'

/** 联谊活动: entry of the mixer sign-up service. */
export default function EventsPage() {
  const session = useRequireSession()
  return session ? (
    <ComingSoon
      title="联谊活动 · 互送鲜花"
      description="报名多家工会联合举办的青年职工联谊活动，现场分组交流；活动最后每人有 3 朵虚拟鲜花送给心仪的人，互相送花即牵手成功。"
    />
  ) : null
}
