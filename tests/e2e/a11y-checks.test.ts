// The checks of `npm run audit:a11y` (scripts/a11y-checks.ts) on pages whose faults are known:
// each rule finds what it is for, the 长辈版 thresholds are stricter, and a clean page passes.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { checkPage, type Findings } from '../../scripts/a11y-checks'
import { launchBrowser } from '../support/e2e'

let browser: Browser
let page: Page

before(async () => {
  ;({ browser, page } = await launchBrowser())
})

after(async () => {
  await browser?.close()
})

const FAULTY = `<!doctype html><html lang="zh-CN"><head><meta name="viewport" content="width=device-width,initial-scale=1" /><title>faults</title></head>
<body style="margin:0;font-size:16px;line-height:1.5;color:#1f1f1f;background:#fff">
  <p style="font-size:11px">小字说明</p>
  <p style="font-size:20px;line-height:1.1">行距太紧</p>
  <p>正文十六像素</p>
  <p style="color:#bbbbbb">浅灰文字看不清</p>
  <button style="width:30px;height:30px;font-size:16px">加</button>
  <button style="width:60px;height:60px"></button>
  <div id="view-tap" style="width:30px;height:30px;font-size:16px">减</div>
  <div style="width:24px;font-size:16px"><span>一二三四五六</span></div>
  <div style="width:60px;overflow:hidden;white-space:nowrap;font-size:16px">很长很长很长的文字</div>
  <div style="width:500px;height:10px;background:#eee"></div>
  <script>
    // Taro's H5 components keep their listeners here: a view with onClick.
    document.getElementById('view-tap').__events = { click: [function () {}] }
  </script>
</body></html>`

const CLEAN = `<!doctype html><html lang="zh-CN"><head><meta name="viewport" content="width=device-width,initial-scale=1" /><title>clean</title></head>
<body style="margin:0;padding:16px;font-size:19px;line-height:1.5;color:#1f1f1f;background:#fff">
  <p>一段正文</p>
  <button style="width:160px;height:64px;font-size:19px;line-height:1.5;color:#fff;background:#ad2102;border:0">
    确认
  </button>
</body></html>`

async function check(html: string, care: boolean): Promise<Findings> {
  await page.setContent(html)
  return checkPage(page, care)
}

const has = (lines: string[], pattern: RegExp) =>
  assert.ok(
    lines.some((l) => pattern.test(l)),
    `expected ${pattern} in:\n${lines.join('\n')}`,
  )

test('every rule finds its fault on a page of known faults', async () => {
  const f = await check(FAULTY, false)
  has(f.contrast, /color-contrast/)
  has(f.names, /button-name/)
  has(f.font, /小字说明.* 11 px/)
  has(f.tap, /button «加» 30 × 30/)
  has(f.tap, /«减» 30 × 30/)
  has(f.overflow, /scrolls sideways/)
  has(f.overflow, /一二三四五六.*squeezed/)
  has(f.overflow, /很长很长.*cut off/)
  // The standard look has no 18 px or line-height rule.
  assert.ok(!f.font.some((l) => /正文十六像素|line height/.test(l)), f.font.join('\n'))
})

test('长辈版 holds text to 18 px with line height 1.3 and controls to 60 px', async () => {
  const f = await check(FAULTY, true)
  has(f.font, /正文十六像素.* 16 px/)
  has(f.font, /行距太紧.*line height 1\.1/)
  // 60 × 60 is enough; anything smaller is not.
  assert.ok(!f.tap.some((l) => /60 × 60/.test(l)), f.tap.join('\n'))
  has(f.tap, /button «加» 30 × 30/)
})

test('a page that meets the rules passes in both modes', async () => {
  for (const care of [false, true]) {
    const f = await check(CLEAN, care)
    for (const rule of ['contrast', 'names', 'font', 'tap', 'overflow'] as const)
      assert.deepEqual(f[rule], [], `${rule} (${care ? '长辈版' : 'standard'})`)
  }
})
