// `npm run audit:a11y`: every member page of the built H5 app (dist-h5/), served by the real server
// with the demo data, in headless Chromium at 390 × 844, signed in as demo members, in the standard
// look and in 长辈版. axe-core checks contrast and names; checks of its own, run in the page, check
// font sizes and line height of every text on screen, the size of every tap target and horizontal
// overflow. Prints a table page × mode × rule → violations, then the details; exits 1 on any.
//
// Rules (CSS px on the 390 px wide screen), after the national 适老化 rules for mobile apps:
//   contrast  axe color-contrast: 4.5 : 1, 3 : 1 for large text (both modes)
//   names     axe: buttons, links, images, form fields and ARIA widgets have an accessible name
//   font      长辈版: every text ≥ 18 px with line height ≥ 1.3; standard: every text ≥ 12 px
//   tap       every tap target ≥ 44 × 44 px; in 长辈版 ≥ 60 × 60 px
//   overflow  nothing reaches past the screen's sides, no text is cut off or squeezed to one
//             character a line
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import {
  launchBrowser,
  newPhonePage,
  signIn,
  startE2eServer,
  type E2eServer,
} from '../tests/support/e2e'
import { checkPage, RULES, type Findings } from './a11y-checks'

/**
 * standard: the usual look; care: 长辈版 turned on with the switch on 我的; large-font: a phone
 * whose browser text size is 137.5 % and whose member never used the switch — 长辈版 must come on
 * by itself, after the one-time hint (checked with the 长辈版 rules).
 */
type Mode = 'standard' | 'care' | 'large-font'
const MODES: Mode[] = ['standard', 'care', 'large-font']
/** The browser's default text size on the large-font phone (16 px is the standard). */
const LARGE_FONT_PX = 22
/** One member page to audit: who looks at it and where it is. */
interface AuditPage {
  name: string
  member: string
  path: string
  /** How the member gets there when the page needs earlier steps (default: open its URL). */
  open?: (page: Page, base: string) => Promise<void>
}

/** The booking form as a member reaches it: topic, place and a free time chosen first. */
async function openBookingForm(page: Page, base: string): Promise<void> {
  await page.goto('about:blank')
  await page.goto(`${base}/#/packages/legal/pages/index`)
  await page.locator('.legal-topic').first().click()
  await page.locator('.legal-point').first().click()
  await page.locator('.slot-chip:not(.is-taken)').first().click()
  await page.locator('.legal-next:not(.is-disabled)').click()
  await page.locator('.legal-phone').waitFor()
}

interface Demo {
  itemId: number
  campaignId: number
  eventId: number
  bookingId: number
}

