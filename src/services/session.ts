import Taro from '@tarojs/taro'
import { create } from 'zustand'
import { member, type Member, type Role } from '@/contract/auth'
import { resetAllStores } from '@/services/store-reset'

const STORAGE_KEY = 'union-session'

/** Path of the sign-in page, where every signed-out visit ends. */
export const LOGIN_PAGE = '/pages/login/index'

/** The signed-in member and their bearer token, kept in Taro storage across launches. */
export interface Session {
  token: string
  member: Member
}

interface SessionState {
  session: Session | null
  /** Stores a fresh session after sign-in (or an updated member after GET /me). */
  signIn: (session: Session) => void
  /** Replaces the stored member, keeping the token. */
  updateMember: (member: Member) => void
  /** Forgets the token and member, in memory and in storage; every registered store starts over. */
  signOut: () => void
}

function readStoredSession(): Session | null {
  try {
    const raw: unknown = Taro.getStorageSync(STORAGE_KEY)
    if (!raw || typeof raw !== 'object') return null
    const { token, member: stored } = raw as { token?: unknown; member?: unknown }
    const parsed = member.safeParse(stored)
    if (typeof token !== 'string' || !token || !parsed.success) return null
    return { token, member: parsed.data }
  } catch {
    return null
  }
}

function writeStoredSession(session: Session | null): void {
  try {
    if (session) Taro.setStorageSync(STORAGE_KEY, session)
    else Taro.removeStorageSync(STORAGE_KEY)
  } catch {
    // Storage full or unavailable: the session still lives in memory for this launch.
  }
}

/** The one session store; the HTTP client reads the token from it. */
export const useSession = create<SessionState>()((set, get) => ({
  session: readStoredSession(),
  signIn: (session) => {
    // Another member on this device: never show them the previous member's data.
    if (get().session?.token !== session.token) resetAllStores()
    writeStoredSession(session)
    set({ session })
  },
  updateMember: (updated) => {
    const current = get().session
    if (!current) return
    const session = { token: current.token, member: updated }
    writeStoredSession(session)
    set({ session })
  },
  signOut: () => {
    resetAllStores()
    writeStoredSession(null)
    set({ session: null })
  },
}))

let redirectingSince = 0

/**
 * Opens the sign-in page as the only page. Several callers may ask at once (every mounted tab
 * page and the HTTP client see the sign-out); the first one in a second wins.
 */
export function goToLogin(): void {
  const now = Date.now()
  if (now - redirectingSince < 1000) return
  redirectingSince = now
  Taro.reLaunch({ url: LOGIN_PAGE }).catch(() => undefined)
}

/** Whether the member holds any of the given roles. */
export function hasRole(m: Member | null | undefined, ...wanted: Role[]): boolean {
  return !!m && m.roles.some((r) => wanted.includes(r))
}
