import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { strandedBy } from '../../server/modules/legal/operations'
import {
  bookingTimeText,
  maskName,
  refuseIfAffected,
  type AffectedBooking,
} from '../../server/modules/legal/schedule-guard'
import type { SlotRule } from '../../server/modules/legal/slots'
import { AppError } from '../../server/lib/errors'

/** 2026-11-24 is a Tuesday. */
const tuesday: SlotRule = {
  id: 1,
  lawyerId: 7,
  servicePointId: 3,
  weekday: 2,
  start: '14:00',
  end: '17:00',
  slotMinutes: 30,
  validFrom: '2026-11-01',
  validTo: null,
}

const booking = (hhmm: string, overrides: Partial<AffectedBooking> = {}): AffectedBooking => ({
  id: 12,
  lawyerId: 7,
  servicePointId: 3,
  startsAt: new Date(`2026-11-24T${hhmm}:00+08:00`),
  lawyerName: '韩律明',
  memberName: '王建军',
  ...overrides,
})

describe('strandedBy: the bookings a rule change would leave without their slot', () => {
  test('a shorter afternoon strands the last slot only', () => {
    const shorter = { ...tuesday, end: '16:00' }
    const list = [booking('14:00', { id: 1 }), booking('16:30', { id: 2 })]
    assert.deepEqual(
      strandedBy(list, [tuesday], [shorter], []).map((b) => b.id),
      [2],
    )
  })
  test('a longer slot moves the grid: 14:30 is no slot of 60 minutes', () => {
    const hourly = { ...tuesday, slotMinutes: 60 }
    const list = [booking('14:00', { id: 1 }), booking('14:30', { id: 2 })]
    assert.deepEqual(
      strandedBy(list, [tuesday], [hourly], []).map((b) => b.id),
      [2],
    )
  })
  test('another rule that still gives the slot keeps the booking', () => {
    const twin = { ...tuesday, id: 2 }
    assert.deepEqual(strandedBy([booking('15:00')], [tuesday, twin], [twin], []), [])
  })
  test('a booking no rule gave before is not this change’s doing', () => {
    assert.deepEqual(strandedBy([booking('18:00')], [tuesday], [], []), [])
  })
  test('retiring the rule strands every booking it gave; validity ending before the day too', () => {
    assert.equal(strandedBy([booking('14:00')], [tuesday], [], []).length, 1)
    const ended = { ...tuesday, validTo: '2026-11-23' }
    assert.equal(strandedBy([booking('14:00')], [tuesday], [ended], []).length, 1)
  })
})

describe('the refusal', () => {
  test('names are masked, keeping the first and last character', () => {
    assert.equal(maskName('张三'), '张*')
    assert.equal(maskName('王建军'), '王*军')
    assert.equal(maskName('欧阳小明'), '欧**明')
    assert.equal(maskName('李'), '李')
  })
  test('times read in Shanghai with the weekday', () => {
    assert.equal(bookingTimeText(new Date('2026-11-24T08:30:00Z')), '11月24日（周二）16:30')
  })
  test('lists the bookings (at most 8, then how many) as 409 BOOKINGS_AFFECTED', () => {
    assert.doesNotThrow(() => refuseIfAffected([], '修改排班'))
    const many = Array.from({ length: 10 }, (_, i) => booking('14:00', { id: i + 1 }))
    assert.throws(
      () => refuseIfAffected(many, '停用该排班'),
      (e: unknown) => {
        assert.ok(e instanceof AppError)
        assert.equal(e.code, 'BOOKINGS_AFFECTED')
        assert.equal(e.status, 409)
        assert.match(e.message, /^停用该排班会影响 10 个已预约的咨询/)
        assert.match(e.message, /#1 11月24日（周二）14:00 韩律明律师 · 会员王\*军/)
        assert.match(e.message, /#8 /)
        assert.doesNotMatch(e.message, /#9 /)
        assert.match(e.message, /等 10 个/)
        assert.doesNotMatch(e.message, /王建军/)
        return true
      },
    )
  })
})
