import Taro from '@tarojs/taro'
import type { ZodType } from 'zod'
import { useSession } from '@/services/session'
import { registerForget } from '@/services/store-reset'

/**
 * What this device keeps for the signed-in member, in the app's own storage and nowhere else:
 * copies of what pages last loaded (shown when the network is gone) and drafts of what the member
 * typed. Both are per member, bounded in size and count, and forgotten on sign-out or when another
 * member signs in on this device.
 */
type Shelf = 'kept' | 'draft'

/** Most entries a shelf holds over all members; the least recently written go first. */
const MAX_ENTRIES: Record<Shelf, number> = { kept: 24, draft: 16 }
/** Largest entry, in characters of JSON (WeChat allows 1 MB a key, 10 MB in all). */
const MAX_CHARS: Record<Shelf, number> = { kept: 200_000, draft: 20_000 }

const indexKey = (shelf: Shelf) => `union-${shelf}-index`

function memberId(): number | null {
  return useSession.getState().session?.member.id ?? null
}

function entryKey(shelf: Shelf, member: number, name: string): string {
  return `union-${shelf}:${member}:${name}`
}

function readIndex(shelf: Shelf): string[] {
  try {
    const raw: unknown = Taro.getStorageSync(indexKey(shelf))
    return Array.isArray(raw) ? raw.filter((k): k is string => typeof k === 'string') : []
  } catch {
    return []
  }
}

function writeIndex(shelf: Shelf, keys: string[]): void {
  try {
    Taro.setStorageSync(indexKey(shelf), keys)
  } catch {
    // Storage unavailable: the entries themselves say what is kept.
  }
}

function remove(key: string): void {
  try {
    Taro.removeStorageSync(key)
  } catch {
    // Nothing to do: it stays until the next write over it.
  }
}

function put(shelf: Shelf, name: string, value: unknown): void {
  const member = memberId()
  if (member === null) return
  const key = entryKey(shelf, member, name)
  let size: number
  try {
    size = JSON.stringify(value).length
  } catch {
    return
  }
  if (size > MAX_CHARS[shelf]) {
    remove(key)
    return
  }
  const keys = [key, ...readIndex(shelf).filter((k) => k !== key)]
  for (const old of keys.splice(MAX_ENTRIES[shelf])) remove(old)
  try {
    Taro.setStorageSync(key, value)
    writeIndex(shelf, keys)
  } catch {
    // Storage full: drop the oldest half and keep going without this copy.
    for (const old of keys.splice(Math.ceil(keys.length / 2))) remove(old)
    writeIndex(
      shelf,
      keys.filter((k) => k !== key),
    )
  }
}

function get(shelf: Shelf, name: string): unknown {
  const member = memberId()
  if (member === null) return undefined
  try {
    const raw: unknown = Taro.getStorageSync(entryKey(shelf, member, name))
    return raw === '' ? undefined : raw
  } catch {
    return undefined
  }
}

function drop(shelf: Shelf, name: string): void {
  const member = memberId()
  if (member === null) return
  const key = entryKey(shelf, member, name)
  remove(key)
  writeIndex(
    shelf,
    readIndex(shelf).filter((k) => k !== key),
  )
}

/** Forgets everything on both shelves (sign-out, another member on this device). */
export function forgetDevice(): void {
  for (const shelf of ['kept', 'draft'] as const) {
    const keys = new Set(readIndex(shelf))
    try {
      // Entries an interrupted write left out of the index go too.
      for (const k of Taro.getStorageInfoSync().keys) {
        if (k.startsWith(`union-${shelf}:`)) keys.add(k)
      }
    } catch {
      // The index is all we know.
    }
    for (const key of keys) remove(key)
    remove(indexKey(shelf))
  }
}

registerForget(forgetDevice)

/** A copy of loaded data and when it was loaded. */
export interface KeptCopy {
  /** When the data was loaded (ms since epoch). */
  at: number
  data: unknown
}

/** Keeps what a page loaded (`name`: what it is, e.g. `mall`), with the time it was loaded. */
export function keepCopy(name: string, data: unknown, at = Date.now()): void {
  put('kept', name, { at, data })
}

/** The copy kept under `name` for the signed-in member, or null. */
export function keptCopy(name: string): KeptCopy | null {
  const raw = get('kept', name) as { at?: unknown; data?: unknown } | undefined
  if (!raw || typeof raw !== 'object' || typeof raw.at !== 'number') return null
  return { at: raw.at, data: raw.data }
}

/** Keeps a draft (what the member typed or chose); `null` forgets it. */
export function saveDraft(name: string, value: unknown): void {
  if (value === null || value === undefined) drop('draft', name)
  else put('draft', name, value)
}

/**
 * The draft kept under `name` for the signed-in member if it still fits `schema` (an older build
 * may have written it), else null.
 */
export function readDraft<T>(name: string, schema: ZodType<T>): T | null {
  const raw = get('draft', name)
  if (raw === undefined) return null
  const parsed = schema.safeParse(raw)
  return parsed.success ? parsed.data : null
}

/** Forgets the draft kept under `name`. */
export function dropDraft(name: string): void {
  drop('draft', name)
}
