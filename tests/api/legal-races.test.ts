/**
 * Legal booking races, on PostgreSQL only: PGlite runs one transaction at a time and would hide
 * them (TOOLCHAIN.md). Every scenario fires its requests at once over real HTTP (the app on a
 * port, one keep-alive socket per request) and then checks the invariants in SQL.
 *
 * Is the race real? The server's own `request` events count the requests in flight together;
 * each scenario asserts a peak far above 1, so handlers overlapped and, with a pool of 10
 * connections, up to 10 booking transactions ran side by side in PostgreSQL. That this overlap
 * breaks an unguarded read-then-write is proven once for all race suites, by
 * tests/api/race-harness.test.ts.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type { LegalSlot, ServicePoint } from '../../src/contract/legal'
import { first, rows } from '../../server/db/sql'
import { shanghaiDate } from '../../server/modules/legal/slots'
import { listen, type HttpAnswer, type HttpClient } from '../support/http'
import { unionIdOf } from '../support/points'
import {
  memberNosUnder,
  startTestServer,
  tokensForAllMembers,
  type TestServer,
} from '../support/server'

const onPostgres = Boolean(process.env.DATABASE_URL)
const DAY = 86_400_000
const description = '单位拒绝支付加班费，想了解如何维权和取证。'

describe(
  'legal booking races on PostgreSQL',
  { skip: !onPostgres && 'DATABASE_URL is not set' },
  () => {
    let s: TestServer
    let api: HttpClient
    let keyNo = 0
    let tokens = new Map<string, string>()
    let members: string[] = []
    /** Free online slots (every Beijing member may book them), more than a day ahead. */
    const free: LegalSlot[] = []

    before(async () => {
      s = await startTestServer('postgres')
      api = await listen(s.app, 512)
      tokens = await tokensForAllMembers(s.database.db)
      // Members under 北京市总工会 (the online lines' union); the mixer's 武清 and 廊坊 ones are not.
      members = await memberNosUnder(s.database.db, await unionIdOf(s.database.db, '北京市总工会'))
      assert.ok(members.length >= 200, `${members.length} Beijing members`)
      const pointsRes = await request('GET', '/legal/service-points', members[0])
      const online = (JSON.parse(pointsRes.body) as { servicePoints: ServicePoint[] }).servicePoints
        .filter((p) => p.kind === 'online')
        .map((p) => p.id)
      const from = shanghaiDate(new Date())
      const to = shanghaiDate(new Date(Date.now() + 30 * DAY))
      // 31 days: one query per service point (without one, a query covers at most 14 days).
      for (const point of online) {
        const res = await request(
          'GET',
          `/legal/slots?from=${from}&to=${to}&servicePointId=${point}`,
          members[0],
        )
        assert.equal(res.status, 200, res.body)
        free.push(
          ...(JSON.parse(res.body) as { slots: LegalSlot[] }).slots.filter(
            (x) => x.available && Date.parse(x.startsAt) > Date.now() + DAY,
          ),
        )
      }
      free.sort(
        (a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.lawyerId - b.lawyerId,
      )
      assert.ok(free.length >= 25, `${free.length} free online slots`)
    })
    after(async () => {
      api?.close()
      try {
        if (s) assert.deepEqual(await doubleBooked(), [])
      } finally {
        await s?.close()
      }
    })

    /** Slots with more than one active booking: must always be empty. */
    function doubleBooked() {
      return rows(
        s.database.db,
        sql`SELECT lawyer_id, starts_at, count(*) FROM legal_bookings WHERE status <> 'cancelled'
          GROUP BY 1, 2 HAVING count(*) > 1`,
      )
    }

    function request(method: 'GET' | 'POST', path: string, who: string, body?: unknown) {
      return api.request({
        method,
        path: `/api/v1${path}`,
        token: tokens.get(who),
        body,
        headers: method === 'POST' ? { 'idempotency-key': `race-key-${++keyNo}` } : {},
      })
    }

    const book = (who: string, slotId: string) =>
      request('POST', '/legal/bookings', who, {
        slotId,
        topicId: 2,
        phone: '13900139000',
        description,
      })
    const code = (a: HttpAnswer) =>
      a.status >= 400 ? (JSON.parse(a.body) as { error: { code: string } }).error.code : ''

    test('50 members book one slot at once: exactly one 201, the rest 409 SLOT_TAKEN', async (t) => {
      const slot = free.shift()!
      api.resetPeak()
      const answers = await Promise.all(members.slice(0, 50).map((m) => book(m, slot.id)))
      t.diagnostic(`peak in flight: ${api.peak()}`)
      assert.ok(api.peak() >= 10, `peak ${api.peak()}`)
      assert.equal(answers.filter((a) => a.status === 201).length, 1)
      const rest = answers.filter((a) => a.status !== 201)
      assert.equal(rest.length, 49)
      assert.ok(
        rest.every((a) => a.status === 409 && code(a) === 'SLOT_TAKEN'),
        rest.map((a) => a.body).join('\n'),
      )
      const n = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM legal_bookings WHERE starts_at = ${new Date(slot.startsAt)}
          AND lawyer_id = ${slot.lawyerId}`,
      )
      assert.equal(n?.n, 1)
    })

    test('one member books 10 different slots at once: exactly 2', async (t) => {
      const who = members[60]
      const ten = free.splice(0, 10)
      api.resetPeak()
      const answers = await Promise.all(ten.map((x) => book(who, x.id)))
      t.diagnostic(`peak in flight: ${api.peak()}`)
      assert.ok(api.peak() >= 5, `peak ${api.peak()}`)
      assert.equal(
        answers.filter((a) => a.status === 201).length,
        2,
        answers.map((a) => a.body).join('\n'),
      )
      assert.ok(
        answers
          .filter((a) => a.status !== 201)
          .every((a) => a.status === 422 && code(a) === 'TOO_MANY_BOOKINGS'),
      )
      const n = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM legal_bookings b JOIN members m ON m.id = b.member_id
          WHERE m.member_no = ${who} AND b.status = 'booked'`,
      )
      assert.equal(n?.n, 2)
    })

    test('cancel racing new bookings of the same slot stays consistent', async (t) => {
      let freedAndRebooked = 0
      for (let round = 0; round < 6; round++) {
        const slot = free.shift()!
        const owner = members[100 + round]
        const first1 = await book(owner, slot.id)
        assert.equal(first1.status, 201, first1.body)
        const id = (JSON.parse(first1.body) as { booking: { id: number } }).booking.id
        const rivals = members.slice(120 + round * 10, 130 + round * 10)
        api.resetPeak()
        const [cancel, ...tries] = await Promise.all([
          request('POST', `/legal/bookings/${id}/cancel`, owner),
          ...rivals.map((m) => book(m, slot.id)),
        ])
        t.diagnostic(`round ${round}: peak in flight ${api.peak()}`)
        assert.ok(api.peak() >= 5, `peak ${api.peak()}`)
        assert.equal(cancel.status, 200, cancel.body)
        const won = tries.filter((a) => a.status === 201).length
        assert.ok(won <= 1, `${won} rivals booked one slot`)
        assert.ok(
          tries.every((a) => a.status === 201 || (a.status === 409 && code(a) === 'SLOT_TAKEN')),
          tries.map((a) => a.body).join('\n'),
        )
        const active = await rows<{ member_id: number }>(
          s.database.db,
          sql`SELECT member_id FROM legal_bookings WHERE lawyer_id = ${slot.lawyerId}
            AND starts_at = ${new Date(slot.startsAt)} AND status <> 'cancelled'`,
        )
        assert.equal(active.length, won)
        freedAndRebooked += won
      }
      t.diagnostic(`slots rebooked by a rival within the race: ${freedAndRebooked} of 6`)
      assert.deepEqual(await doubleBooked(), [])
    })
  },
)
