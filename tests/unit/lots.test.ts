import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  expiryEntries,
  groupByExpiry,
  isDue,
  LotsShortError,
  planRefund,
  planSpend,
  type OpenLot,
} from '../../server/modules/points/lots'

const d = (iso: string) => new Date(iso)

describe('planSpend: earliest expiry first, lots without expiry last', () => {
  const lots: OpenLot[] = [
    { id: 1, remaining: 100, expiresAt: null },
    { id: 2, remaining: 50, expiresAt: d('2026-12-31T15:59:59Z') },
    { id: 3, remaining: 30, expiresAt: d('2026-08-31T15:59:59Z') },
  ]

  test('one lot covers a small cost: the one expiring first', () => {
    assert.deepEqual(planSpend(lots, 20), [{ lotId: 3, amount: 20 }])
  })

  test('a cost across lots empties each before touching the next', () => {
    assert.deepEqual(planSpend(lots, 60), [
      { lotId: 3, amount: 30 },
      { lotId: 2, amount: 30 },
    ])
    assert.deepEqual(planSpend(lots, 130), [
      { lotId: 3, amount: 30 },
      { lotId: 2, amount: 50 },
      { lotId: 1, amount: 50 },
    ])
  })

  test('everything, exactly', () => {
    const spends = planSpend(lots, 180)
    assert.equal(
      spends.reduce((s, x) => s + x.amount, 0),
      180,
    )
    assert.deepEqual(
      spends.map((s) => s.lotId),
      [3, 2, 1],
    )
  })

  test('more than the lots hold is refused, naming what there is', () => {
    assert.throws(
      () => planSpend(lots, 181),
      (err: unknown) => err instanceof LotsShortError && err.available === 180 && err.cost === 181,
    )
    assert.throws(() => planSpend([], 1), LotsShortError)
  })

  test('same expiry: the older lot first; empty lots are skipped; the input is not changed', () => {
    const same = d('2026-09-01T00:00:00Z')
    const input: OpenLot[] = [
      { id: 9, remaining: 10, expiresAt: same },
      { id: 4, remaining: 0, expiresAt: d('2026-07-01T00:00:00Z') },
      { id: 5, remaining: 10, expiresAt: same },
    ]
    const copy = structuredClone(input)
    assert.deepEqual(planSpend(input, 15), [
      { lotId: 5, amount: 10 },
      { lotId: 9, amount: 5 },
    ])
    assert.deepEqual(input, copy)
  })

  test('two lots without expiry: the older first', () => {
    assert.deepEqual(
      planSpend(
        [
          { id: 8, remaining: 5, expiresAt: null },
          { id: 7, remaining: 5, expiresAt: null },
        ],
        6,
      ),
      [
        { lotId: 7, amount: 5 },
        { lotId: 8, amount: 1 },
      ],
    )
  })

  test('a cost must be a positive integer', () => {
    assert.throws(() => planSpend(lots, 0), RangeError)
    assert.throws(() => planSpend(lots, -5), RangeError)
    assert.throws(() => planSpend(lots, 1.5), RangeError)
  })
})

