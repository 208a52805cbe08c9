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

test('M0001 signs in, sees home, switches tabs and signs out', async () => {
  await page.goto(server.baseUrl)

  // Without a session the app shows the sign-in screen.
  const input = page.locator('input[placeholder*="会员号"]')
  await input.waitFor()
  await input.fill('M0999')
  await page.locator('.login-submit').click()
  await page.getByText('会员号 M0999 不存在，请核对后重试').waitFor()

  await input.fill('M0001')
  await page.locator('.login-submit').click()

  // Home: the member's name, union and balance, read from the server.
  await page.getByText('你好，张伟').waitFor()
  await page.getByText('小米工会').first().waitFor()
  // The balance shown is the server's.
  const signIn = await fetch(`${server.baseUrl}/api/v1/auth/dev-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ memberNo: 'M0001' }),
  })
  const { token } = (await signIn.json()) as { token: string }
  const points = await fetch(`${server.baseUrl}/api/v1/points`, {
    headers: { authorization: `Bearer ${token}` },
  })
  const { balance } = (await points.json()) as { balance: number }
  assert.ok(balance > 0)
  await page.locator('.home-balance-value').getByText(String(balance), { exact: true }).waitFor()

  // The session survives a reload (kept in storage): still home, no sign-in form.
  await page.reload()
  await page.getByText('你好，张伟').waitFor()
  assert.equal(await page.locator('input[placeholder*="会员号"]').count(), 0)

  // Tabs: 积分 shows the ledger, 我的 shows the member number.
  await page.locator('.taro-tabbar__tabbar').getByText('积分').click()
  await page.getByText('2026 年度会员福利积分').first().waitFor()
  await page.locator('.taro-tabbar__tabbar').getByText('我的').click()
  await page.getByText('M0001').first().waitFor()

  // Sign out (confirmed) → back to the sign-in screen; a reload stays signed out.
  await page.locator('.taro-button-core, taro-button-core').getByText('退出登录').click()
  await page.locator('.taro-modal__foot').getByText('退出').click()
  await page.locator('input[placeholder*="会员号"]').waitFor()
  await page.reload()
  await page.locator('input[placeholder*="会员号"]').waitFor()
})
