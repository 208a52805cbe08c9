import { create } from 'zustand'
import { pointsSummary } from '@/contract/points'
import { me } from '@/services/auth'
import { makeLoader, type Loadable, type LoadOptions } from '@/services/loadable'
import { getPoints } from '@/services/points'
import { usePointsBalance } from '@/services/points-balance'
import { useSession } from '@/services/session'
import { registerReset } from '@/services/store-reset'

interface HomeState extends Loadable {
  /**
   * Loads the balance (into the one balance the app shares) and the member afresh; concurrent calls
   * share one request. The first load after launch takes the answers `prefetch()` started.
   */
  load: (options?: LoadOptions) => Promise<void>
}

/** Home screen loading; the balance lives in `usePointsBalance`, the member in the session. */
export const useHomeStore = create<HomeState>()((set, get) => ({
  status: 'idle',
  error: null,
  load: makeLoader(
    set,
    get,
    async (current) => {
      const [summary, fresh] = await Promise.all([getPoints(), me()])
      if (current()) {
        usePointsBalance.getState().put(summary)
        useSession.getState().updateMember(fresh.member)
      }
      return {}
    },
    {
      toast: true,
      // The balance is what home shows of its own; the member is kept by the session.
      keep: {
        name: 'home',
        save: () => usePointsBalance.getState().summary,
        restore: (saved) => {
          const summary = pointsSummary.safeParse(saved)
          if (!summary.success) return null
          usePointsBalance.getState().put(summary.data)
          return {}
        },
      },
    },
  ),
}))

registerReset(useHomeStore)
