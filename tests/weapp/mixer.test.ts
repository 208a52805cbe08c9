import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type {
  AttendeesResponse,
  CheckinCodeResponse,
  EventsResponse,
} from '../../src/contract/events'
import { startWeapp, type WeappEnv } from './support/env'
import { eventTimesAt } from '../support/events'
import { agreePrivacyIfAsked } from './support/steps'

// Journey 4: M0141 signs up for the mixer on the phone, checks in by scanning the code at the
// venue, sends a flower, and sees the match once the organisers close the phase. M0142 and the
// organiser (S0001) act through the API meanwhile.

const MIXER = '爱在运河畔 缘定副中心'

let env: WeappEnv
before(async () => {
  env = await startWeapp({ signedInAs: 'M0141' })
})
after(async () => {
  await env?.close()
})

test('mixer: sign up, scan the event code, send a flower, see the match after the close', async () => {
  const { weapp, api } = env
  const { events } = await api<EventsResponse>('M0141', 'GET', '/events')
  const event = events.find((e) => e.title === MIXER)
  assert.ok(event, 'the seeded mixer')

  await weapp.tap('联谊活动')
  assert.equal(weapp.route, 'packages/events/pages/index')
  await weapp.waitFor(MIXER)
  await weapp.tap(MIXER)
  assert.equal(weapp.route, 'packages/events/pages/event')
  await weapp.waitFor('填写报名资料')

  await weapp.type('1–20 个字', '运河骑士')
  await weapp.tap('男')
  await weapp.choose({ className: 'signup-birth-year' }, '1996 年')
  assert.equal(weapp.textOf({ className: 'signup-birth-year' }), '1996 年')
  await weapp.type('例如：喜欢爬山和做饭，周末常去运河边骑车', '我是运河骑士，喜欢在运河边骑车')
  await weapp.tap({ button: '提交报名' })
  await weapp.waitFor((w) => w.has({ className: 'registration-state' }))
  assert.equal(weapp.textOf({ className: 'registration-state' }), '报名成功')

  // M0142 signs up too; at the venue, both scan the event's code the organiser shows.
  await api('M0142', 'POST', `/events/${event.id}/signup`, {
    profile: { nickname: '小雨', gender: 'female', birthYear: 1997, intro: '喜欢看书' },
  })
  // The day of the mixer: the organiser moves the seeded event (five days ahead) to a minute ago,
  // as staff do with 修改活动 to demonstrate — check-in opens an hour before the start.
  await api('S0001', 'PATCH', `/staff/events/${event.id}`, eventTimesAt('started'))
  const { code } = await api<CheckinCodeResponse>(
    'S0001',
    'GET',
    `/staff/events/${event.id}/checkin-code`,
  )
  weapp.answers.scans.push(code)
  await weapp.tap({ button: '扫码签到' })
  // The camera is private: the first scan on this phone waits for the privacy sheet's 同意.
  assert.ok(weapp.has({ className: 'privacy-sheet' }), 'the privacy sheet is shown')
  await agreePrivacyIfAsked(weapp)
  await weapp.waitFor((w) => w.textOf({ className: 'registration-state' }) === '已签到')
  await api('M0142', 'POST', `/events/${event.id}/checkin`, { code })

  // Flowers before the phase opens: the member waits.
  await weapp.tap({ button: '送花' })
  assert.equal(weapp.route, 'packages/events/pages/flowers')
  await weapp.waitFor('送花环节还没开始')

  await api('S0001', 'POST', `/staff/events/${event.id}/flower-phase`, { open: true })
  await weapp.tap({ button: '刷新' })
  await weapp.waitFor('还剩 3 朵花')
  const her = { className: 'attendee', text: '小雨' }
  weapp.answers.modals.push(true)
  await weapp.tap({ button: '送花' }, her)
  assert.equal(weapp.log.modals.at(-1)?.title, '送一朵花给「小雨」')
  await weapp.waitFor('还剩 2 朵花')
  assert.equal(weapp.textOf({ className: 'attendee-sent' }, her), '🌹 已送花')
  assert.doesNotMatch(weapp.text(), /M0\d{3}/)

  // She sends him one back; the organiser closes the phase: the match is revealed.
  const seen = await api<AttendeesResponse>('M0142', 'GET', `/events/${event.id}/attendees`)
  const him = seen.attendees.find((a) => a.nickname === '运河骑士')
  assert.ok(him)
  await api('M0142', 'POST', `/events/${event.id}/flowers`, { toAttendeeId: him.attendeeId })
  assert.doesNotMatch(weapp.text(), /牵手成功/)
  await api('S0001', 'POST', `/staff/events/${event.id}/flower-phase`, { open: false })

  await weapp.pullDown()
  await weapp.waitFor('牵手成功')
  assert.equal(weapp.textOf({ className: 'match-name' }), '小雨')
  assert.ok(weapp.log.other.includes('stopPullDownRefresh'))
})
