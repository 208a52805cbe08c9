import { JSDOM } from 'jsdom'

/**
 * The DOM that miniprogram-simulate and j-component render into: one jsdom window whose classes
 * become Node's globals. Must run before `miniprogram-simulate` is loaded (it reads `window` and
 * registers the built-in components at load). Node's own `Event`/`CustomEvent` belong to another
 * realm than jsdom's nodes, so jsdom's replace them.
 */
export function installDom(): void {
  if ((globalThis as { __weappDom?: boolean }).__weappDom) return
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
    url: 'https://servicewechat.com/',
  })
  const g = globalThis as unknown as Record<string, unknown>
  const win = dom.window as unknown as Record<string, unknown>
  g.window = dom.window
  for (const key of [
    'document',
    'Node',
    'Element',
    'HTMLElement',
    'DocumentFragment',
    'Text',
    'Comment',
    'MutationObserver',
    'getComputedStyle',
    'Event',
    'CustomEvent',
    'TouchEvent',
  ]) {
    g[key] = win[key]
  }
  // Node 20 has no `navigator` of its own; later versions do, and keep theirs.
  if (g.navigator === undefined) g.navigator = win.navigator
  ;(globalThis as { __weappDom?: boolean }).__weappDom = true
}
