import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, newPhonePage, signIn, startE2eServer, type E2eServer } from '../support/e2e'
import { eventTimesAt } from '../support/events'

let server: E2eServer
let browser: Browser
let he: Page

before(async () => {
  server = await startE2eServer()
  ;({ browser, page: he } = await launchBrowser())
})

after(async () => {
  await browser?.close()
  await server?.close()
})

const MIXER = '爱在运河畔 缘定副中心'

/**
 * The day of the mixer: the organiser moves the seeded event (five days ahead) to a minute ago —
 * what staff do with 修改活动 to demonstrate; check-in opens an hour before the start, groups and
 * flowers after it. Through the API, as S0001.
 */
async function moveMixerToItsDay(baseUrl: string): Promise<void> {
  const login = await fetch(`${baseUrl}/api/v1/auth/dev-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ memberNo: 'S0001' }),
  })
  assert.equal(login.status, 200)
  const { token } = (await login.json()) as { token: string }
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const list = await fetch(`${baseUrl}/api/v1/staff/events`, { headers: auth })
  const { events } = (await list.json()) as { events: Array<{ id: number; title: string }> }
  const mixer = events.find((e) => e.title === MIXER)
  assert.ok(mixer, 'the seeded mixer')
  const moved = await fetch(`${baseUrl}/api/v1/staff/events/${mixer.id}`, {
    method: 'PATCH',
    headers: auth,
    body: JSON.stringify(eventTimesAt('started')),
  })
  assert.equal(moved.status, 200, await moved.text())
}

/** Confirms Taro's H5 modal (showModal) with its confirm button. */
async function confirmModal(page: Page, confirmText: string): Promise<void> {
  await page.locator('.taro-modal__foot').getByText(confirmText, { exact: true }).click()
}

/** Opens the seeded mixer from home and signs up with a profile. */
async function signUp(page: Page, nickname: string, gender: 'male' | 'female'): Promise<void> {
  await page.locator('.home-tile-events').click()
  await page.locator('.event-card').filter({ hasText: MIXER }).click()
  await page.getByText('填写报名资料').waitFor()
  await page.locator('.signup-nickname input').fill(nickname)
  await page.locator(`.signup-gender-${gender}`).click()
  // The year picker opens on 1996 (inside the mixer's 1986–2004): confirm it.
  await page.locator('.signup-birth-year').click()
  await page.locator('.weui-picker__action').getByText('确定').click()
  await page.locator('.signup-birth-year').getByText('1996 年').waitFor()
  await page.locator('.signup-intro textarea').fill(`我是${nickname}，喜欢在运河边骑车`)
  await page.locator('.signup-submit').click()
  await page.locator('.registration-state').getByText('报名成功').waitFor()
}

/** The member's personal check-in code, read from 出示我的签到码. */
async function personalCode(page: Page): Promise<string> {
  await page.locator('.checkin-show-mine').click()
  const shown = (await page.locator('.my-code-value').textContent())?.trim() ?? ''
  assert.ok(shown.length >= 4, `a personal code, got "${shown}"`)
  assert.ok((await page.locator('.my-code .qr-code-row').count()) >= 21)
  return shown.replace(/\s/g, '')
}

/** Opens 送花 from the event page once the member is checked in. */
async function openFlowers(page: Page): Promise<void> {
  await page.reload()
  await page.locator('.registration-state').getByText('已签到').waitFor()
  await page.locator('.event-flowers-link').click()
}

test('two members sign up, staff check them in, they send each other a flower: 牵手成功', async () => {
  // Two eligible members (unions under the co-hosts) on two phones.
  await signIn(he, server.baseUrl, 'M0141')
  await signUp(he, '运河骑士', 'male')
  const hisCode = await personalCode(he)

  const she = await newPhonePage(browser)
  await signIn(she, server.baseUrl, 'M0142')
  await signUp(she, '小雨', 'female')
  const herCode = await personalCode(she)

  await moveMixerToItsDay(server.baseUrl)
  // S0001 (root staff) runs the mixer: sign-ups, check-in by personal code, flower phase.
  const staff = await newPhonePage(browser)
  await signIn(staff, server.baseUrl, 'S0001')
  await staff.locator('.home-tile-staff').click()
  await staff.locator('.staff-tool').filter({ hasText: '联谊活动' }).click()
  await staff.locator('.staff-event').filter({ hasText: MIXER }).click()
  await staff.locator('.signup-row').filter({ hasText: '（M0141）' }).waitFor()
  await staff.locator('.signup-row').filter({ hasText: '（M0142）' }).waitFor()

  await staff.locator('.desk-tab-checkin').click()
  await staff.locator('.event-code .qr-code-row').first().waitFor()
  const codeInput = staff.locator('.staff-checkin-input input')
  for (const code of [hisCode, herCode]) {
    await codeInput.fill(code.toLowerCase())
    await staff.locator('.staff-checkin-submit').click()
    await staff.locator('.staff-checkin-done').waitFor()
    await staff.waitForFunction(
      () =>
        (document.querySelector('.staff-checkin-input input') as HTMLInputElement)?.value === '',
    )
  }
  await staff.getByText(/已签到 2 \/ 报名成功/).waitFor()

  // Before the phase opens, members wait.
  await openFlowers(he)
  await he.getByText('送花环节还没开始').waitFor()

  await staff.locator('.desk-tab-flowers').click()
  await staff.locator('.phase-open').click()
  await confirmModal(staff, '开启送花')
  await staff.locator('.flower-phase-state').getByText('送花中').waitFor()

  // He sends her a flower: 3 → 2, her card marked.
  await he.locator('.flowers-reload').click()
  await he.getByText('还剩 3 朵花').waitFor()
  assert.equal(await he.locator('.flower-icon.is-left').count(), 3)
  const herCard = he.locator('.attendee').filter({ hasText: '小雨' })
  await herCard.locator('.attendee-send').click()
  await he
    .locator('.taro-modal__text')
    .getByText(/送出后不可撤回/)
    .waitFor()
  await confirmModal(he, '送出')
  await he.getByText('还剩 2 朵花').waitFor()
  assert.equal(await he.locator('.flower-icon.is-left').count(), 2)
  await herCard.getByText('已送花').waitFor()
  // Only checked-in attendees are listed, never a member number.
  assert.equal(await he.locator('.attendee').count(), 1)
  assert.doesNotMatch((await he.locator('.flowers').textContent()) ?? '', /M0\d{3}/)

  // She sends him one; nothing is revealed while the phase is open.
  await openFlowers(she)
  const hisCard = she.locator('.attendee').filter({ hasText: '运河骑士' })
  await hisCard.locator('.attendee-send').click()
  await confirmModal(she, '送出')
  await she.getByText('还剩 2 朵花').waitFor()
  assert.equal(await she.locator('.match-title, .match, .flowers-received').count(), 0)
  assert.equal(
    await she
      .locator('.flowers')
      .getByText(/你收到了|有人向你送了花/)
      .count(),
    0,
  )

  // Staff close the phase: matches revealed to everyone at once.
  await staff.locator('.phase-close').click()
  await staff
    .locator('.taro-modal__text')
    .getByText(/同时向每位参与者揭晓/)
    .waitFor()
  await confirmModal(staff, '结束揭晓')
  await staff.locator('.flower-phase-state').getByText('已揭晓').waitFor()
  await staff.locator('.matches-count').getByText('1 对').waitFor()
  const pair = (await staff.locator('.match-pair').textContent()) ?? ''
  assert.ok(pair.includes('运河骑士') && pair.includes('小雨'), `the matched pair, got "${pair}"`)

  for (const [page, other] of [
    [he, '小雨'],
    [she, '运河骑士'],
  ] as const) {
    await page.reload()
    await page.locator('.match-title').getByText('牵手成功').waitFor()
    await page.locator('.match-name').getByText(other, { exact: true }).waitFor()
    // Nobody else could have sent a flower: nothing is said of one-sided flowers, and no count.
    assert.equal(await page.locator('.flowers-one-sided').count(), 0)
    assert.doesNotMatch((await page.locator('.flowers').textContent()) ?? '', /收到了|\d+ 朵/)
  }
})
