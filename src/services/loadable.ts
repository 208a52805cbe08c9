import type { StoreApi } from 'zustand'
import { errorMessage } from '@/services/http'
import { useSession } from '@/services/session'

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error'

/** What every store that loads from the server keeps next to its data. */
export interface Loadable {
  status: LoadStatus
  error: string | null
}

/**
 * A `load()` for a zustand store: concurrent calls share one request; a failed refresh keeps what
 * is on screen (only a first load shows the error); an answer that arrives after the signed-in
 * member changed is dropped.
 */
export function makeLoader<S extends Loadable>(
  set: (partial: Partial<S>) => void,
  get: () => S,
  fetch: () => Promise<Partial<S>>,
): () => Promise<void> {
  let inFlight: Promise<void> | null = null
  return () => {
    if (inFlight) return inFlight
    if (get().status !== 'ready') set({ status: 'loading', error: null } as Partial<S>)
    inFlight = (async () => {
      try {
        const token = useSession.getState().session?.token
        const data = await fetch()
        if (useSession.getState().session?.token !== token) return
        set({ ...data, status: 'ready', error: null })
      } catch (e) {
        if (get().status !== 'ready') set({ status: 'error', error: errorMessage(e) } as Partial<S>)
      } finally {
        inFlight = null
      }
    })()
    return inFlight
  }
}

/** Puts a store back to `initial` whenever the signed-in member changes (sign-out, switch). */
export function resetOnSessionChange<S>(store: StoreApi<S>, initial: Partial<S>): void {
  useSession.subscribe((state, previous) => {
    if (state.session?.token !== previous.session?.token) store.setState(initial)
  })
}

/** The list with `entry` replacing the one of the same id, or first when it is new. */
export function upsertById<T extends { id: number }>(list: T[], entry: T): T[] {
  return list.some((e) => e.id === entry.id)
    ? list.map((e) => (e.id === entry.id ? entry : e))
    : [entry, ...list]
}
