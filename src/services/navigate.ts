import Taro from '@tarojs/taro'
import { isOffline } from '@/services/network'

/** Said when a page cannot open because its code is not on the device and the network is gone. */
export const NAV_OFFLINE_MESSAGE = '网络不可用，稍后再试'

/**
 * What must be downloaded to open a page: on weapp its subpackage (all its pages come together),
 * on H5 the page's own chunk. Main-package pages (the tabs, sign-in) are always there: null.
 */
function codeUnit(url: string): string | null {
  const path = url.replace(/^\/+/, '').split('?')[0]
  if (!path.startsWith('packages/')) return null
  return process.env.TARO_ENV === 'h5' ? path : path.split('/').slice(0, 2).join('/')
}

/** Code units this launch has opened (so their code is on the device). */
const loaded = new Set<string>()

function noteOpenPages(): void {
  try {
    for (const page of Taro.getCurrentPages() as { route?: string }[]) {
      const unit = page.route ? codeUnit(page.route) : null
      if (unit) loaded.add(unit)
    }
  } catch {
    // No pages yet.
  }
}

function say(title: string): void {
  Taro.showToast({ title, icon: 'none', duration: 2500 }).catch(() => undefined)
}

/** How a page is opened: pushed (default), in place of the current one, or a tab. */
export type OpenHow = 'navigate' | 'redirect' | 'tab'

/**
 * Opens a page. Offline, a page whose code is not on the device yet is not attempted (on H5 the
 * address would change and leave a blank screen): the person is told and stays where they are.
 * Resolves true when the page opened.
 */
export async function openPage(url: string, how: OpenHow = 'navigate'): Promise<boolean> {
  noteOpenPages()
  const unit = codeUnit(url)
  if (unit && !loaded.has(unit) && isOffline()) {
    say(NAV_OFFLINE_MESSAGE)
    return false
  }
  try {
    if (how === 'tab') await Taro.switchTab({ url })
    else if (how === 'redirect') await Taro.redirectTo({ url })
    else await Taro.navigateTo({ url })
    if (unit) loaded.add(unit)
    return true
  } catch {
    // The subpackage could not be downloaded (weapp), or the network went while it loaded.
    say(isOffline() ? NAV_OFFLINE_MESSAGE : '页面没有打开，请稍后再试')
    return false
  }
}
