import { create } from 'zustand'
import type { StaffMallItem } from '@/contract/mall'
import { listStaffItems } from '@/services/mall'
import { makeLoader, upsertById, type Loadable } from '@/services/loadable'
import { registerReset } from '@/services/store-reset'

interface StaffItemsState extends Loadable {
  items: StaffMallItem[]
  load: () => Promise<void>
  /** Puts a created or edited item in the list at once. */
  upsert: (item: StaffMallItem) => void
}

/** 商品管理: the items of the unions the staff member manages. */
export const useStaffItemsStore = create<StaffItemsState>()((set, get) => ({
  items: [],
  status: 'idle',
  error: null,
  load: makeLoader(set, get, async () => ({ items: await listStaffItems() })),
  upsert: (item) => set({ items: upsertById(get().items, item) }),
}))

registerReset(useStaffItemsStore)