async function api<T>(
  base: string,
  method: string,
  url: string,
  token?: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${base}/api/v1${url}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(method === 'POST' ? { 'idempotency-key': crypto.randomUUID() } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${text.slice(0, 200)}`)
  return JSON.parse(text) as T
}

async function tokenOf(base: string, memberNo: string): Promise<string> {
  const { token } = await api<{ token: string }>(base, 'POST', '/auth/dev-login', undefined, {
    memberNo,
  })
  return token
}

/** A local date in Asia/Shanghai, `days` from today. */
function shanghaiDate(days: number): string {
  const d = new Date(Date.now() + 8 * 3600_000 + days * 86_400_000)
  return d.toISOString().slice(0, 10)
}

/**
 * Gives the pages something to show, through the same API the app uses: M0003 redeems an item
 * (我的兑换 with a pickup code) and books a lawyer (the booking page); M0141 signs up for the mixer.
 */
async function prepareDemo(base: string): Promise<Demo> {
  const member = await tokenOf(base, 'M0003')
  const { items } = await api<{ items: { id: number; pointsCost: number; stock: number }[] }>(
    base,
    'GET',
    '/mall/items',
    member,
  )
  const { balance } = await api<{ balance: number }>(base, 'GET', '/points', member)
  const item = items.find((i) => i.stock > 0 && i.pointsCost <= balance)
  if (!item) throw new Error('no item M0003 can redeem in the demo data')
  await api(base, 'POST', '/mall/orders', member, { itemId: item.id, quantity: 1 })

  const { campaigns } = await api<{ campaigns: { id: number }[] }>(
    base,
    'GET',
    '/cooling/campaigns',
    member,
  )
  if (!campaigns[0]) throw new Error('no cooling campaign for M0003 in the demo data')

  const { topics } = await api<{ topics: { id: number }[] }>(base, 'GET', '/legal/topics', member)
  const { slots } = await api<{ slots: { id: string; available: boolean }[] }>(
    base,
    'GET',
    `/legal/slots?from=${shanghaiDate(1)}&to=${shanghaiDate(14)}`,
    member,
  )
  const slot = slots.find((s) => s.available)
  if (!slot || !topics[0]) throw new Error('no free legal slot in the next two weeks')
  const { booking } = await api<{ booking: { id: number } }>(
    base,
    'POST',
    '/legal/bookings',
    member,
    {
      slotId: slot.id,
      topicId: topics[0].id,
      phone: '13800138000',
      description: '公司拖欠两个月工资，想咨询如何申请劳动仲裁。',
    },
  )

  const single = await tokenOf(base, 'M0141')
  const { events } = await api<{ events: { id: number; title: string }[] }>(
    base,
    'GET',
    '/events',
    single,
  )
  const mixer = events.find((e) => e.title.includes('运河')) ?? events[0]
  if (!mixer) throw new Error('no event in the demo data')
  await api(base, 'POST', `/events/${mixer.id}/signup`, single, {
    profile: { nickname: '运河骑士', gender: 'male', birthYear: 1994, intro: '喜欢骑车和摄影' },
  })

  // Staff check them in: the rounds and flowers pages show a checked-in member's view.
  const staff = await tokenOf(base, 'S0001')
  const { member: singleMember } = await api<{ member: { id: number } }>(base, 'GET', '/me', single)
  await api(base, 'POST', `/staff/events/${mixer.id}/checkins`, staff, {
    memberId: singleMember.id,
  }).catch((e: Error) => console.log(`(the mixer is shown before check-in: ${e.message})`))

  return { itemId: item.id, campaignId: campaigns[0].id, eventId: mixer.id, bookingId: booking.id }
}

function pagesOf(demo: Demo): AuditPage[] {
  const m = 'M0003'
  const single = 'M0141'
  return [
    { name: '首页', member: m, path: '/pages/home/index' },
    { name: '积分', member: m, path: '/pages/points/index' },
    { name: '我的', member: m, path: '/pages/me/index' },
    { name: '积分商城', member: m, path: '/packages/mall/pages/index' },
    { name: '商品详情', member: m, path: `/packages/mall/pages/item?id=${demo.itemId}` },
    { name: '我的兑换', member: m, path: '/packages/mall/pages/orders' },
    { name: '清凉礼包', member: m, path: '/packages/cooling/pages/index' },
    {
      name: '礼包选择',
      member: m,
      path: `/packages/cooling/pages/campaign?id=${demo.campaignId}`,
    },
    { name: '联谊活动', member: single, path: '/packages/events/pages/index' },
    { name: '活动详情', member: single, path: `/packages/events/pages/event?id=${demo.eventId}` },
    { name: '轮次分组', member: single, path: `/packages/events/pages/rounds?id=${demo.eventId}` },
    { name: '送花', member: single, path: `/packages/events/pages/flowers?id=${demo.eventId}` },
    { name: '法律服务', member: m, path: '/packages/legal/pages/index' },
    { name: '填写预约', member: m, path: '/packages/legal/pages/book', open: openBookingForm },
    {
      name: '预约详情',
      member: m,
      path: `/packages/legal/pages/booking?id=${demo.bookingId}`,
    },
    { name: '我的预约', member: m, path: '/packages/legal/pages/mine' },
  ]
}

/** Waits until the page shows its content: no skeleton or loading state, requests settled. */
async function settle(page: Page, care: boolean): Promise<void> {
  await page
    .locator(care ? '.care-page.is-care:visible' : '.care-page:not(.is-care):visible')
    .first()
    .waitFor()
  await page.waitForLoadState('networkidle')
  await page.waitForFunction(
    `![...document.querySelectorAll('.skeleton, .state-loading, .taro_page_shade')].some((e) =>
      e.checkVisibility())`,
    undefined,
    { timeout: 15_000 },
  )
  // Taro's page transition: wait until no page is still moving in.
  await page.waitForFunction(`[...document.querySelectorAll('.taro_page')].every((p) => {
    const s = getComputedStyle(p)
    return s.transform === 'none' || s.display === 'none'
  })`)
}

async function auditPage(page: Page, base: string, target: AuditPage, care: boolean) {
  if (target.open) await target.open(page, base)
  else {
    await page.goto('about:blank')
    await page.goto(`${base}/#${target.path}`)
  }
  await settle(page, care)
  return checkPage(page, care)
}

/** Turns 长辈版 on or off with the switch on 我的, as the member would. */
async function setCareMode(page: Page, base: string, on: boolean): Promise<void> {
  await page.goto('about:blank')
  await page.goto(`${base}/#/pages/me/index`)
  const toggle = page.locator('.care-switch')
  await toggle.waitFor()
  if ((await toggle.getAttribute('aria-checked')) !== String(on)) await toggle.click()
  await page.locator(`.care-switch[aria-checked="${on}"]`).waitFor()
}

