import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  generateSlots,
  slotId,
  type Slot,
  type SlotClosure,
  type SlotRule,
  type SlotWindow,
} from '../../server/modules/legal/slots'
import { addDays, daysBetween, isoWeekday, shanghaiWallClock } from '../../server/lib/time'

/**
 * The straightforward generator the optimized one replaced (issue #11): every day × every rule,
 * one wall-clock conversion per rule and day, ids through Date formatting, one global sort.
 */
function referenceSlots(rules: SlotRule[], closures: SlotClosure[], window: SlotWindow): Slot[] {
  const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))
  const closed = new Set(closures.map((c) => `${c.date}|${c.servicePointId ?? '*'}`))
  const cutoff =
    window.now === undefined ? -Infinity : window.now.getTime() + (window.leadMinutes ?? 0) * 60_000
  const byLawyerStart = new Map<string, Slot>()
  const ordered = [...rules].sort((a, b) => a.id - b.id)
  for (let i = 0; i <= daysBetween(window.from, window.to); i++) {
    const date = addDays(window.from, i)
    for (const rule of ordered) {
      if (rule.weekday !== isoWeekday(date)) continue
      if (date < rule.validFrom || (rule.validTo !== null && date > rule.validTo)) continue
      if (closed.has(`${date}|*`) || closed.has(`${date}|${rule.servicePointId}`)) continue
      const midnight = shanghaiWallClock(date)!
      const end = minutesOf(rule.end)
      for (let m = minutesOf(rule.start); m + rule.slotMinutes <= end; m += rule.slotMinutes) {
        const startsAt = new Date(midnight.getTime() + m * 60_000)
        if (startsAt.getTime() < cutoff) continue
        const key = `${rule.lawyerId}|${startsAt.getTime()}`
        if (byLawyerStart.has(key)) continue
        byLawyerStart.set(key, {
          id: slotId(rule.lawyerId, rule.servicePointId, startsAt),
          lawyerId: rule.lawyerId,
          servicePointId: rule.servicePointId,
          startsAt,
          endsAt: new Date(startsAt.getTime() + rule.slotMinutes * 60_000),
        })
      }
    }
  }
  return [...byLawyerStart.values()].sort(
    (a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.lawyerId - b.lawyerId,
  )
}

/** mulberry32: the same "random" cases on every run. */
function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1))
  return { next, int, pick: <T>(xs: readonly T[]) => xs[int(0, xs.length - 1)] }
}

const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`

/** Range starts around month, year and leap-day boundaries. */
const starts = ['2026-11-20', '2026-12-25', '2028-02-20', '2027-06-28', '2026-01-01']

function randomCase(seed: number) {
  const r = prng(seed)
  const from = r.pick(starts)
  const to = addDays(from, r.int(0, 40))
  const lawyers = r.int(1, 6)
  const points = r.int(1, 4)
  const rules: SlotRule[] = Array.from({ length: r.int(1, 40) }, () => {
    const start = r.int(0, 23 * 60 + 58)
    const end = r.int(start + 1, 23 * 60 + 59)
    const validFrom = addDays(from, r.int(-20, 30))
    return {
      id: r.int(1, 10_000),
      lawyerId: r.int(1, lawyers) * 1_000_003, // large ids too
      servicePointId: r.int(1, points),
      weekday: r.int(1, 7),
      start: hhmm(start),
      end: hhmm(end),
      slotMinutes: r.pick([10, 15, 20, 30, 45, 60, 90, 240]),
      validFrom,
      validTo: r.next() < 0.5 ? null : addDays(validFrom, r.int(0, 40)),
    }
  })
  const closures: SlotClosure[] = Array.from({ length: r.int(0, 8) }, () => ({
    date: addDays(from, r.int(-2, 42)),
    servicePointId: r.next() < 0.3 ? null : r.int(1, points),
  }))
  const window: SlotWindow = { from, to }
  if (r.next() < 0.5) {
    window.now = new Date(shanghaiWallClock(from)!.getTime() + r.int(0, 5 * 1440) * 60_000)
    if (r.next() < 0.5) window.leadMinutes = r.int(0, 180)
  }
  return { rules, closures, window }
}

const plain = (slots: Slot[]) =>
  slots.map((s) => ({ ...s, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString() }))

describe('the optimized generator gives exactly the reference’s slots', () => {
  test('500 random sets of rules, closures and windows', () => {
    let total = 0
    for (let seed = 1; seed <= 500; seed++) {
      const { rules, closures, window } = randomCase(seed)
      const want = referenceSlots(rules, closures, window)
      total += want.length
      assert.deepEqual(plain(generateSlots(rules, closures, window)), plain(want), `seed ${seed}`)
    }
    assert.ok(total > 10_000, `${total} slots compared`) // the cases are not all empty
  })

  test('a process time zone far from Shanghai changes nothing', () => {
    const saved = process.env.TZ
    process.env.TZ = 'America/Los_Angeles'
    try {
      for (let seed = 501; seed <= 550; seed++) {
        const { rules, closures, window } = randomCase(seed)
        assert.deepEqual(
          plain(generateSlots(rules, closures, window)),
          plain(referenceSlots(rules, closures, window)),
          `seed ${seed}`,
        )
      }
    } finally {
      process.env.TZ = saved
    }
  })

  test('a window ending before it starts or with a non-date gives nothing', () => {
    const { rules } = randomCase(1)
    assert.deepEqual(generateSlots(rules, [], { from: '2026-12-02', to: '2026-12-01' }), [])
    assert.deepEqual(generateSlots(rules, [], { from: '2026-02-30', to: '2026-03-01' }), [])
    assert.deepEqual(generateSlots(rules, [], { from: '2026-03-01', to: 'soon' }), [])
  })
})
