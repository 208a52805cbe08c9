import { create } from 'zustand'
import { z } from 'zod'
import { ledgerEntry, pointsSummary, type LedgerEntry } from '@/contract/points'
import { errorMessage } from '@/services/http'
import { makeLoader, type Loadable } from '@/services/loadable'
import { getLedger, getPoints } from '@/services/points'
import { usePointsBalance } from '@/services/points-balance'
import { registerReset } from '@/services/store-reset'

const PAGE_SIZE = 20

interface PointsState extends Loadable {
  entries: LedgerEntry[]
  nextCursor: string | null
  loadingMore: boolean
  moreError: string | null
  /**
   * Reloads the first ledger page and the balance (into the one balance the app shares, which the
   * 积分 tab shows); concurrent calls share one request.
   */
  refresh: () => Promise<void>
  /** Appends the next ledger page, if any. */
  loadMore: () => Promise<void>
}

const keptPoints = z.object({ entries: z.array(ledgerEntry), summary: pointsSummary })

/** 积分 tab: the ledger, paged by cursor; the balance lives in `usePointsBalance`. */
export const usePointsStore = create<PointsState>()((set, get) => ({
  entries: [],
  nextCursor: null,
  status: 'idle',
  error: null,
  loadingMore: false,
  moreError: null,
  refresh: makeLoader(
    set,
    get,
    async (current) => {
      const [summary, page] = await Promise.all([getPoints(), getLedger({ limit: PAGE_SIZE })])
      if (current()) usePointsBalance.getState().put(summary)
      return { entries: page.entries, nextCursor: page.nextCursor, moreError: null }
    },
    {
      toast: true,
      keep: {
        name: 'points',
        save: ({ entries }) => ({ entries, summary: usePointsBalance.getState().summary }),
        restore: (saved) => {
          const kept = keptPoints.safeParse(saved)
          if (!kept.success) return null
          usePointsBalance.getState().put(kept.data.summary)
          // Only the first page is kept: no paging from the kept copy.
          return { entries: kept.data.entries, nextCursor: null, moreError: null }
        },
      },
    },
  ),
  loadMore: async () => {
    const { nextCursor, loadingMore, status } = get()
    if (!nextCursor || loadingMore || status !== 'ready') return
    set({ loadingMore: true, moreError: null })
    try {
      const page = await getLedger({ limit: PAGE_SIZE, cursor: nextCursor })
      const seen = new Set(get().entries.map((e) => e.id))
      set({
        entries: [...get().entries, ...page.entries.filter((e) => !seen.has(e.id))],
        nextCursor: page.nextCursor,
        loadingMore: false,
      })
    } catch (e) {
      set({ loadingMore: false, moreError: errorMessage(e) })
    }
  },
}))

registerReset(usePointsStore)
