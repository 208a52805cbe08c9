import Taro from '@tarojs/taro'
import type { ZodType } from 'zod'
import { keepCopy, keptCopy } from '@/services/device-keep'
import { ApiError, errorMessage } from '@/services/http'
import { onReconnect } from '@/services/network'
import { useSession } from '@/services/session'

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error'

/** What every store that loads from the server keeps next to its data. */
export interface Loadable {
  status: LoadStatus
  error: string | null
  /**
   * Set when the last load got no answer (no network, or the server down) and the data shown is
   * older: when it was loaded (ms since epoch). Null or absent when the data is fresh.
   */
  keptAt?: number | null
}

/**
 * How a store keeps a copy of what it loaded on the device, to show when the network is gone.
 * `restore` gets what storage gives back, which an older build may have written: check it.
 */
export interface DeviceCopy<S> {
  /** What the copy is (e.g. `mall`); per member, and per the loader's `key` when it has one. */
  name: string
  /** What to keep after a successful load; by default what `fetch` returned. */
  save?: (fetched: Partial<S>, state: S) => unknown
  /** The state to show from a kept copy; null when it is no longer usable. */
  restore: (saved: unknown) => Partial<S> | null
}

/**
 * A device copy of exactly what `fetch` returns, checked against `schema` when restored (fits
 * `DeviceCopy<S>` of any store whose state `K` is part of).
 */
export function keepAs<K>(
  name: string,
  schema: ZodType<K>,
): { name: string; restore: (saved: unknown) => K | null } {
  return {
    name,
    restore: (saved) => {
      const parsed = schema.safeParse(saved)
      return parsed.success ? parsed.data : null
    },
  }
}

/**
 * Whether a failure means "no answer" (no network, a timeout, the server unreachable or down),
 * where known data is better than an error page; a refusal (4xx) is an answer and is shown.
 */
export function noAnswer(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false
  return error.code === 'NETWORK' || error.status === 0 || error.status >= 500
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
  /**
   * Keeps what was loaded on the device: a load that gets no answer shows the kept copy (with
   * `keptAt`) instead of an error; back online, such a store loads again by itself.
   */
  keep?: DeviceCopy<S>
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
 * counts, for what it hands to other stores. With `keep`, a load without an answer shows what the
 * device kept (first load) or keeps what is shown, and sets `keptAt` either way.
 */
export function makeLoader<S extends Loadable>(
  set: (partial: Partial<S>) => void,
  get: () => S,
  fetch: (current: () => boolean) => Promise<Partial<S>>,
  options: LoaderOptions<S> = {},
): (load?: LoadOptions) => Promise<void> {
  let inFlight: { token?: string; key: unknown; promise: Promise<void> } | null = null
  let loaded: { token?: string; key: unknown; at: number } | null = null
  /** When the data on screen was loaded (from the server, or the kept copy's time). */
  let shown: { token?: string; key: unknown; at: number } | null = null
  const same = (a: { token?: string; key: unknown } | null, token?: string, key?: unknown) =>
    !!a && a.token === token && Object.is(a.key, key)
  const { keep } = options
  const copyName = (key: unknown) =>
    keep ? (key === undefined ? keep.name : `${keep.name}:${String(key)}`) : ''

  const load = ({ maxAgeMs = 0 }: LoadOptions = {}): Promise<void> => {
    const token = useSession.getState().session?.token
    const key = options.key?.(get())
    if (inFlight && same(inFlight, token, key)) return inFlight.promise
    const fresh = loaded && same(loaded, token, key) && Date.now() - loaded.at < maxAgeMs
    if (fresh && get().status === 'ready' && !get().keptAt) return Promise.resolve()
    const startedAt = Date.now()
    const current = () =>
      useSession.getState().session?.token === token && Object.is(options.key?.(get()), key)
    if (get().status !== 'ready') set({ status: 'loading', error: null } as Partial<S>)
    const request = { token, key, promise: Promise.resolve() }
    request.promise = (async () => {
      try {
        const data = await fetch(current)
        if (!current()) return
        set({ ...data, status: 'ready', error: null, keptAt: null })
        loaded = { token, key, at: startedAt }
        shown = { token, key, at: startedAt }
        if (keep) keepCopy(copyName(key), keep.save ? keep.save(data, get()) : data, startedAt)
      } catch (e) {
        if (!current()) return
        const message = errorMessage(e)
        const offline = !!keep && noAnswer(e)
        if (get().status === 'ready') {
          // Known data stays on screen; without an answer the page says how old it is.
          if (offline && same(shown, token, key)) set({ keptAt: shown?.at ?? null } as Partial<S>)
          else if (options.toast) {
            Taro.showToast({ title: message, icon: 'none' }).catch(() => undefined)
          }
          return
        }
        const copy = offline ? keptCopy(copyName(key)) : null
        const restored = copy && keep ? keep.restore(copy.data) : null
        if (copy && restored) {
          set({ ...restored, status: 'ready', error: null, keptAt: copy.at })
          shown = { token, key, at: copy.at }
        } else set({ status: 'error', error: message } as Partial<S>)
      } finally {
        if (inFlight === request) inFlight = null
      }
    })()
    inFlight = request
    return request.promise
  }

  // What was shown from the device is asked for again as soon as the network is back.
  if (keep) {
    onReconnect(() => {
      if (get().keptAt) void load()
    })
  }
  return load
}

/** The list with `entry` replacing the one of the same id, or first when it is new. */
export function upsertById<T extends { id: number }>(list: T[], entry: T): T[] {
  return list.some((e) => e.id === entry.id)
    ? list.map((e) => (e.id === entry.id ? entry : e))
    : [entry, ...list]
}

/** What `fetchKept` gives: the data, and when it was loaded if it is the device's copy. */
export interface KeptResult<T> {
  data: T
  /** Null when the data just came from the server. */
  keptAt: number | null
}

/**
 * For a store with its own `load`: fetches, keeps a copy on the device (`name`, per member), and
 * when no answer comes returns the kept copy (checked against `schema`) with its time instead of
 * failing. Throws what `fetch` threw when there is no usable copy or the server refused.
 */
export async function fetchKept<T>(
  name: string,
  schema: ZodType<T>,
  fetch: () => Promise<T>,
): Promise<KeptResult<T>> {
  const startedAt = Date.now()
  try {
    const data = await fetch()
    keepCopy(name, data, startedAt)
    return { data, keptAt: null }
  } catch (e) {
    const copy = noAnswer(e) ? keptCopy(name) : null
    const parsed = copy ? schema.safeParse(copy.data) : null
    if (copy && parsed?.success) return { data: parsed.data, keptAt: copy.at }
    throw e
  }
}
