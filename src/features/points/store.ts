import Taro from '@tarojs/taro'
import { create } from 'zustand'
import type { LedgerEntry, PointsSummary } from '@/contract/points'
import { errorMessage } from '@/services/http'
import { useSession } from '@/services/session'
import { getLedger, getPoints } from '@/services/points'

const PAGE_SIZE = 20

interface PointsState {
  summary: PointsSummary | null
  entries: LedgerEntry[]
  nextCursor: string | null
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
  loadingMore: boolean
  moreError: string | null
  /** Reloads the summary and the first ledger page; concurrent calls share one request. */
  refresh: () => Promise<void>
  /** Appends the next ledger page, if any. */
  loadMore: () => Promise<void>
}

// Shared by concurrent refreshes (first show and mount both ask for data).
let refreshing: Promise<void> | null = null

/** 积分 tab: balance, expiring points and the ledger, paged by cursor. */
export const usePointsStore = create<PointsState>()((set, get) => ({
  summary: null,
  entries: [],
  nextCursor: null,
  status: 'idle',
  error: null,
  loadingMore: false,
  moreError: null,
  refresh: () => {
    if (refreshing) return refreshing
    if (!get().summary) set({ status: 'loading', error: null })
    refreshing = (async () => {
      try {
        const token = useSession.getState().session?.token
        const [summary, page] = await Promise.all([getPoints(), getLedger({ limit: PAGE_SIZE })])
        if (useSession.getState().session?.token !== token) return // signed out meanwhile
        set({
          summary,
          entries: page.entries,
          nextCursor: page.nextCursor,
          status: 'ready',
          error: null,
          moreError: null,
        })
      } catch (e) {
        const message = errorMessage(e)
        // Keep showing what we have; a failed refresh is only a toast then.
        if (get().summary) Taro.showToast({ title: message, icon: 'none' }).catch(() => undefined)
        else set({ status: 'error', error: message })
      } finally {
        refreshing = null
      }
    })()
    return refreshing
  },
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

// Another member may sign in on this device: never show them the previous member's data.
useSession.subscribe((state, previous) => {
  if (state.session?.token !== previous.session?.token) {
    usePointsStore.setState({
      summary: null,
      entries: [],
      nextCursor: null,
      status: 'idle',
      error: null,
      loadingMore: false,
      moreError: null,
    })
  }
})
