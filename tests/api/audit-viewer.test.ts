import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type { AuditEntry, AuditResponse } from '../../src/contract/audit'
import type { LegalSlot } from '../../src/contract/legal'
import { routes } from '../../src/contract/routes'
import { auditDetails } from '../../server/modules/audit/viewer'
import { shanghaiDate } from '../../server/modules/legal/slots'
import { expectError, parseAnswer } from '../support/api'
import { memberIdOf } from '../support/points'
import { engines, startTestServer, type TestServer } from '../support/server'

const DAY = 86_400_000
const description = '工地受伤后单位不给报工伤，想咨询怎么申请工伤认定。'

// The audit log viewer (issue #14): staff read the entries of their subtree's actors, admins all;
// filters by who, what and when; pages by cursor; confidential texts and phone numbers never shown.
for (const engine of engines()) {
  describe(`audit viewer on ${engine}`, () => {
    let s: TestServer
    const tok: Record<string, string> = {}
    const ids: Record<string, number> = {}

    before(async () => {
      s = await startTestServer(engine)
      for (const no of ['M0003', 'S0001', 'S0101', 'A0001', 'L0001']) {
        tok[no] = await s.login(no)
        ids[no] = await memberIdOf(s.database.db, no)
      }
      // Actions: 石景山 staff close a day, the city's staff too, a member books and the lawyer
      // reads the day (two reads of a confidential description).
      const date = shanghaiDate(new Date(Date.now() + 300 * DAY))
      const points = (await get('/api/v1/staff/legal/service-points', 'S0101')).json() as {
        servicePoints: Array<{ id: number; kind: string }>
      }
      const workstation = points.servicePoints.find((p) => p.kind === 'workstation')!
      assert.equal(
        (
          await send('/api/v1/staff/legal/closures', 'S0101', {
            date,
            reason: '区工会培训',
            servicePointId: workstation.id,
          })
        ).statusCode,
        201,
      )
      assert.equal(
        (await send('/api/v1/staff/legal/closures', 'S0001', { date, reason: '全市停诊' }))
          .statusCode,
        201,
      )
      const from = shanghaiDate(new Date(Date.now() + DAY))
      const to = shanghaiDate(new Date(Date.now() + 13 * DAY))
      const slots = parseAnswer(
        routes.legalSlots,
        await get(`/api/v1/legal/slots?from=${from}&to=${to}`, 'M0003'),
      ).slots.filter((x: LegalSlot) => x.lawyerId === 1 && x.available)
      const booked = await s.request({
        method: 'POST',
        url: '/api/v1/legal/bookings',
        token: tok.M0003,
        body: { slotId: slots[0].id, topicId: 3, phone: '13911112222', description },
        headers: { 'idempotency-key': 'audit-viewer-1' },
      })
      assert.equal(booked.statusCode, 201, booked.body)
      const day = shanghaiDate(new Date(slots[0].startsAt))
      assert.equal((await get(`/api/v1/lawyer/bookings?date=${day}`, 'L0001')).statusCode, 200)
    })
    after(async () => {
      await s?.close()
    })

    const get = (url: string, who: string) => s.request({ method: 'GET', url, token: tok[who] })
    const send = (url: string, who: string, body: unknown) =>
      s.request({ method: 'POST', url, token: tok[who], body })
    const audit = async (who: string, query = ''): Promise<AuditResponse> => {
      const res = await get(`/api/v1/staff/audit${query}`, who)
      assert.equal(res.statusCode, 200, res.body)
      return parseAnswer(routes.staffAudit, res)
    }
    const actors = (entries: AuditEntry[]) => new Set(entries.map((e) => e.actorNo))

    test('scope: staff see their subtree’s actors, the top union and admins everyone', async () => {
      const district = await audit('S0101')
      assert.ok(district.entries.some((e) => e.action === 'legal_closure.create'))
      assert.ok(
        district.entries.every((e) => e.actorNo !== 'S0001'),
        'not the city’s staff',
      )
      assert.ok(actors(district.entries).has('S0101'))
      const city = await audit('S0001')
      assert.ok(actors(city.entries).has('S0001'))
      assert.ok(actors(city.entries).has('S0101'))
      const admin = await audit('A0001')
      assert.ok(admin.entries.length >= city.entries.length)
      // Newest first.
      const order = city.entries.map((e) => e.id)
      assert.deepEqual(
        order,
        [...order].sort((a, b) => b - a),
      )
      expectError(await get('/api/v1/staff/audit', 'M0003'), 403, 'FORBIDDEN')
      expectError(await get('/api/v1/staff/audit', 'L0001'), 403, 'FORBIDDEN')
    })

    test('description reads show who read which bookings, never the text or the phone', async () => {
      const res = await get('/api/v1/staff/audit?action=legal.description', 'A0001')
      assert.equal(res.statusCode, 200, res.body)
      assert.ok(!res.body.includes('工伤认定') && !res.body.includes('13911112222'))
      const reads = parseAnswer(routes.staffAudit, res).entries
      assert.ok(reads.length >= 2)
      assert.ok(reads.every((e) => e.action === 'legal.description.read'))
      const lawyerRead = reads.find((e) => e.actorNo === 'L0001')
      assert.ok(lawyerRead, 'the lawyer’s read is there')
      assert.match(lawyerRead.details ?? '', /bookingIds/)
      assert.match(lawyerRead.details ?? '', /lawyer\.day/)
      // Whatever an entry holds, hidden keys stay hidden.
      assert.equal(
        auditDetails(
          { phone: '13900000000', name: '旧' },
          { phone: '13911112222', description: '秘密', name: '新', notes: 'x' },
        ),
        'name: 旧 → 新',
      )
    })

    test('filters: who, what, when; pages by cursor', async () => {
      const byActor = await audit('S0001', `?actorId=${ids.S0101}`)
      assert.ok(byActor.entries.length > 0)
      assert.ok(byActor.entries.every((e) => e.actorId === ids.S0101))
      const closures = await audit('S0001', '?action=legal_closure')
      assert.deepEqual(closures.entries.map((e) => [e.actorNo, e.action]).sort(), [
        ['S0001', 'legal_closure.create'],
        ['S0101', 'legal_closure.create'],
      ])
      // `_` is no wildcard: `legal_closure` does not match `legalxclosure…`.
      assert.equal((await audit('S0001', '?action=legalxclosure')).entries.length, 0)
      const today = shanghaiDate(new Date())
      const yesterday = shanghaiDate(new Date(Date.now() - DAY))
      assert.ok((await audit('S0001', `?from=${today}&to=${today}`)).entries.length > 0)
      assert.equal((await audit('S0001', `?to=${yesterday}`)).entries.length, 0)
      expectError(
        await get(`/api/v1/staff/audit?from=${today}&to=${yesterday}`, 'S0001'),
        400,
        'BAD_REQUEST',
      )
      expectError(await get('/api/v1/staff/audit?action=DROP%20TABLE', 'S0001'), 400, 'BAD_REQUEST')
      expectError(await get('/api/v1/staff/audit?cursor=abc', 'S0001'), 400, 'BAD_REQUEST')

      // 60 more entries by 石景山 staff: two pages, no entry twice, none left out.
      await s.database.db.execute(
        sql`INSERT INTO audit_log (actor_id, action, entity, entity_id, after)
            SELECT ${ids.S0101}, 'mall_item.update', 'mall_item', g::text,
                   jsonb_build_object('stock', g)
            FROM generate_series(1, 60) g`,
      )
      const first = await audit('S0101', '?action=mall_item')
      assert.equal(first.entries.length, 50)
      assert.ok(first.next)
      const second = await audit('S0101', `?action=mall_item&cursor=${first.next}`)
      assert.equal(second.entries.length, 10)
      assert.equal(second.next, null)
      const seen = [...first.entries, ...second.entries].map((e) => e.entityId)
      assert.equal(new Set(seen).size, 60)
      assert.equal(first.entries[0].details, 'stock: 60')
    })
  })
}
