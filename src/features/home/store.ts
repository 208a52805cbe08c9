import Taro from '@tarojs/taro'
import { create } from 'zustand'
import type { PointsSummary } from '@/contract/points'
import { me } from '@/services/auth'
import { errorMessage } from '@/services/http'
import { getPoints } from '@/services/points'
import { useSession } from '@/services/session'

interface HomeState {
  points: PointsSummary | null
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
  /** When the last successful load started (ms since epoch). */
  loadedAt: number
  /**
   * Loads the balance and the member afresh; concurrent calls share one request. With `minAgeMs`,
   * data younger than that is kept (a page shown right after its first load skips a second one).
   */
  load: (options?: { minAgeMs?: number }) => Promise<void>
}

let inFlight: Promise<void> | null = null

/** Home screen data: the points summary; the member itself lives in the session store. */
export const useHomeStore = create<HomeState>()((set, get) => ({
  points: null,
  status: 'idle',
  error: null,
  loadedAt: 0,
  load: ({ minAgeMs = 0 } = {}) => {
    if (inFlight) return inFlight
    const { points, loadedAt } = get()
    if (minAgeMs && points && Date.now() - loadedAt < minAgeMs) return Promise.resolve()
    const startedAt = Date.now()
    if (!points) set({ status: 'loading', error: null })
    inFlight = (async () => {
      try {
        const token = useSession.getState().session?.token
        const [summary, fresh] = await Promise.all([getPoints(), me()])
        if (useSession.getState().session?.token !== token) return // signed out meanwhile
        useSession.getState().updateMember(fresh.member)
        set({ points: summary, status: 'ready', error: null, loadedAt: startedAt })
      } catch (e) {
        const message = errorMessage(e)
        // Keep showing what we have; a refresh failure is only a toast then.
        if (get().points) Taro.showToast({ title: message, icon: 'none' }).catch(() => undefined)
        else set({ status: 'error', error: message })
      } finally {
        inFlight = null
      }
    })()
    return inFlight
  },
}))

// Another member may sign in on this device: never show them the previous member's data.
useSession.subscribe((state, previous) => {
  if (state.session?.token !== previous.session?.token) {
    useHomeStore.setState({ points: null, status: 'idle', error: null, loadedAt: 0 })
  }
})
