import { CarePage } from '@/components/care-page'
import { useRequireSession } from '@/components/require-session'
import { HomeView } from '@/features/home/components/home-view'

/** 首页 tab. */
export default function HomePage() {
  const session = useRequireSession()
  return session ? (
    <CarePage>
      <HomeView member={session.member} />
    </CarePage>
  ) : null
}
