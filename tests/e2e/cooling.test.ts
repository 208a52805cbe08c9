import assert from 'node:assert/strict'
import fs from 'node:fs'
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

function item(page: Page, name: string) {
  return page.locator('.cooling-item').filter({
    has: page.locator('.cooling-item-name', { hasText: new RegExp(`^${name}$`) }),
  })
}

async function add(page: Page, name: string, times = 1) {
  for (let i = 0; i < times; i++) await item(page, name).locator('.stepper-more').click()
}

/** Confirms Taro's H5 modal (the one that is showing). */
async function confirmModal(page: Page, title: string) {
  const modal = page.locator('.taro__modal').filter({ hasText: title })
  await modal.locator('.taro-model__confirm').click()
}

test('M0003 (四方继保) composes a pack for 若羌, edits it; S0101 closes, downloads and ships; M0003 confirms', async () => {
  // The member opens the cooling pack from home: an open campaign counting down.
  await signIn(member, server.baseUrl, 'M0003')
  await member.locator('.home-tile-cooling').click()
  const card = member.locator('.campaign-card').filter({ hasText: '四方继保' })
  await card.getByText(/^距截止还有 1[34] 天( \d+ 小时)?$/).waitFor()
  await card.getByText('我的礼包：还没有选择').waitFor()
  await card.click()

  // Quota 100, at most 10 pieces: a bottle (40), two 凉茶 (30), one 风油精 (5).
  await member.locator('.campaign-page').getByText('清凉物资', { exact: true }).waitFor()
  await member.locator('.quota-meter-value').getByText('0 / 100').waitFor()
  await member.getByText('已选 0 / 10 件').waitFor()
  await add(member, '喷雾运动水壶', 2)
  await member.locator('.quota-notice').getByText('喷雾运动水壶每份最多 1 件').waitFor()
  await add(member, '凉茶', 2)
  await add(member, '风油精')
  await member.locator('.quota-meter-value').getByText('75 / 100').waitFor()
  await add(member, '防晒棒球帽')
  await member.locator('.quota-notice').getByText('额度不足：还剩 25，防晒棒球帽需要 30').waitFor()
  assert.equal(await item(member, '防晒棒球帽').locator('.stepper-value').textContent(), '0')

  // To the 若羌 project site; a wrong phone number is explained before anything is sent.
  await member.locator('.delivery-kind-site').click()
  await member.locator('.delivery-site').filter({ hasText: '若羌光伏项目部' }).click()
  await member.locator('.delivery-recipient input').fill('张工')
  await member.locator('.delivery-phone input').fill('1231234')
  await member.locator('.pack-submit').click()
  await member.getByText('请填写正确的 11 位手机号码（1 开头，第二位 3–9）').waitFor()
  await member.locator('.delivery-phone input').fill('13912345678')
  await member.locator('.pack-submit').click()
  await member.locator('.pack-saved').waitFor()
  await member.locator('.pack-submit').getByText('保存修改').waitFor()

  // Change it: one 凉茶 less, two 清洁湿巾 more; the server keeps the change.
  await item(member, '凉茶').locator('.stepper-less').click()
  await add(member, '清洁湿巾', 2)
  await member.locator('.quota-meter-value').getByText('70 / 100').waitFor()
  await member.locator('.pack-submit').click()
  await member.getByText('已保存修改').waitFor()
  await member.reload()
  await member.locator('.campaign-page').getByText('清凉物资', { exact: true }).waitFor()
  await member.locator('.quota-meter-value').getByText('70 / 100').waitFor()
  assert.equal(await item(member, '凉茶').locator('.stepper-value').textContent(), '1')
  assert.equal(await item(member, '清洁湿巾').locator('.stepper-value').textContent(), '2')
  assert.equal(
    await member.locator('.delivery-site.is-on .delivery-site-name').textContent(),
    '若羌光伏项目部',
  )

  // 石景山 staff close 四方继保's campaign early: everyone else gets the default pack.
  const staff = await newPhonePage(browser)
  await signIn(staff, server.baseUrl, 'S0101')
  await staff.locator('.home-tile-staff').click()
  await staff.getByText('夏送清凉', { exact: true }).click()
  const campaign = staff.locator('.cooling-campaign').filter({ hasText: '四方继保' })
  await campaign.locator('.cooling-close').click()
  await confirmModal(staff, '提前结束活动')
  const created = await campaign
    .locator('.close-created')
    .getByText(/^活动已结束，已为 \d+ 位未选择的会员生成默认礼包$/)
    .textContent()
  assert.ok(Number(/(\d+)/.exec(created ?? '')?.[1]) > 0, created ?? '')
  await campaign.locator('.cooling-close').waitFor({ state: 'detached' })

  // The packing list: 若羌 with the member's recipient, and the CSV download.
  await campaign.locator('.cooling-packing').click()
  const ruoqiang = staff.locator('.packing-group').filter({ hasText: '若羌光伏项目部' })
  await ruoqiang.getByText('张工 13912345678').waitFor()
  const [download] = await Promise.all([
    staff.waitForEvent('download'),
    staff.locator('.packing-download-csv').click(),
  ])
  assert.match(download.suggestedFilename(), /装箱单\.csv$/)
  const csv = fs.readFileSync((await download.path()) as string, 'utf8')
  const lines = csv.replace(/^\uFEFF/, '').split('\r\n')
  const header = lines[0].split(',')
  assert.deepEqual(header.slice(0, 10), [
    '收货地点',
    '地址',
    '现场收货人',
    '会员号',
    '会员姓名',
    '所在工会',
    '收件人',
    '联系电话',
    '状态',
    '默认礼包',
  ])
  const row = lines.find((l) => l.includes(',M0003,'))?.split(',')
  assert.ok(row, `M0003 in the CSV:\n${csv}`)
  const cell = (name: string) => row[header.indexOf(name)]
  assert.equal(cell('收货地点'), '若羌光伏项目部')
  assert.equal(cell('收件人'), '张工')
  assert.equal(cell('联系电话'), '13912345678')
  assert.equal(cell('默认礼包'), '否')
  assert.equal(cell('喷雾运动水壶'), '1')
  assert.equal(cell('凉茶'), '1')
  assert.equal(cell('清洁湿巾'), '2')
  assert.equal(cell('风油精'), '1')
  assert.equal(cell('防晒棒球帽'), '')
  assert.equal(cell('件数'), '5')
  assert.ok(
    lines.some((l) => l.includes(',是,')),
    'default packs are in the list too',
  )

  // Ship 若羌.
  await ruoqiang.locator('.packing-ship').click()
  await confirmModal(staff, '标记已发货')
  await ruoqiang.getByText('本地点已全部发货').waitFor()
  // Both 若羌 packs (M0008's from the demo data and M0003's) count as shipped.
  await staff
    .locator('.packing-list .cooling-count-shipped .cooling-count-value')
    .getByText('2', { exact: true })
    .waitFor()

  // The member sees the pack read-only, shipped, and confirms receipt.
  await member.reload()
  await member.locator('.pack-summary').waitFor()
  assert.equal(await member.locator('.stepper-more').count(), 0)
  await member.getByText('配送到 若羌光伏项目部').waitFor()
  await member.locator('.pack-status').getByText('已发货').waitFor()
  await member.locator('.pack-receive').click()
  await confirmModal(member, '确认收货')
  await member.locator('.pack-status').getByText('已签收').waitFor()
  assert.equal(await member.locator('.pack-receive').count(), 0)
  assert.equal(await member.locator('.timeline-step.is-done').count(), 3)
})
