import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, newPhonePage, signIn, startE2eServer, type E2eServer } from '../support/e2e'

let server: E2eServer
let browser: Browser
let member: Page

before(async () => {
  server = await startE2eServer()
  ;({ browser, page: member } = await launchBrowser())
})

after(async () => {
  await browser?.close()
  await server?.close()
})

test('M0001 redeems 酸梅汤, S0001 hands it out by its code, M0001 sees 已领取', async () => {
  // The member opens the mall from home and redeems two bottles.
  await signIn(member, server.baseUrl, 'M0001')
  await member.locator('.home-tile-mall').click()
  const balanceBefore = Number(
    await member.locator('.mall-head .mall-balance-value').getByText(/^\d+$/).textContent(),
  )
  await member.locator('.mall-item').filter({ hasText: '酸梅汤' }).click()
  await member.getByText('老北京风味酸梅汤', { exact: false }).waitFor()
  await member.getByText('中关村科学城工会').first().waitFor()
  await member.locator('.item-redeem').click()
  await member.locator('.redeem-sheet').waitFor()
  await member.locator('.stepper-more').click()
  await member.locator('.sheet-total').getByText('40 积分').waitFor()
  await member.getByText(`兑换后剩余 ${balanceBefore - 40} 积分`).waitFor()
  await member.locator('.redeem-confirm').click()

  await member.getByText('兑换成功').waitFor()
  const shown = (await member.locator('.pickup-code-value').textContent())?.trim() ?? ''
  assert.match(shown, /^[2-9A-Z]{4} [2-9A-Z]{4}$/, `pickup code in two groups, got "${shown}"`)
  const code = shown.replace(/\s/g, '')
  // The QR code is drawn with views: rows of dark and light runs.
  assert.ok((await member.locator('.qr-code-row').count()) >= 21)
  await member.locator('.redeem-result').getByText('中关村科学城工会').waitFor()

  // Union staff on another phone verify the code at the desk.
  const staff = await newPhonePage(browser)
  await signIn(staff, server.baseUrl, 'S0001')
  await staff.locator('.home-tile-staff').click()
  await staff.getByText('核销提货').click()
  const codeInput = staff.locator('.pickup-code-input input')
  await codeInput.waitFor()
  await codeInput.fill(code.toLowerCase().replace(/^(.{4})/, '$1 '))
  await staff.locator('.pickup-lookup').click()
  await staff.locator('.pickup-order').getByText('酸梅汤 × 2').waitFor()
  await staff.getByText('张伟（M0001）').waitFor()
  await staff.locator('.pickup-order').getByText('待领取').waitFor()
  await staff.locator('.pickup-fulfil').click()
  await staff.getByText('核销成功').waitFor()
  await staff.getByText('酸梅汤 × 2 已交给 张伟').waitFor()
  assert.equal(await codeInput.inputValue(), '')

  // The same code a second time: already handed out.
  await codeInput.fill(code)
  await staff.locator('.pickup-lookup').click()
  await staff.getByText(/该提货码已于 .* 核销，不能重复领取/).waitFor()
  assert.equal(await staff.locator('.pickup-fulfil').count(), 0)

  // The member's 我的兑换 shows the order as picked up, without a cancel button.
  await member.locator('.result-orders').click()
  const order = member.locator('.order').filter({ hasText: '酸梅汤 × 2' })
  await order.locator('.order-status').getByText('已领取', { exact: true }).waitFor()
  assert.equal(await order.locator('.order-cancel').count(), 0)
})
