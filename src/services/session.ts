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

let redirecting = false

/** Storage key of the page a signed-out visit asked for (a shared link, a message). */
const RETURN_KEY = 'union-return-to'

/** Routes of the tab pages: sign-in lands on home anyway, no need to come back to them. */
const TAB_ROUTES = ['pages/home/index', 'pages/points/index', 'pages/me/index']

/**
 * The page on top as a URL (`/packages/mall/pages/item?id=3`), or null when it is a tab page,
 * the sign-in page, or there is none (H5 before the router starts).
 */
function currentPageUrl(): string | null {
  const top = Taro.getCurrentPages().at(-1) as
    { route?: string; options?: Record<string, string | undefined> } | undefined
  const route = top?.route?.replace(/^\/+/, '')
  if (!route || TAB_ROUTES.includes(route) || `/${route}` === LOGIN_PAGE) return null
  const query = Object.entries(top?.options ?? {})
    .filter((e): e is [string, string] => typeof e[1] === 'string' && !e[0].startsWith('$'))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&')
  return query ? `/${route}?${query}` : `/${route}`
}

/** Whether the page on top is the sign-in page already. */
function onLoginPage(): boolean {
  const top = Taro.getCurrentPages().at(-1) as { route?: string } | undefined
  return `/${top?.route?.replace(/^\/+/, '') ?? ''}` === LOGIN_PAGE
}

/**
 * Opens the sign-in page as the only page. Several callers may ask at once (every mounted tab
 * page and the HTTP client see the sign-out): the first wins, the others are ignored until it
 * has landed, and once there nobody opens it again. Unless the member signed out on purpose
 * (`remember: false`), the page they were on is kept, and sign-in brings them back to it
 * (`takeReturnUrl`).
 */
export function goToLogin({ remember = true }: { remember?: boolean } = {}): void {
  if (redirecting) return
  try {
    if (onLoginPage()) return
  } catch {
    // No page yet (H5 before its router starts): go on.
  }
  redirecting = true
  try {
    // The mini-program only: links into it come from shares and messages (H5 keeps its flow).
    const url = remember && process.env.TARO_ENV === 'weapp' ? currentPageUrl() : null
    if (url) Taro.setStorageSync(RETURN_KEY, url)
    else Taro.removeStorageSync(RETURN_KEY)
  } catch {
    // Storage unavailable: sign-in lands on home.
  }
  Taro.reLaunch({ url: LOGIN_PAGE })
    .catch(() => undefined)
    .finally(() => {
      redirecting = false
    })
}

/** The page a signed-out visit asked for, once (it is forgotten on reading); null if none. */
export function takeReturnUrl(): string | null {
  try {
    const url: unknown = Taro.getStorageSync(RETURN_KEY)
    Taro.removeStorageSync(RETURN_KEY)
    return typeof url === 'string' && url.startsWith('/') ? url : null
  } catch {
    return null
  }
}

/** Whether the member holds any of the given roles. */
export function hasRole(m: Member | null | undefined, ...wanted: Role[]): boolean {
  return !!m && m.roles.some((r) => wanted.includes(r))
}
