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

/** Confirms Taro's H5 modal (the one that is showing). */
async function confirmModal(page: Page, title: string) {
  const modal = page.locator('.taro__modal').filter({ hasText: title })
  await modal.locator('.taro-model__confirm').click()
}

const lawyerNos: Record<string, string> = { 韩律明: 'L0001', 苏婉清: 'L0002' }
const DESCRIPTION = '公司已经两个月没有发工资了，老板说再等等，我想知道该怎么维权。'

test('M0003 books 万达 and sees it; the lawyer reads the description, 石景山 staff do not; M0003 cancels', async () => {
  // The member opens 法律咨询 from home and chooses a topic and the 万达 workstation.
  await signIn(member, server.baseUrl, 'M0003')
  const memberName = (await member.locator('.home-greeting').textContent())?.replace('你好，', '')
  assert.ok(memberName)
  await member.locator('.home-tile-legal').click()
  await member.locator('.legal-topic').filter({ hasText: '工资拖欠' }).click()
  await member.locator('.legal-point').filter({ hasText: '万达广场' }).click()
  await member.locator('.day-chip').first().waitFor()

  // A free slot from tomorrow on (so it is more than 2 hours away and can be cancelled).
  const days = member.locator('.day-chip')
  const dayCount = await days.count()
  let chosenDay = ''
  for (let i = 1; i < dayCount && !chosenDay; i++) {
    await days.nth(i).click()
    const free = member.locator('.slot-chip:not(.is-taken)')
    if ((await free.count()) > 0) {
      chosenDay = (await days.nth(i).locator('.day-chip-date').textContent()) ?? ''
      await free.first().click()
    }
  }
  assert.ok(chosenDay, 'a free slot at 万达 in the next two weeks')
  const chosen =
    (await member.locator('.legal-chosen-time').textContent())?.replace('已选：', '') ?? ''
  assert.ok(chosen.includes(chosenDay), `${chosen} is on ${chosenDay}`)
  const lawyerName = (await member.locator('.legal-chosen .lawyer-name').textContent())?.replace(
    ' 律师',
    '',
  )
  assert.ok(lawyerName && lawyerNos[lawyerName], `a seeded lawyer: ${lawyerName}`)

  // The form: a wrong number is explained; then the booking goes through.
  await member.locator('.legal-next').click()
  await member.locator('.legal-summary-time').getByText(chosen).waitFor()
  await member.getByText('仅你和接待律师可见，工会工作人员看不到').waitFor()
  await member.locator('.legal-phone input').fill('1391234')
  await member.locator('.legal-description textarea').fill(DESCRIPTION)
  await member.locator('.legal-book').click()
  await member.getByText('请填写正确的 11 位手机号码（1 开头，第二位 3–9）').waitFor()
  await member.locator('.legal-phone input').fill('13912345678')
  await member.locator('.legal-book').click()
  await confirmModal(member, '确认预约')

  // The booking page: time, place, lawyer and the description.
  await member.locator('.legal-booked').waitFor()
  const booking = member.locator('.booking-card')
  await booking.locator('.booking-time').getByText(chosen).waitFor()
  await booking
    .getByText(/万达广场/)
    .first()
    .waitFor()
  await booking.getByText(`接待律师：${lawyerName}`).waitFor()
  await booking.getByText(DESCRIPTION).waitFor()
  await booking.locator('.booking-status').getByText('已预约').waitFor()

  // The lawyer sees it on that day, with the member's description and phone.
  const lawyer = await newPhonePage(browser)
  await signIn(lawyer, server.baseUrl, lawyerNos[lawyerName])
  await lawyer.locator('.home-tile-lawyer').click()
  await lawyer.locator('.day-chip').filter({ hasText: chosenDay }).click()
  const mine = lawyer.locator('.lawyer-booking').filter({ hasText: DESCRIPTION })
  await mine.waitFor()
  await mine.getByText(`${memberName} · 13912345678`).waitFor()
  await mine.getByText('工资拖欠').waitFor()

  // 石景山 staff see the booking at their workstation, without the description.
  const staff = await newPhonePage(browser)
  await signIn(staff, server.baseUrl, 'S0101')
  await staff.locator('.home-tile-staff').click()
  await staff.getByText('法律服务', { exact: true }).click()
  await staff.getByText('咨询内容保密，仅会员与律师可见').waitFor()
  const seen = staff.locator('.staff-legal-booking').filter({ hasText: memberName })
  await seen.first().waitFor()
  await seen
    .first()
    .getByText(/工资拖欠/)
    .waitFor()
  assert.equal(await staff.getByText(DESCRIPTION).count(), 0)
  assert.ok(!(await staff.content()).includes('两个月没有发工资'))

  // The member cancels from 我的预约.
  await member.locator('.legal-to-mine').click()
  const upcoming = member.locator('.booking-card').filter({ hasText: chosen })
  await upcoming.locator('.booking-cancel').click()
  await confirmModal(member, '取消预约')
  await upcoming.locator('.booking-status').getByText('已取消').waitFor()
  assert.equal(await upcoming.locator('.booking-cancel').count(), 0)
  await member.getByText('即将进行（0）').waitFor()

  // The slot is free again for others.
  await staff.reload()
  await staff.getByText('咨询内容保密，仅会员与律师可见').waitFor()
  await seen.first().getByText('已取消').waitFor()
})
