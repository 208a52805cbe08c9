import { create } from 'zustand'
import type { StaffMallItem } from '@/contract/mall'
import { errorMessage } from '@/services/http'
import { listStaffItems } from '@/services/mall'
import { useSession } from '@/services/session'

interface StaffItemsState {
  items: StaffMallItem[]
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
  load: () => Promise<void>
  /** Puts a created or edited item in the list at once. */
  upsert: (item: StaffMallItem) => void
}

/** 商品管理: the items of the unions the staff member manages. */
export const useStaffItemsStore = create<StaffItemsState>()((set, get) => ({
  items: [],
  status: 'idle',
  error: null,
  load: async () => {
    if (get().status === 'loading') return
    if (get().status !== 'ready') set({ status: 'loading', error: null })
    try {
      set({ items: await listStaffItems(), status: 'ready', error: null })
    } catch (e) {
      if (get().status !== 'ready') set({ status: 'error', error: errorMessage(e) })
    }
  },
  upsert: (item) => {
    const items = get().items
    set({
      items: items.some((i) => i.id === item.id)
        ? items.map((i) => (i.id === item.id ? item : i))
        : [item, ...items],
    })
  },
}))

useSession.subscribe((state, previous) => {
  if (state.session?.token !== previous.session?.token) {
    useStaffItemsStore.setState({ items: [], status: 'idle', error: null })
  }
})
