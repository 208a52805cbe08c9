import { useEffect } from 'react'
import { goToLogin, useSession, type Session } from '@/services/session'

/**
 * The current session; sends a signed-out visitor to the sign-in page.
 * Pages render nothing of their own while this returns null.
 */
export function useRequireSession(): Session | null {
  const session = useSession((s) => s.session)
  useEffect(() => {
    if (!session) goToLogin()
  }, [session])
  return session
}
