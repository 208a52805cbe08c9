import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import {
  findSlot,
  generateSlots,
  parseSlotId,
  shanghaiDate,
  slotId,
  type SlotRule,
} from '../../server/modules/legal/slots'

/** 2026-11-24 is a Tuesday. */
const tuesdayAfternoon: SlotRule = {
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

const iso = (d: Date) => d.toISOString()

describe('generateSlots', () => {
  test('a rule cuts its afternoon into 30-minute slots, Shanghai time', () => {
    const slots = generateSlots([tuesdayAfternoon], [], { from: '2026-11-24', to: '2026-11-24' })
    assert.equal(slots.length, 6)
    assert.equal(iso(slots[0].startsAt), '2026-11-24T06:00:00.000Z') // 14:00 +08:00
    assert.equal(iso(slots[0].endsAt), '2026-11-24T06:30:00.000Z')
    assert.equal(iso(slots[5].startsAt), '2026-11-24T08:30:00.000Z') // 16:30, ends 17:00
    assert.equal(slots[0].id, '7-3-202611241400')
  })

  test('only on the rule’s weekday, over a range of days', () => {
    const slots = generateSlots([tuesdayAfternoon], [], { from: '2026-11-23', to: '2026-12-07' })
    const days = [...new Set(slots.map((s) => shanghaiDate(s.startsAt)))]
    assert.deepEqual(days, ['2026-11-24', '2026-12-01'])
  })

  test('slot length: a remainder shorter than a slot is dropped', () => {
    const rule = { ...tuesdayAfternoon, end: '16:00', slotMinutes: 45 }
    const slots = generateSlots([rule], [], { from: '2026-11-24', to: '2026-11-24' })
    assert.deepEqual(
      slots.map((s) => slotId(7, 3, s.startsAt).slice(-4)),
      ['1400', '1445'], // 15:30–16:15 would overrun 16:00
    )
  })

  test('validity window: before validFrom and after validTo nothing', () => {
    const rule = { ...tuesdayAfternoon, validFrom: '2026-12-01', validTo: '2026-12-08' }
    const slots = generateSlots([rule], [], { from: '2026-11-24', to: '2026-12-22' })
    const days = [...new Set(slots.map((s) => shanghaiDate(s.startsAt)))]
    assert.deepEqual(days, ['2026-12-01', '2026-12-08'])
  })

  test('closures: a day everywhere, or one service point only', () => {
    const other = { ...tuesdayAfternoon, id: 2, lawyerId: 8, servicePointId: 4 }
    const range = { from: '2026-11-24', to: '2026-12-01' }
    const all = generateSlots(
      [tuesdayAfternoon, other],
      [{ date: '2026-11-24', servicePointId: null }],
      range,
    )
    assert.ok(all.every((s) => shanghaiDate(s.startsAt) === '2026-12-01'))
    assert.equal(all.length, 12)
    const one = generateSlots(
      [tuesdayAfternoon, other],
      [{ date: '2026-11-24', servicePointId: 3 }],
      range,
    )
    assert.equal(one.filter((s) => shanghaiDate(s.startsAt) === '2026-11-24').length, 6)
    assert.ok(
      one
        .filter((s) => shanghaiDate(s.startsAt) === '2026-11-24')
        .every((s) => s.servicePointId === 4),
    )
  })

  test('past times and the lead time are left out', () => {
    const now = new Date('2026-11-24T06:40:00.000Z') // 14:40 Shanghai
    const slots = generateSlots([tuesdayAfternoon], [], {
      from: '2026-11-24',
      to: '2026-11-24',
      now,
      leadMinutes: 30,
    })
    // 14:00 and 14:30 have begun; 15:00 starts in 20 minutes (< 30); 15:30 on remain.
    assert.deepEqual(
      slots.map((s) => s.id.slice(-4)),
      ['1530', '1600', '1630'],
    )
  })

  test('overlapping rules of one lawyer give one slot per start', () => {
    const online = { ...tuesdayAfternoon, id: 2, servicePointId: 9, start: '16:00', end: '18:00' }
    const slots = generateSlots([online, tuesdayAfternoon], [], {
      from: '2026-11-24',
      to: '2026-11-24',
    })
    const starts = slots.map((s) => s.startsAt.getTime())
    assert.equal(new Set(starts).size, starts.length)
    assert.equal(slots.length, 8) // 14:00–18:00
    assert.equal(slots.find((s) => s.id.endsWith('1600'))?.servicePointId, 3) // the older rule
  })
})

describe('day boundaries in Asia/Shanghai whatever the process TZ', () => {
  const saved = process.env.TZ
  after(() => {
    process.env.TZ = saved
  })
  for (const tz of ['UTC', 'America/New_York', 'Pacific/Kiritimati', 'Asia/Shanghai']) {
    test(`TZ=${tz}: early-morning and late-evening slots belong to their Shanghai day`, () => {
      process.env.TZ = tz
      // Sunday 23:00–23:59 (one slot: 23:30 would end after 23:59) and Monday 00:00–01:00.
      const early = { ...tuesdayAfternoon, weekday: 1, start: '00:00', end: '01:00' }
      const late = { ...tuesdayAfternoon, id: 2, weekday: 7, start: '23:00', end: '23:59' }
      const slots = generateSlots([early, late], [], { from: '2026-11-22', to: '2026-11-23' })
      assert.deepEqual(
        slots.map((s) => iso(s.startsAt)),
        ['2026-11-22T15:00:00.000Z', '2026-11-22T16:00:00.000Z', '2026-11-22T16:30:00.000Z'],
      )
      assert.equal(shanghaiDate(slots[0].startsAt), '2026-11-22')
      assert.equal(shanghaiDate(slots[1].startsAt), '2026-11-23')
      assert.equal(slots[1].id, '7-3-202611230000')
      const parsed = parseSlotId('7-3-202611230000')
      assert.equal(parsed?.date, '2026-11-23')
      assert.equal(parsed && iso(parsed.startsAt), '2026-11-22T16:00:00.000Z')
    })
  }

  test('China has no DST: a summer and a winter day start at the same UTC hour', () => {
    const everyDay = (weekday: number) => ({
      ...tuesdayAfternoon,
      weekday,
      validFrom: '2026-01-01',
    })
    const rules = [1, 2, 3, 4, 5, 6, 7].map((w, i) => ({ ...everyDay(w), id: i + 1 }))
    for (const date of ['2026-03-09', '2026-07-01', '2026-11-02']) {
      const [first] = generateSlots(rules, [], { from: date, to: date })
      assert.equal(first.startsAt.getUTCHours(), 6, date)
    }
  })
})

describe('slot ids', () => {
  test('findSlot accepts an id the rules give and refuses forged ones', () => {
    const rules = [tuesdayAfternoon]
    assert.ok(findSlot('7-3-202611241430', rules, []))
    assert.equal(findSlot('7-3-202611241415', rules, []), null) // not on the 30-minute grid
    assert.equal(findSlot('7-4-202611241430', rules, []), null) // another service point
    assert.equal(findSlot('8-3-202611241430', rules, []), null) // another lawyer
    assert.equal(findSlot('7-3-202611251430', rules, []), null) // Wednesday
    assert.equal(findSlot('7-3-202610271430', rules, []), null) // before validFrom
    assert.equal(
      findSlot('7-3-202611241430', rules, [{ date: '2026-11-24', servicePointId: null }]),
      null,
    )
    assert.equal(parseSlotId('7-3-202602301430'), null) // 30 February
    assert.equal(parseSlotId('7-3-202611242530'), null)
    assert.equal(parseSlotId('0-3-202611241430'), null)
    assert.equal(parseSlotId('7-3-2026112414300'), null)
    assert.equal(parseSlotId("7-3-202611241430' OR 1=1"), null)
  })
})
