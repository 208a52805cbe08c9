import { useRouter } from '@tarojs/taro'
import { useRequireSession } from '@/components/require-session'
import { QrApprove } from '@/features/account/components/qr-approve'

/** 网页版登录确认 (`?ticket=`): opened from 我的 → 扫码登录网页版. */
export default function QrApprovePage() {
  const session = useRequireSession()
  const { params } = useRouter()
  if (!session) return null
  // Tickets are URL-safe base64 (checked before navigating here): no decoding needed.
  return <QrApprove ticket={params.ticket ?? ''} member={session.member} />
}
