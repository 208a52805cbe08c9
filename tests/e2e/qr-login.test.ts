import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, startE2eServer, type E2eServer } from '../support/e2e'

let server: E2eServer
let browser: Browser
let page: Page

before(async () => {
  server = await startE2eServer()
  ;({ browser, page } = await launchBrowser())
})

after(async () => {
  await browser?.close()
  await server?.close()
})

/** M0001 signed in on the mini-program (the demo's dev-login stands in for WeChat here). */
async function memberToken(memberNo: string): Promise<string> {
  const res = await fetch(`${server.baseUrl}/api/v1/auth/dev-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ memberNo }),
  })
  assert.equal(res.status, 200)
  return ((await res.json()) as { token: string }).token
}

test('the H5 page signs in by QR once the member approves it on the mini-program', async () => {
  await page.goto(server.baseUrl)

  // The sign-in page shows the QR of a fresh ticket.
  await page.getByText('微信扫码登录').waitFor()
  const box = page.locator('[data-ticket]')
  await box.waitFor()
  const ticket = await box.getAttribute('data-ticket')
  assert.ok(ticket && ticket.length >= 20, `ticket on the page: ${ticket}`)
  assert.equal(await box.locator('.qr-code').count(), 1)
  assert.equal(
    await box.locator('.qr-code').getAttribute('aria-label'),
    `二维码 uss-login:${ticket}`,
  )

  // What the mini-program shows before approving: which browser asks.
  const read = await fetch(`${server.baseUrl}/api/v1/auth/qr-tickets/${ticket}`)
  assert.equal(read.status, 200)
  const pending = (await read.json()) as { status: string; browser: string; token?: string }
  assert.equal(pending.status, 'pending')
  assert.equal(pending.token, undefined)
  assert.ok(pending.browser.length > 0)

  // The page is still waiting (polling does not sign in by itself).
  await new Promise((r) => setTimeout(r, 2500))
  assert.equal(await page.locator('.home-greeting').count(), 0)

  // M0001 approves on the mini-program.
  const token = await memberToken('M0001')
  const approve = await fetch(`${server.baseUrl}/api/v1/auth/qr-tickets/${ticket}/approve`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  })
  assert.equal(approve.status, 200)
  assert.equal(((await approve.json()) as { status: string }).status, 'approved')

  // The page picks the token up on its next poll and lands home as 张伟.
  await page.getByText('你好，张伟').waitFor()

  // The ticket gave its token once: now it is used.
  const after = await fetch(`${server.baseUrl}/api/v1/auth/qr-tickets/${ticket}`)
  const used = (await after.json()) as { status: string; token?: string }
  assert.equal(used.status, 'used')
  assert.equal(used.token, undefined)

  // The web session survives a reload and shows the member on 我的.
  await page.reload()
  await page.getByText('你好，张伟').waitFor()
  await page.locator('.taro-tabbar__tabbar').getByText('我的').click()
  await page.getByText('M0001').first().waitFor()
})
