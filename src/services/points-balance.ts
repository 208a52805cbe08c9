import { create } from 'zustand'
import type { PointsSummary } from '@/contract/points'
import { makeLoader, type Loadable, type LoadOptions } from '@/services/loadable'
import { getPoints } from '@/services/points'
import { registerReset } from '@/services/store-reset'

interface PointsBalanceState extends Loadable {
  /** The balance and the points about to expire, as the server last said. */
  summary: PointsSummary | null
  /** Asks the server again (after a redemption or a cancelled order, say). */
  load: (options?: LoadOptions) => Promise<void>
  /** Takes a summary another load fetched alongside its own data (home, mall, 积分). */
  put: (summary: PointsSummary) => void
}

/**
 * The member's points balance, one copy for the whole app: home, the mall (and its confirm sheet)
 * and the 积分 tab all read it, so they agree as soon as any of them or a redemption refreshes it.
 */
export const usePointsBalance = create<PointsBalanceState>()((set, get) => ({
  summary: null,
  status: 'idle',
  error: null,
  load: makeLoader(set, get, async () => ({ summary: await getPoints() })),
  put: (summary) => set({ summary, status: 'ready', error: null }),
}))

registerReset(usePointsBalance)
