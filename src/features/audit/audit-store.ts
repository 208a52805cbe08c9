import { create } from 'zustand'
import type { AuditEntry } from '@/contract/audit'
import { listAudit } from '@/services/audit'
import { errorMessage } from '@/services/http'
import { registerReset } from '@/services/store-reset'
import type { LoadStatus } from '@/services/loadable'

/** What the entries are filtered by (empty: no filter). */
export interface AuditFilter {
  /** An area (`legal`) or a whole action. */
  action: string
  /** `YYYY-MM-DD` (Asia/Shanghai), both ends counted. */
  from: string
  to: string
  /** Only this actor (chosen from an entry). */
  actorId: number | null
  actorName: string
}

const noFilter: AuditFilter = { action: '', from: '', to: '', actorId: null, actorName: '' }

interface AuditState {
  filter: AuditFilter
  entries: AuditEntry[]
  next: string | null
  status: LoadStatus
  error: string | null
  /** Loading the next (older) page. */
  more: boolean
  /** Sets the filter (merged) and loads the first page again. */
  setFilter: (change: Partial<AuditFilter>) => Promise<void>
  load: () => Promise<void>
  loadMore: () => Promise<void>
}

function queryOf(f: AuditFilter, cursor?: string) {
  return {
    ...(f.action ? { action: f.action } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(f.actorId !== null ? { actorId: f.actorId } : {}),
    ...(cursor ? { cursor } : {}),
  }
}

/** 操作记录: the audit log pages, newest first, with the filter. */
export const useAuditStore = create<AuditState>()((set, get) => ({
  filter: noFilter,
  entries: [],
  next: null,
  status: 'idle',
  error: null,
  more: false,
  setFilter: async (change) => {
    set({ filter: { ...get().filter, ...change } })
    await get().load()
  },
  load: async () => {
    const filter = get().filter
    set({ status: 'loading', error: null })
    try {
      const page = await listAudit(queryOf(filter))
      // A newer filter may have been set meanwhile: keep only the answer of the current one.
      if (get().filter !== filter) return
      set({ entries: page.entries, next: page.next, status: 'ready' })
    } catch (e) {
      if (get().filter !== filter) return
      set({ status: 'error', error: errorMessage(e) })
    }
  },
  loadMore: async () => {
    const { next, filter, more } = get()
    if (!next || more) return
    set({ more: true })
    try {
      const page = await listAudit(queryOf(filter, next))
      if (get().filter !== filter) return
      set({ entries: [...get().entries, ...page.entries], next: page.next, more: false })
    } catch (e) {
      set({ more: false, error: errorMessage(e) })
    }
  },
}))

registerReset(useAuditStore)
