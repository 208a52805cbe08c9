import { authRoutes } from '@/contract/routes/auth'
import { pointsRoutes } from '@/contract/routes/points'
import { prefetch } from '@/services/http'
import { useSession } from '@/services/session'

/** Where the H5 app opens on the home tab: no hash yet, or the home page's route. */
function opensOnHome(): boolean {
  const hash = typeof window === 'undefined' ? '' : window.location.hash
  return hash === '' || hash === '#/' || hash.startsWith('#/pages/home/index')
}

/**
 * With a stored session, starts the home tab's two requests (`/me`, `/points`) at launch, so they
 * travel while the page's code still loads; the home store's first `load()` takes these answers.
 * H5 only, and only when the app opens on home.
 */
export function prefetchSignedInHome(): void {
  if (process.env.TARO_ENV !== 'h5' || !useSession.getState().session || !opensOnHome()) return
  prefetch(authRoutes.me)
  prefetch(pointsRoutes.points)
}
