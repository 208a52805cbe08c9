import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { pickupBody, pickupCodeAlphabet } from '../../src/contract/mall'
import { endOfShanghaiDay, shanghaiDateTime } from '../../server/lib/time'
import {
  newPickupCode,
  pickupDeadline,
  saleState,
  withinLimit,
} from '../../server/modules/mall/rules'

describe('pickup deadline: the end of the last day, Shanghai time', () => {
  test('ordered Monday morning with 7 days → the next Monday 23:59:59.999 (+08:00)', () => {
    const monday = new Date('2026-07-06T02:00:00Z') // 10:00 in Shanghai
    assert.equal(pickupDeadline(monday, 7).toISOString(), '2026-07-13T15:59:59.999Z')
  })

  test('just after midnight in Shanghai is already the next day there', () => {
    const lateUtc = new Date('2026-06-30T16:30:00Z') // 2026-07-01 00:30 in Shanghai
    assert.equal(pickupDeadline(lateUtc, 1).toISOString(), '2026-07-02T15:59:59.999Z')
    assert.equal(endOfShanghaiDay(lateUtc).toISOString(), '2026-07-01T15:59:59.999Z')
  })

  test('across a month and a year end', () => {
    assert.equal(
      pickupDeadline(new Date('2026-12-28T04:00:00Z'), 7).toISOString(),
      '2027-01-04T15:59:59.999Z',
    )
  })

  test('messages show Shanghai time', () => {
    assert.equal(shanghaiDateTime(new Date('2026-07-01T02:05:00Z')), '7月1日 10:05')
  })
})

describe('sale window', () => {
  const starts = new Date('2026-07-01T00:00:00Z')
  const ends = new Date('2026-08-01T00:00:00Z')
  test('before, inside and after; the end itself is outside', () => {
    const w = { saleStartsAt: starts, saleEndsAt: ends }
    assert.equal(saleState(w, new Date(starts.getTime() - 1)), 'upcoming')
    assert.equal(saleState(w, starts), 'on_sale')
    assert.equal(saleState(w, new Date(ends.getTime() - 1)), 'on_sale')
    assert.equal(saleState(w, ends), 'ended')
  })
  test('an open window is always on sale', () => {
    assert.equal(saleState({ saleStartsAt: null, saleEndsAt: null }, new Date(0)), 'on_sale')
  })
})

describe('pickup codes', () => {
  test('8 characters from the alphabet without 0/O/1/I/L', () => {
    assert.doesNotMatch(pickupCodeAlphabet, /[01OIL]/)
    assert.equal(new Set(pickupCodeAlphabet).size, 31)
    for (let i = 0; i < 200; i++) {
      const code = newPickupCode()
      assert.match(code, /^[2-9A-HJKMNP-Z]{8}$/)
    }
  })

  test('drawn from the given random source, every character reachable', () => {
    let n = 0
    const code = newPickupCode((max) => n++ % max)
    assert.equal(code, pickupCodeAlphabet.slice(0, 8))
    const last = newPickupCode((max) => max - 1)
    assert.equal(last, 'ZZZZZZZZ')
  })

  test('2,000 random codes do not repeat (31⁸ possibilities)', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => newPickupCode()))
    assert.equal(seen.size, 2000)
  })

  test('staff may type a code in lower case, with spaces or a dash', () => {
    assert.deepEqual(pickupBody.parse({ pickupCode: ' ab3d-k7mn ' }), { pickupCode: 'AB3DK7MN' })
    assert.equal(pickupBody.safeParse({ pickupCode: '   ' }).success, false)
  })
})

test('per-member limit counts what the member holds already', () => {
  assert.equal(withinLimit(2, 0, 2), true)
  assert.equal(withinLimit(2, 1, 1), true)
  assert.equal(withinLimit(2, 1, 2), false)
  assert.equal(withinLimit(2, 2, 1), false)
})
