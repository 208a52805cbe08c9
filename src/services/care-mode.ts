import Taro from '@tarojs/taro'
import { create } from 'zustand'
import { useSession } from '@/services/session'
import { registerReset } from '@/services/store-reset'

/** Storage key of one member's own 长辈版 choice ('on' | 'off'); absent: follow the font size. */
export function careModeKey(memberId: number): string {
  return `union-care-mode:${memberId}`
}

/** Storage key set once the "your font is enlarged" hint has been shown on this device. */
export const CARE_HINT_KEY = 'union-care-hint-shown'

/**
 * From this font scale up (WeChat's 字体大小 or the browser's text size, 1 = standard), 长辈版 is on
 * unless the member turned it off.
 */
export const LARGE_FONT_SCALE = 1.1

/** The class every member page's top element carries in 长辈版 (see `CarePage`). */
export const CARE_CLASS = 'is-care'

/** H5: the class of the root element in 长辈版, which only the tab bar's styles read. */
export const CARE_ROOT_CLASS = 'is-care-root'

interface CareModeState {
  /** The signed-in member whose choice is loaded, or null when signed out. */
  memberId: number | null
  /** That member's own choice; null until they use the switch (the font size decides). */
  choice: boolean | null
  /** The system font scale: WeChat's on weapp, the browser's default text size on H5. */
  fontScale: number
  /** Turns 长辈版 on or off for the signed-in member, remembered on this device. */
  setCareMode: (on: boolean) => void
  /** Reads the font scale again (on launch and when the app comes back to the front). */
  detectFontScale: () => void
}

function readChoice(memberId: number | null): boolean | null {
  if (memberId === null) return null
  try {
    const raw: unknown = Taro.getStorageSync(careModeKey(memberId))
    return raw === 'on' ? true : raw === 'off' ? false : null
  } catch {
    return null
  }
}

/**
 * The font scale the person chose for their phone. WeChat gives its own 字体大小 as a factor; a
 * browser shows its text-size setting in the size of `medium` (16 px at the standard size).
 */
export function systemFontScale(): number {
  try {
    if (process.env.TARO_ENV === 'weapp') {
      // WeChat's own field (base library 2.23.4+), not in Taro's typings.
      const info: object = Taro.getAppBaseInfo()
      const factor: unknown = 'fontSizeScaleFactor' in info ? info.fontSizeScaleFactor : 1
      return typeof factor === 'number' && factor > 0 ? factor : 1
    }
    if (typeof document === 'undefined' || !document.body) return 1
    const probe = document.createElement('span')
    probe.style.cssText = 'position:absolute;visibility:hidden;font-size:medium'
    document.body.appendChild(probe)
    const px = parseFloat(getComputedStyle(probe).fontSize)
    probe.remove()
    return px > 0 ? px / 16 : 1
  } catch {
    return 1
  }
}

/** 长辈版: the member's switch in 我的, or, until they use it, the phone's font size. */
export const useCareModeStore = create<CareModeState>()((set, get) => ({
  memberId: useSession.getState().session?.member.id ?? null,
  choice: readChoice(useSession.getState().session?.member.id ?? null),
  fontScale: systemFontScale(),
  setCareMode: (on) => {
    const { memberId } = get()
    if (memberId === null) return
    try {
      Taro.setStorageSync(careModeKey(memberId), on ? 'on' : 'off')
    } catch {
      // Storage full or unavailable: the choice holds for this launch.
    }
    set({ choice: on })
  },
  detectFontScale: () => {
    const fontScale = systemFontScale()
    if (fontScale !== get().fontScale) set({ fontScale })
  },
}))

// Forgotten in memory with the rest of the session's data; the stored choice stays for that member.
registerReset(useCareModeStore, {
  initial: () => ({ memberId: null, choice: null, fontScale: systemFontScale() }),
})

// The choice follows whoever is signed in: another member on this device sees their own setting.
useSession.subscribe((state) => {
  const memberId = state.session?.member.id ?? null
  if (memberId !== useCareModeStore.getState().memberId)
    useCareModeStore.setState({ memberId, choice: readChoice(memberId) })
})

/** Whether the system font is enlarged enough to suggest 长辈版. */
export function isLargeFont(fontScale: number): boolean {
  return fontScale >= LARGE_FONT_SCALE
}

/** Whether 长辈版 is on: the member's choice, else on when the system font is enlarged. */
export function careModeOn(state: Pick<CareModeState, 'choice' | 'fontScale'>): boolean {
  return state.choice ?? isLargeFont(state.fontScale)
}

/** Whether the current page is shown in 长辈版 (re-renders when the switch or member changes). */
export function useCareMode(): boolean {
  return useCareModeStore(careModeOn)
}

/**
 * Whether the one-time hint is due: the font is enlarged, the member never used the switch and
 * this device has not shown the hint before. Marks it shown.
 */
export function takeCareHint(): boolean {
  const state = useCareModeStore.getState()
  if (state.memberId === null || state.choice !== null || !isLargeFont(state.fontScale))
    return false
  try {
    if (Taro.getStorageSync(CARE_HINT_KEY)) return false
    Taro.setStorageSync(CARE_HINT_KEY, '1')
  } catch {
    return false
  }
  return true
}
