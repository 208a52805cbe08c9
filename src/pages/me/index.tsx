import { CarePage } from '@/components/care-page'
import { useRequireSession } from '@/components/require-session'
import { ProfileView } from '@/features/profile/components/profile-view'

/** 我的 tab. */
export default function MePage() {
  const session = useRequireSession()
  return session ? (
    <CarePage>
      <ProfileView member={session.member} />
    </CarePage>
  ) : null
}
