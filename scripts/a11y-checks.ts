// The checks `npm run audit:a11y` runs in each page (scripts/audit-a11y.ts), kept apart so that
// tests/e2e/a11y-checks.test.ts can prove on a page of known faults that each of them finds them.
import path from 'node:path'
import type { Page } from 'playwright-core'

const AXE = path.resolve(__dirname, '..', 'node_modules', 'axe-core', 'axe.min.js')

/** The rules of the audit's table, in its column order. */
export const RULES = ['contrast', 'names', 'font', 'tap', 'overflow'] as const
export type Rule = (typeof RULES)[number]
/** What each rule found on one page (one line per fault); `seen` counts what was checked. */
export type Findings = Record<Rule, string[]> & { seen?: string }

/** axe-core rules about names (the contrast rule is counted on its own). */
export const NAME_RULES = [
  'button-name',
  'link-name',
  'image-alt',
  'input-button-name',
  'input-image-alt',
  'label',
  'select-name',
  'role-img-alt',
  'svg-img-alt',
  'aria-command-name',
  'aria-input-field-name',
  'aria-toggle-field-name',
  'aria-meter-name',
  'aria-progressbar-name',
  'aria-required-attr',
  'aria-valid-attr-value',
  'aria-valid-attr',
  'aria-roles',
]

/**
 * The checks run inside the page (a string, so no compiler helper leaks into the browser).
 * Returns findings for font, tap and overflow.
 */
export const IN_PAGE_CHECKS = `(care) => {
  const W = document.documentElement.clientWidth
  const out = { font: [], tap: [], overflow: [] }
  let texts = 0
  const shown = (el) =>
    el.checkVisibility({ opacityProperty: true, visibilityProperty: true }) &&
    el.getClientRects().length > 0
  const label = (el) => {
    const cls = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).slice(0, 2).join('.') : ''
    const text = (el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 14)
    return el.tagName.toLowerCase() + cls + (text ? ' «' + text + '»' : '')
  }
  const px = (n) => Math.round(n * 10) / 10
  function* ancestors(el) {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) yield a
  }

  // Text: size, line height, beyond the screen, cut off, squeezed.
  const minFont = care ? 18 : 12
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim()
    if (!text) continue
    const el = node.parentElement
    if (!el || el.closest('script,style,noscript,head') || !shown(el)) continue
    const range = document.createRange()
    range.selectNodeContents(node)
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0)
    if (!rects.length) continue
    texts++
    const s = getComputedStyle(el)
    const fs = parseFloat(s.fontSize)
    const lh = s.lineHeight === 'normal' ? fs * 1.2 : parseFloat(s.lineHeight)
    if (fs < minFont - 0.05) out.font.push(label(el) + ' ' + px(fs) + ' px')
    if (care && lh < 1.3 * fs - 0.05) out.font.push(label(el) + ' line height ' + px(lh / fs))
    // A strip that scrolls sideways is fine in the standard look; 长辈版 shows everything at once.
    const scrolls = !care && [...ancestors(el)].some((a) => /auto|scroll/.test(getComputedStyle(a).overflowX))
    const beyond = !scrolls && rects.find((r) => r.right > W + 1 || r.left < -1)
    if (beyond)
      out.overflow.push(label(el) + ' runs past the screen (' + Math.round(beyond.left) + '–' +
        Math.round(beyond.right) + ' px)')
    // Text spilling out of the box around it (a chip, a card, a button).
    let box = el
    while (box.parentElement && getComputedStyle(box).display.startsWith('inline')) box = box.parentElement
    const b = box.getBoundingClientRect()
    const spill = rects.find((r) => r.right > b.right + 1 || r.left < b.left - 1)
    if (spill && !beyond) out.overflow.push(label(el) + ' spills out of its box ' + label(box))
    const chars = [...text].length
    if (chars >= 3 && rects.length >= 2 && rects.every((r) => r.width < fs * 2.2))
      out.overflow.push(label(el) + ' squeezed to one character a line')
  }
  // Text cut off by its box.
  for (const el of document.body.querySelectorAll('*')) {
    if (!el.childNodes.length || ![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue
    if (!shown(el)) continue
    const s = getComputedStyle(el)
    if (s.overflowX === 'visible' && s.overflowY === 'visible') continue
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
      out.overflow.push(label(el) + ' text cut off')
  }

  // Tap targets: controls, ARIA widgets and anything with a click handler.
  const targets = new Set(document.querySelectorAll(
    'taro-button-core,button,a[href],taro-input-core,taro-textarea-core,taro-picker-core,' +
    'taro-switch-core,taro-checkbox-core,taro-radio-core,taro-navigator-core,' +
    'input:not([type=hidden]),textarea,select,[role=button],[role=switch],[role=checkbox],' +
    '[role=radio],[role=tab],[role=link],.weui-tabbar__item'))
  // Taro's H5 components keep their listeners in __events; plain elements have React's props.
  for (const el of document.body.querySelectorAll('*')) {
    const events = el.__events
    const key = Object.keys(el).find((k) => k.startsWith('__reactProps$'))
    const props = key ? el[key] : null
    if ((events && (events.click || events.tap)) || (props && (props.onClick || props.onTap)))
      targets.add(el)
  }
  const minTap = care ? 60 : 44
  for (const el of targets) {
    // The native control inside one of Taro's components: the component is the target.
    if (/^(input|textarea|button)$/i.test(el.tagName) &&
        el.parentElement && el.parentElement.closest('[class*=taro-],taro-input-core,taro-textarea-core,taro-button-core') &&
        [...targets].some((t) => t !== el && t.contains(el))) continue
    if (!shown(el)) continue
    const r = el.getBoundingClientRect()
    if (r.width < minTap - 0.5 || r.height < minTap - 0.5)
      out.tap.push(label(el) + ' ' + px(r.width) + ' × ' + px(r.height) + ' px')
  }

  // Horizontal overflow of the page and of boxes.
  const page = document.scrollingElement || document.documentElement
  if (page.scrollWidth > W + 1) out.overflow.push('the page scrolls sideways (' + page.scrollWidth + ' px)')
  for (const el of document.body.querySelectorAll('*')) {
    if (!shown(el)) continue
    const r = el.getBoundingClientRect()
    if (r.width === 0 || (r.right <= W + 1 && r.left >= -1)) continue
    let clipped = false
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX
      if (ox !== 'visible') { clipped = true; break }
    }
    if (clipped) continue
    const parent = el.parentElement && el.parentElement.getBoundingClientRect()
    if (parent && (parent.right > W + 1 || parent.left < -1)) continue
    out.overflow.push(label(el) + ' reaches past the screen (' + Math.round(r.left) + '–' + Math.round(r.right) + ' px)')
  }
  for (const k of Object.keys(out)) out[k] = [...new Set(out[k])]
  return { ...out, seen: texts + ' texts, ' + targets.size + ' targets' }
}`

