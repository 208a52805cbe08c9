import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import Fastify from 'fastify'
import {
  calendarDate,
  id,
  idParams,
  isCalendarDate,
  isoDateTime,
  isStorableDateTime,
} from '../../src/contract/common'
import { localDate } from '../../src/contract/legal'
import { ledgerQuery } from '../../src/contract/points'
import {
  findUnstorableText,
  frameworkErrors,
  hasUnstorableText,
} from '../../server/plugins/input-guard'

describe('calendar dates', () => {
  test('real days pass, impossible ones fail', () => {
    for (const d of ['2026-01-31', '2024-02-29', '2000-02-29', '2026-12-31', '1900-01-01']) {
      assert.equal(isCalendarDate(d), true, d)
    }
    for (const d of [
      '2026-02-30',
      '2026-02-29',
      '1900-02-29',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '2026-01-00',
      '0000-01-01',
      '2026-1-1',
      '2026-01-01x',
      '',
    ]) {
      assert.equal(isCalendarDate(d), false, d)
    }
  })

  test('date schemas', () => {
    assert.equal(calendarDate.safeParse('2026-02-28').success, true)
    assert.equal(calendarDate.safeParse('2026-02-30').success, false)
    assert.equal(localDate.safeParse('2026-02-30').success, false)
    const msg = calendarDate.safeParse('2026-02-30').error?.issues[0].message ?? ''
    assert.match(msg, /[\u4e00-\u9fa5]/)
  })

  test('timestamps the database can store', () => {
    for (const t of ['2026-07-01T08:00:00+08:00', '2024-02-29T23:59:59.999Z']) {
      assert.equal(isoDateTime.safeParse(t).success, true, t)
      assert.equal(isStorableDateTime(t), true, t)
    }
    for (const t of [
      '2026-02-30T10:00:00+08:00',
      '2026-04-31T00:00:00Z',
      '0000-01-01T00:00:00Z',
      '1900-01-01T00:00:00+08:00',
      '9999-12-31T23:59:59-14:00',
      '2026-07-01T08:00:00',
      'not a date',
    ]) {
      assert.equal(isoDateTime.safeParse(t).success, false, t)
    }
  })
})

describe('ids', () => {
  test('body ids stay within the integer column', () => {
    assert.equal(id.safeParse(2147483647).success, true)
    for (const v of [2147483648, 1e20, 0, -1, 1.5, '1', null]) {
      assert.equal(id.safeParse(v).success, false, String(v))
    }
  })

  test('path ids: digits within range, nothing overlong', () => {
    assert.deepEqual(idParams.parse({ id: '42' }), { id: 42 })
    assert.deepEqual(idParams.parse({ id: 7 }), { id: 7 })
    assert.deepEqual(idParams.parse({ id: '2147483647' }), { id: 2147483647 })
    for (const v of ['2147483648', '99999999999999999999', '-1', '0', 'abc', '', '1.5']) {
      assert.equal(idParams.safeParse({ id: v }).success, false, v)
    }
    assert.equal(idParams.safeParse({ id: `${'0'.repeat(299)}1` }).success, false)
  })

  test('ledger cursors stay within range', () => {
    assert.equal(ledgerQuery.safeParse({ cursor: '2147483647' }).success, true)
    assert.equal(ledgerQuery.safeParse({ cursor: '2147483648' }).success, false)
    assert.equal(ledgerQuery.safeParse({ cursor: '99999999999999999999' }).success, false)
  })
})

describe('unstorable text', () => {
  test('NUL and lone surrogates are found, pairs are fine', () => {
    assert.equal(hasUnstorableText('正常文字 😀'), false)
    assert.equal(hasUnstorableText('a\u0000b'), true)
    assert.equal(hasUnstorableText('a\ud800b'), true)
    assert.equal(hasUnstorableText('\ud800'), true)
    assert.equal(hasUnstorableText('\udc00x'), true)
    assert.equal(hasUnstorableText('\ud83d\ude00\ude00'), true)
  })

  test('found anywhere in a request, keys included, with the path', () => {
    assert.equal(findUnstorableText({ a: 'ok', b: [1, 'fine', { c: true }] }), null)
    assert.equal(findUnstorableText({ a: { b: ['x', 'y\u0000'] } }), 'a.b.1')
    assert.equal(findUnstorableText({ 'k\ud800': 1 }), 'k\ud800')
    assert.equal(findUnstorableText('\u0000'), '')
    assert.equal(findUnstorableText(null), null)
    let deep: unknown = 'x'
    for (let i = 0; i < 100; i++) deep = [deep]
    assert.equal(findUnstorableText(deep) !== null, true)
  })
})

describe('router errors', () => {
  test('a bad or overlong path is 400 in the contract shape', async () => {
    const app = Fastify({ frameworkErrors })
    app.get('/x/:id', async () => ({ ok: true }))
    for (const url of ['/x/%ED%A0%80', `/x/${'1'.repeat(300)}`]) {
      const res = await app.inject({ method: 'GET', url })
      assert.equal(res.statusCode, 400, url)
      const body = res.json() as { error: { code: string; message: string } }
      assert.equal(body.error.code, 'BAD_REQUEST')
      assert.match(body.error.message, /[\u4e00-\u9fa5]/)
    }
    await app.close()
  })
})