describe('planRefund: points go back to the lots they came from', () => {
  test('open lots get their own points back', () => {
    const plan = planRefund([
      { lotId: 3, amount: 30, expiresAt: d('2026-08-31T15:59:59Z'), expiredAt: null },
      { lotId: 2, amount: 30, expiresAt: d('2026-12-31T15:59:59Z'), expiredAt: null },
      { lotId: 1, amount: 5, expiresAt: null, expiredAt: null },
    ])
    assert.deepEqual(plan.restore, [
      { lotId: 1, amount: 5 },
      { lotId: 2, amount: 30 },
      { lotId: 3, amount: 30 },
    ])
    assert.deepEqual(plan.reissue, [])
    assert.equal(plan.total, 65)
  })

  test('a lot expired meanwhile is not reopened: its points come back as a new, due lot', () => {
    const expiry = d('2026-08-31T15:59:59Z')
    const plan = planRefund([
      { lotId: 3, amount: 30, expiresAt: expiry, expiredAt: d('2026-09-01T00:00:00Z') },
      { lotId: 6, amount: 10, expiresAt: expiry, expiredAt: d('2026-09-01T00:00:00Z') },
      { lotId: 2, amount: 20, expiresAt: d('2026-12-31T15:59:59Z'), expiredAt: null },
    ])
    assert.deepEqual(plan.restore, [{ lotId: 2, amount: 20 }])
    assert.deepEqual(plan.reissue, [{ amount: 40, expiresAt: expiry, fromLotIds: [3, 6] }])
    assert.equal(plan.total, 60)
  })

  test('spend then refund restores every lot to what it held', () => {
    const lots: OpenLot[] = [
      { id: 1, remaining: 100, expiresAt: null },
      { id: 2, remaining: 50, expiresAt: d('2026-12-31T15:59:59Z') },
      { id: 3, remaining: 30, expiresAt: d('2026-08-31T15:59:59Z') },
    ]
    const spends = planSpend(lots, 95)
    const after = new Map(lots.map((l) => [l.id, l.remaining]))
    for (const s of spends) after.set(s.lotId, (after.get(s.lotId) ?? 0) - s.amount)
    const plan = planRefund(
      spends.map((s) => ({
        lotId: s.lotId,
        amount: s.amount,
        expiresAt: lots.find((l) => l.id === s.lotId)?.expiresAt ?? null,
        expiredAt: null,
      })),
    )
    for (const r of plan.restore) after.set(r.lotId, (after.get(r.lotId) ?? 0) + r.amount)
    assert.deepEqual(
      [...after.entries()].sort(([a], [b]) => a - b),
      lots.map((l) => [l.id, l.remaining]).sort(([a], [b]) => a - b),
    )
    assert.equal(plan.total, 95)
  })
})

describe('expiry', () => {
  const now = d('2026-09-01T00:00:00Z')

  test('a lot is due from its expiry moment on, once, and never without an expiry', () => {
    const lot = { id: 1, remaining: 10, expiresAt: now, expiredAt: null }
    assert.equal(isDue(lot, now), true)
    assert.equal(isDue(lot, new Date(now.getTime() - 1)), false)
    assert.equal(isDue({ ...lot, expiredAt: now }, new Date(now.getTime() + 1000)), false)
    assert.equal(isDue({ ...lot, expiresAt: null }, d('2099-01-01T00:00:00Z')), false)
  })

  test('entries step the balance down, earliest lot first; empty lots write none', () => {
    const entries = expiryEntries(100, [
      { id: 2, remaining: 20, expiresAt: d('2026-08-31T00:00:00Z'), expiredAt: null },
      { id: 1, remaining: 30, expiresAt: d('2026-08-01T00:00:00Z'), expiredAt: null },
      { id: 3, remaining: 0, expiresAt: d('2026-08-15T00:00:00Z'), expiredAt: null },
    ])
    assert.deepEqual(entries, [
      { lotId: 1, amount: -30, balanceAfter: 70 },
      { lotId: 2, amount: -20, balanceAfter: 50 },
    ])
  })

  test('lots holding more than the balance mean the books disagree', () => {
    assert.throws(
      () => expiryEntries(10, [{ id: 1, remaining: 30, expiresAt: now, expiredAt: null }]),
      LotsShortError,
    )
  })

  test('the expiring-soon list sums lots per moment, earliest first', () => {
    const a = d('2026-09-10T15:59:59.999Z')
    const b = d('2026-09-20T15:59:59.999Z')
    assert.deepEqual(
      groupByExpiry([
        { remaining: 40, expiresAt: b },
        { remaining: 10, expiresAt: a },
        { remaining: 0, expiresAt: d('2026-09-01T00:00:00Z') },
        { remaining: 5, expiresAt: a },
      ]),
      [
        { amount: 15, expiresAt: a },
        { amount: 40, expiresAt: b },
      ],
    )
  })
})
