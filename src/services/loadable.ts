import Taro from '@tarojs/taro'
import { errorMessage } from '@/services/http'
import { useSession } from '@/services/session'

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error'

/** What every store that loads from the server keeps next to its data. */
export interface Loadable {
  status: LoadStatus
  error: string | null
}

/** How one store loads. */
export interface LoaderOptions<S> {
  /** A failed refresh (data already on screen) says so in a toast instead of keeping quiet. */
  toast?: boolean
  /**
   * What the data is for (the chosen day, say): loads for another key never share a request, and an
   * answer for a key no longer chosen is dropped.
   */
  key?: (state: S) => unknown
}

/** How one call of a loader behaves. */
export interface LoadOptions {
  /** Keeps data younger than this (ms) instead of asking again; `Infinity`: once per member. */
  maxAgeMs?: number
}

/**
 * A `load()` for a zustand store: concurrent calls share one request; a failed refresh keeps what
 * is on screen (only a first load shows the error); an answer that arrives after the signed-in
 * member (or the key) changed is dropped. `fetch` gets `current()`, true while its answer still
 * counts, for what it hands to other stores.
 */
export function makeLoader<S extends Loadable>(
  set: (partial: Partial<S>) => void,
  get: () => S,
  fetch: (current: () => boolean) => Promise<Partial<S>>,
  options: LoaderOptions<S> = {},
): (load?: LoadOptions) => Promise<void> {
  let inFlight: { token?: string; key: unknown; promise: Promise<void> } | null = null
  let loaded: { token?: string; key: unknown; at: number } | null = null
  const same = (a: { token?: string; key: unknown } | null, token?: string, key?: unknown) =>
    !!a && a.token === token && Object.is(a.key, key)

  return ({ maxAgeMs = 0 } = {}) => {
    const token = useSession.getState().session?.token
    const key = options.key?.(get())
    if (inFlight && same(inFlight, token, key)) return inFlight.promise
    const fresh = loaded && same(loaded, token, key) && Date.now() - loaded.at < maxAgeMs
    if (fresh && get().status === 'ready') return Promise.resolve()
    const startedAt = Date.now()
    const current = () =>
      useSession.getState().session?.token === token && Object.is(options.key?.(get()), key)
    if (get().status !== 'ready') set({ status: 'loading', error: null } as Partial<S>)
    const request = { token, key, promise: Promise.resolve() }
    request.promise = (async () => {
      try {
        const data = await fetch(current)
        if (!current()) return
        set({ ...data, status: 'ready', error: null })
        loaded = { token, key, at: startedAt }
      } catch (e) {
        if (!current()) return
        const message = errorMessage(e)
        if (get().status !== 'ready') set({ status: 'error', error: message } as Partial<S>)
        else if (options.toast) {
          Taro.showToast({ title: message, icon: 'none' }).catch(() => undefined)
        }
      } finally {
        if (inFlight === request) inFlight = null
      }
    })()
    inFlight = request
    return request.promise
  }
}

/** The list with `entry` replacing the one of the same id, or first when it is new. */
export function upsertById<T extends { id: number }>(list: T[], entry: T): T[] {
  return list.some((e) => e.id === entry.id)
    ? list.map((e) => (e.id === entry.id ? entry : e))
    : [entry, ...list]
}
