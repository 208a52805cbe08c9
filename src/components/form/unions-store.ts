import { create } from 'zustand'
import type { Union } from '@/contract/org'
import { makeLoader, type Loadable } from '@/services/loadable'
import { listUnions } from '@/services/org'
import { registerReset } from '@/services/store-reset'

interface UnionsState extends Loadable {
  unions: Union[]
  /** Loads the union tree. */
  load: () => Promise<void>
  /** Adds a union the server just created, so pickers and the tree show it at once. */
  addUnion: (union: Union) => void
}

/**
 * The unions the signed-in staff member may see, flat: the union pickers of every staff form and the
 * admin's organisation tree share it, so a union created there shows in every picker at once.
 */
export const useUnionsStore = create<UnionsState>()((set, get) => ({
  unions: [],
  status: 'idle',
  error: null,
  load: makeLoader(set, get, async () => ({ unions: await listUnions() })),
  addUnion: (union) => set({ unions: [...get().unions.filter((u) => u.id !== union.id), union] }),
}))

registerReset(useUnionsStore)