/**
 * Headless Chromium here has no Chinese font: it draws each Chinese character as a box 0.37 em
 * wide, where a phone's font takes 1 em, so text would look far narrower than it is. This face
 * gives those characters DejaVu Sans's missing-glyph box (0.6 em) scaled to 1 em, and nothing
 * else (unicode-range), so widths, wrapping and overflow come out as on a phone.
 */
const CJK_WIDTH_CSS = `
@font-face {
  font-family: 'audit-cjk-width';
  src: local('DejaVu Sans');
  unicode-range: U+2E80-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF;
  size-adjust: 166.7%;
  /* Heights as a Chinese font's (about 1.1 em), after the scaling above. */
  ascent-override: 53%;
  descent-override: 13%;
  line-gap-override: 0%;
}
body, body * {
  font-family: 'audit-cjk-width', -apple-system, BlinkMacSystemFont, 'Helvetica Neue', Arial,
    sans-serif !important;
}`

interface AxeResult {
  violations: { id: string; nodes: { target: string[]; failureSummary?: string }[] }[]
}

/**
 * Runs every check on the page as it is now: axe-core (contrast and names) and the in-page checks
 * (font, tap, overflow), with the 长辈版 thresholds when `care` is set.
 */
export async function checkPage(page: Page, care: boolean): Promise<Findings> {
  await page.addStyleTag({ content: CJK_WIDTH_CSS })
  await page.evaluate('document.fonts.ready')
  await page.addScriptTag({ path: AXE })
  const axe = (await page.evaluate(`axe.run(document, {
    runOnly: { type: 'rule', values: ${JSON.stringify(['color-contrast', ...NAME_RULES])} },
    resultTypes: ['violations'],
  })`)) as AxeResult
  const { seen, ...own } = (await page.evaluate(`(${IN_PAGE_CHECKS})(${care})`)) as Omit<
    Findings,
    'contrast' | 'names'
  > & { seen: string }
  const findings: Findings = { contrast: [], names: [], ...own, seen }
  for (const v of axe.violations) {
    const rule: Rule = v.id === 'color-contrast' ? 'contrast' : 'names'
    for (const n of v.nodes) {
      const why = (n.failureSummary ?? '').split('\n').slice(1, 2).join(' ').trim()
      findings[rule].push(`${v.id}: ${n.target.join(' ')}${why ? ` — ${why}` : ''}`)
    }
  }
  return findings
}
