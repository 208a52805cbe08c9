import { useRequireSession } from '@/components/require-session'
import { ProfileView } from '@/features/profile/components/profile-view'

/** 我的 tab. */
export default function MePage() {
  const session = useRequireSession()
  return session ? <ProfileView member={session.member} /> : null
}
