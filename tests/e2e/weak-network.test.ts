import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, newPhonePage, signIn, startE2eServer, type E2eServer } from '../support/e2e'

let server: E2eServer
let browser: Browser

before(async () => {
  server = await startE2eServer()
  ;({ browser } = await launchBrowser())
})

after(async () => {
  await browser?.close()
  await server?.close()
})

/** A member's token from the demo's dev sign-in, to count their orders through the API. */
async function memberToken(memberNo: string): Promise<string> {
  const res = await fetch(`${server.baseUrl}/api/v1/auth/dev-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ memberNo }),
  })
  assert.equal(res.status, 200)
  return ((await res.json()) as { token: string }).token
}

/** The member's orders of one item, as the server has them. */
async function ordersOf(token: string, itemName: string): Promise<number> {
  const res = await fetch(`${server.baseUrl}/api/v1/mall/orders`, {
    headers: { authorization: `Bearer ${token}` },
  })
  assert.equal(res.status, 200)
  const { orders } = (await res.json()) as { orders: { itemName: string }[] }
  return orders.filter((o) => o.itemName === itemName).length
}

/**
 * Waits until the page of `route` has finished sliding in: going back while it still moves
 * leaves Taro's H5 router showing the page underneath shaded.
 */
async function settled(page: Page, route: string): Promise<void> {
  await page.locator(`.taro_page.taro_page_stationed[id^="${route}"]`).waitFor()
}

/** A 2G-like link for this page: 400 kbit/s each way, 2 s round trip (Chromium's emulation). */
async function slowLink(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 2000,
    downloadThroughput: 50_000,
    uploadThroughput: 50_000,
  })
}

test('on a 400 kbit/s link with 2 s round trips: a splash at once, then sign-in and a redemption', async () => {
  const token = await memberToken('M0001')
  const before = await ordersOf(token, '酸梅汤')
  const page = await newPhonePage(browser)
  // Every step waits for what a person would see, however long the link takes.
  page.setDefaultTimeout(120_000)
  await slowLink(page)

  await page.goto(server.baseUrl, { waitUntil: 'commit' })
  // The page's own HTML paints the splash before any script has arrived.
  await page.locator('#boot-splash').getByText('工会服务站').waitFor()
  const input = page.locator('input[placeholder*="会员号"]')
  await input.waitFor()
  // …and it goes as soon as the first page is there.
  await page.locator('#boot-splash').waitFor({ state: 'detached' })
  await input.fill('M0001')
  await page.locator('.login-submit').click()
  await page.locator('.home-greeting').waitFor()

  await page.locator('.home-tile-mall').click()
  await page.locator('.mall-item').filter({ hasText: '酸梅汤' }).click()
  await page.locator('.item-redeem').click()
  await page.locator('.redeem-sheet').waitFor()
  await page.locator('.redeem-confirm').click()
  await page.getByText('兑换成功').waitFor()
  assert.match((await page.locator('.pickup-code-value').textContent()) ?? '', /^\w{4} \w{4}$/)

  assert.equal(await ordersOf(token, '酸梅汤'), before + 1)
  await page.context().close()
})

/** The member's bookings with `description`, as the server has them: [status, …]. */
async function bookingsWith(token: string, description: string): Promise<string[]> {
  const res = await fetch(`${server.baseUrl}/api/v1/legal/bookings`, {
    headers: { authorization: `Bearer ${token}` },
  })
  assert.equal(res.status, 200)
  const { bookings } = (await res.json()) as {
    bookings: { status: string; description: string }[]
  }
  return bookings.filter((b) => b.description === description).map((b) => b.status)
}

test('on a 400 kbit/s link with 2 s round trips: a lawyer booked once (topic, slot, phone, description)', async () => {
  const DESCRIPTION = '工地上摔伤了腰，单位不给报工伤，我想知道怎么申请工伤认定。'
  const token = await memberToken('M0003')
  assert.deepEqual(await bookingsWith(token, DESCRIPTION), [])
  const page = await newPhonePage(browser)
  page.setDefaultTimeout(120_000)
  const posts: (string | undefined)[] = []
  page.on('request', (req) => {
    if (req.method() === 'POST' && req.url().endsWith('/api/v1/legal/bookings')) {
      posts.push(req.headers()['idempotency-key'])
    }
  })
  await slowLink(page)

  await page.goto(server.baseUrl, { waitUntil: 'commit' })
  const input = page.locator('input[placeholder*="会员号"]')
  await input.waitFor()
  await input.fill('M0003')
  await page.locator('.login-submit').click()
  await page.locator('.home-greeting').waitFor()

  // Topic and place, then the first free time the page offers (it offers none too soon).
  await page.locator('.home-tile-legal').click()
  await page.locator('.legal-topic').filter({ hasText: '工伤认定' }).click()
  await page.locator('.legal-point').filter({ hasText: '万达广场' }).click()
  await page.locator('.day-chip').first().waitFor()
  const days = page.locator('.day-chip')
  const dayCount = await days.count()
  let chosen = ''
  for (let i = 0; i < dayCount && !chosen; i++) {
    await days.nth(i).click()
    await page.locator('.slot-chip, .slot-none').first().waitFor()
    const free = page.locator('.slot-chip:not(.is-taken)')
    if ((await free.count()) > 0) {
      await free.first().click()
      chosen = (await page.locator('.legal-chosen-time').textContent())?.replace('已选：', '') ?? ''
    }
  }
  assert.ok(chosen, 'a free slot at 万达 in the days offered')

  // Phone and description, then the booking, confirmed once.
  await page.locator('.legal-next').click()
  await page.locator('.legal-summary-time').getByText(chosen).waitFor()
  await page.locator('.legal-phone input').fill('13912345678')
  await page.locator('.legal-description textarea').fill(DESCRIPTION)
  await page.locator('.legal-book').click()
  await page
    .locator('.taro__modal')
    .filter({ hasText: '确认预约' })
    .locator('.taro-model__confirm')
    .click()

  // The booking page, with what was typed.
  await page.locator('.legal-booked').waitFor()
  const booking = page.locator('.booking-card')
  await booking.locator('.booking-time').getByText(chosen).waitFor()
  await booking.getByText(DESCRIPTION).waitFor()
  await booking.locator('.booking-status').getByText('已预约').waitFor()

  // Exactly one booking, however many times the slow link made the client send it.
  assert.deepEqual(await bookingsWith(token, DESCRIPTION), ['booked'])
  assert.ok(posts.length >= 1)
  assert.equal(new Set(posts).size, 1, 'one Idempotency-Key for every attempt')
  assert.ok(posts[0])
  await page.context().close()
})

test('offline mid-flow: last-known data with its time, an offline tap stays, a retry orders once', async () => {
  const token = await memberToken('M0001')
  const before = await ordersOf(token, '矿泉水')
  const page = await newPhonePage(browser)
  const context = page.context()
  const posts: { key: string | undefined }[] = []
  page.on('request', (req) => {
    if (req.method() === 'POST' && req.url().endsWith('/api/v1/mall/orders')) {
      posts.push({ key: req.headers()['idempotency-key'] })
    }
  })

  // Online: the mall and an item page are opened once, so their code is on the device.
  await signIn(page, server.baseUrl, 'M0001')
  await page.locator('.home-tile-mall').click()
  await page.locator('.mall-item').filter({ hasText: '矿泉水' }).click()
  await page.locator('.item-redeem').waitFor()
  await settled(page, '/packages/mall/pages/item')
  await page.goBack()
  await page.locator('.mall-item').first().waitFor()
  await settled(page, '/packages/mall/pages/index')
  await page.goBack()
  await page.locator('.home-greeting').waitFor()
  // The mall page is gone (not still sliding out), so the one opened below is the only one.
  await page.locator('.page.mall').waitFor({ state: 'detached' })

  await context.setOffline(true)

  // A page whose code never came: said at once, and the member stays on home with the tab bar.
  const homeUrl = page.url()
  await page.locator('.home-tile-cooling').click()
  await page.getByText('网络不可用，稍后再试').waitFor()
  assert.equal(page.url(), homeUrl)
  assert.ok(await page.locator('.home-greeting').isVisible())
  assert.ok(await page.locator('.taro-tabbar__tabbar').isVisible(), 'the tab bar is still there')
  assert.equal(await page.locator('.taro-tabbar__tabbar-hide').count(), 0)

  // The mall again: what it last loaded, with the notice and the time, not an error page.
  await page.locator('.home-tile-mall').click()
  // (Only the mall's own notice: home, still in the page stack, may show one of its own.)
  await page
    .locator('.page.mall .kept-notice-text')
    .getByText(/^网络不可用，显示的是 \d{1,2}月\d{1,2}日 \d{2}:\d{2} 的数据$/)
    .waitFor()
  await page.locator('.mall-item').filter({ hasText: '矿泉水' }).waitFor()
  assert.equal(await page.locator('.state-error').count(), 0)

  // A redemption offline: said at once, nothing sent, 重试 offered.
  await page.locator('.mall-item').filter({ hasText: '矿泉水' }).click()
  await page.locator('.item-redeem').click()
  await page.locator('.redeem-confirm').click()
  await page.locator('.redeem-error').getByText('网络不可用，请连接网络后重试').waitFor()
  assert.equal(await page.locator('.redeem-confirm').textContent(), '重试')
  assert.equal(posts.length, 0)

  // Back online, the first answer is lost on its way back (the order is made all the same):
  // the client repeats with the same key and the server replays the order.
  let dropped = 0
  await page.route('**/api/v1/mall/orders', async (route) => {
    if (route.request().method() === 'POST' && dropped === 0) {
      dropped++
      await route.fetch()
      await route.abort('connectionreset')
      return
    }
    await route.continue()
  })
  await context.setOffline(false)
  await page.locator('.redeem-confirm').click()
  await page.getByText('兑换成功').waitFor()

  assert.equal(dropped, 1)
  assert.ok(posts.length >= 2, `the order was sent again after the lost answer (${posts.length})`)
  assert.equal(new Set(posts.map((p) => p.key)).size, 1, 'one Idempotency-Key for every attempt')
  assert.ok(posts[0].key)
  assert.equal(await ordersOf(token, '矿泉水'), before + 1, 'exactly one order')
  await context.close()
})