function printTable(
  pages: AuditPage[],
  results: Map<string, Findings>,
): { total: number; details: string[] } {
  const width = (s: string) => [...s].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)
  const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)))
  const header = [pad('page', 12), pad('mode', 11), ...RULES.map((r) => pad(r, 9)), 'checked'].join(
    ' ',
  )
  console.log(header)
  console.log('-'.repeat(width(header)))
  let total = 0
  const details: string[] = []
  for (const p of pages) {
    for (const mode of MODES) {
      const f = results.get(`${p.name}|${mode}`)
      const cells = RULES.map((r) => {
        if (!f) return pad('error', 9)
        total += f[r].length
        for (const d of f[r]) details.push(`${p.name} · ${mode} · ${r}: ${d}`)
        return pad(String(f[r].length), 9)
      })
      if (!f) total += 1
      console.log([pad(p.name, 12), pad(mode, 11), ...cells, f?.seen ?? ''].join(' '))
    }
  }
  return { total, details }
}

async function main(): Promise<void> {
  let server: E2eServer | undefined
  let browser: Browser | undefined
  const errors: string[] = []
  // `AUDIT_SCREENSHOTS=dir`: a full-page screenshot of every page in every mode, to look at.
  const shots = process.env.AUDIT_SCREENSHOTS
  if (shots) fs.mkdirSync(shots, { recursive: true })
  try {
    server = await startE2eServer()
    const base = server.baseUrl
    const demo = await prepareDemo(base)
    // `AUDIT_ONLY=首页,我的`: just those pages (while fixing them); `npm test` audits all.
    const only = process.env.AUDIT_ONLY?.split(',').filter(Boolean)
    const pages = pagesOf(demo).filter((p) => !only?.length || only.includes(p.name))
    let first: Page
    ;({ browser, page: first } = await launchBrowser())
    const members = [...new Set(pages.map((p) => p.member))]
    // One phone per member, each signed in on the H5 sign-in form.
    const phones = new Map<string, Page>()
    for (const memberNo of members) {
      const phone = phones.size === 0 ? first : await newPhonePage(browser)
      await signIn(phone, base, memberNo)
      phones.set(memberNo, phone)
    }
    const results = new Map<string, Findings>()
    for (const mode of MODES) {
      if (mode === 'large-font') {
        // Fresh phones with the large text size: nothing stored, so the font decides.
        for (const memberNo of members) {
          const phone = await newPhonePage(browser)
          const cdp = await phone.context().newCDPSession(phone)
          await cdp.send('Page.setFontSizes', { fontSizes: { standard: LARGE_FONT_PX } })
          await signIn(phone, base, memberNo)
          try {
            await phone.getByText('已为您换成长辈版').waitFor()
            await phone.locator('.taro-modal__foot').getByText('好的', { exact: true }).click()
          } catch {
            errors.push(`${memberNo} · large-font: no 长辈版 hint on first start`)
          }
          phones.set(memberNo, phone)
        }
      } else {
        for (const [, phone] of phones) await setCareMode(phone, base, mode === 'care')
      }
      for (const target of pages) {
        const phone = phones.get(target.member)
        if (!phone) continue
        try {
          const found = await auditPage(phone, base, target, mode !== 'standard')
          results.set(`${target.name}|${mode}`, found)
          if (shots) {
            await phone.screenshot({
              path: path.join(
                shots,
                `${target.path.split('?')[0].replace(/\//g, '_')}-${mode}.png`,
              ),
              fullPage: true,
            })
          }
        } catch (e) {
          if (shots) {
            await phone
              .screenshot({ path: path.join(shots, `failed-${target.name}-${mode}.png`) })
              .catch(() => undefined)
          }
          // eslint-disable-next-line no-control-regex
          const lines = (e as Error).message.replace(/\u001b\[\d+m/g, '').split('\n')
          const what = lines.find((l) => l.includes('waiting for'))?.trim() ?? ''
          errors.push(`${target.name} · ${mode}: ${lines[0]} ${what}`)
        }
      }
    }
    const { total, details } = printTable(pages, results)
    if (details.length) console.log(`\n${details.join('\n')}`)
    if (errors.length) console.log(`\nfailed:\n${errors.join('\n')}`)
    const all = total + errors.length
    console.log(
      `\n${pages.length} pages × ${MODES.length} modes: ${all} violation${all === 1 ? '' : 's'}`,
    )
    process.exitCode = all > 0 ? 1 : 0
  } finally {
    await browser?.close()
    await server?.close()
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
