import { create } from 'zustand'
import type { MemberMallItem } from '@/contract/mall'
import { errorMessage } from '@/services/http'
import { listMallItems } from '@/services/mall'
import { getPoints } from '@/services/points'
import { useSession } from '@/services/session'

interface MallState {
  items: MemberMallItem[]
  /** The member's points balance, loaded with the items. */
  balance: number | null
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
  /** Loads the items (fresh stock) and the balance; concurrent calls share one request. */
  load: () => Promise<void>
}

let inFlight: Promise<void> | null = null

/** 积分商城: the items the member may redeem and the points they hold. */
export const useMallStore = create<MallState>()((set, get) => ({
  items: [],
  balance: null,
  status: 'idle',
  error: null,
  load: () => {
    if (inFlight) return inFlight
    if (get().status !== 'ready') set({ status: 'loading', error: null })
    inFlight = (async () => {
      try {
        const token = useSession.getState().session?.token
        const [items, points] = await Promise.all([listMallItems(), getPoints()])
        if (useSession.getState().session?.token !== token) return // signed out meanwhile
        set({ items, balance: points.balance, status: 'ready', error: null })
      } catch (e) {
        // Keep showing what we have after a failed refresh; the page shows the error otherwise.
        if (get().status !== 'ready') set({ status: 'error', error: errorMessage(e) })
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
    useMallStore.setState({ items: [], balance: null, status: 'idle', error: null })
  }
})
