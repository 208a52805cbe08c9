import { create } from 'zustand'
import type { Union } from '@/contract/org'
import { errorMessage } from '@/services/http'
import { useSession } from '@/services/session'
import { listUnions } from '@/services/org'

interface OrgState {
  unions: Union[]
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
  /** Loads the union tree. */
  load: () => Promise<void>
  /** Adds a union the server just created, so pickers and the tree show it at once. */
  addUnion: (union: Union) => void
}

/** The union tree for the admin's organisation page. */
export const useOrgStore = create<OrgState>()((set, get) => ({
  unions: [],
  status: 'idle',
  error: null,
  load: async () => {
    if (get().status === 'loading') return
    set({ status: 'loading', error: null })
    try {
      set({ unions: await listUnions(), status: 'ready' })
    } catch (e) {
      set({ status: 'error', error: errorMessage(e) })
    }
  },
  addUnion: (union) => set({ unions: [...get().unions.filter((u) => u.id !== union.id), union] }),
}))

// Another member may sign in on this device: never show them the previous member's data.
useSession.subscribe((state, previous) => {
  if (state.session?.token !== previous.session?.token) {
    useOrgStore.setState({ unions: [], status: 'idle', error: null })
  }
})
