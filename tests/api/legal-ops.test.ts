import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type {
  AvailabilityRule,
  Closure,
  LawyerBooking,
  LegalSlot,
  MemberBooking,
  ServicePoint,
} from '../../src/contract/legal'
import { minBookingLeadMs } from '../../src/contract/legal'
import { routes } from '../../src/contract/routes'
import { first, rows } from '../../server/db/sql'
import { closuresFor, rulesFor } from '../../server/modules/legal/catalogue'
import { maskName } from '../../server/modules/legal/schedule-guard'
import { findSlot, shanghaiDate, slotId } from '../../server/modules/legal/slots'
import { addDays } from '../../server/lib/time'
import { expectError, parseAnswer } from '../support/api'
import { listen, type HttpClient } from '../support/http'
import { engines, startTestServer, type TestServer } from '../support/server'

const DAY = 86_400_000
const description = '公司拖欠我三个月工资，想咨询如何申请劳动仲裁。'
const wanda = '石景山区 万达广场 写字楼劳动关系工作站'
const bajiao = '石景山 八角街道 工会驿站'

// Issue #14: staff edit and retire lawyers, service points, weekly rules and closures without
// stranding a booking; the minimum lead time; the lawyer's notes at any time after the start.
for (const engine of engines()) {
  describe(`legal operations on ${engine}`, () => {
    let s: TestServer
    const tok: Record<string, string> = {}
    let keyNo = 0
    let points: ServicePoint[] = []
    const used = new Set<string>()

    before(async () => {
      s = await startTestServer(engine)
      for (const no of [
        'M0003',
        'M0008',
        'M0013',
        'M0018',
        'M0023',
        'S0001',
        'S0101',
        'L0001',
        'L0002',
      ]) {
        tok[no] = await s.login(no)
      }
      points = (
        (await get('/api/v1/legal/service-points', 'M0003')).json() as {
          servicePoints: ServicePoint[]
        }
      ).servicePoints
    })
    after(async () => {
      try {
        // Never a closure in force over a booked consultation, whatever happened.
        const stranded = await rows(
          s.database.db,
          sql`SELECT b.id FROM legal_bookings b JOIN legal_closures c
                ON c.retired_at IS NULL AND c.date = (b.starts_at AT TIME ZONE 'Asia/Shanghai')::date
               AND (c.service_point_id IS NULL OR c.service_point_id = b.service_point_id)
              WHERE b.status = 'booked'`,
        )
        assert.deepEqual(stranded, [])
      } finally {
        await s?.close()
      }
    })

    const get = (url: string, who: string) => s.request({ method: 'GET', url, token: tok[who] })
    const send = (method: 'POST' | 'PATCH' | 'PUT', url: string, who: string, body?: unknown) =>
      s.request({ method, url: `/api/v1${url}`, token: tok[who], body: body ?? {} })
    const book = (who: string, slot: string) =>
      s.request({
        method: 'POST',
        url: '/api/v1/legal/bookings',
        token: tok[who],
        body: { slotId: slot, topicId: 1, phone: '13800138000', description },
        headers: { 'idempotency-key': `legal-ops-${++keyNo}` },
      })
    const booked = async (who: string, slot: LegalSlot): Promise<MemberBooking> => {
      const res = await book(who, slot.id)
      assert.equal(res.statusCode, 201, `${slot.id} ${slot.startsAt} ${res.body}`)
      return (res.json() as { booking: MemberBooking }).booking
    }
    const cancel = async (who: string, id: number) =>
      assert.equal((await send('POST', `/legal/bookings/${id}/cancel`, who)).statusCode, 200)
    const day = (days: number) => shanghaiDate(new Date(Date.now() + days * DAY))
    async function slotsFrom(fromDays: number, toDays: number, who = 'M0003') {
      const res = await get(`/api/v1/legal/slots?from=${day(fromDays)}&to=${day(toDays)}`, who)
      return parseAnswer(routes.legalSlots, res).slots
    }
    const pointId = (name: string) => points.find((p) => p.name === name)!.id
    /** A free slot of a service point, a day or more ahead, not used by another test. */
    async function freeSlot(name: string, last = false, notOn?: string): Promise<LegalSlot> {
      // Fresh: earlier tests change the schedule.
      const slots = await slotsFrom(1, 13)
      const list = slots.filter(
        (x) =>
          x.servicePointId === pointId(name) &&
          shanghaiDate(new Date(x.startsAt)) !== notOn &&
          x.available &&
          !used.has(x.id) &&
          Date.parse(x.startsAt) > Date.now() + DAY,
      )
      // `last`: the last slot of its day (what a shorter rule drops first).
      const pick = last
        ? list.find((x) => !list.some((y) => y.startsAt === x.endsAt && y.lawyerId === x.lawyerId))
        : list[0]
      assert.ok(pick, `a free slot at ${name}`)
      used.add(pick.id)
      return pick
    }
    const memberName = async (no: string) =>
      (await first<{ name: string }>(
        s.database.db,
        sql`SELECT name FROM members WHERE member_no = ${no}`,
      ))!.name
    const auditCount = async (action: string) =>
      (await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action}`,
      ))!.n

    test('lead time: slots within 2 hours are not offered, booking one is SLOT_TOO_SOON', async () => {
      // Rules of 苏婉清 on today's and tomorrow's weekday, all day in 10-minute slots, at the
      // phone line (city federation): whatever the hour, a slot starts within the lead time.
      const phone = points.find((p) => p.kind === 'online' && p.channel === 'phone')!
      const lawyer = (await get('/api/v1/staff/legal/lawyers', 'S0001')).json() as {
        lawyers: Array<{ id: number; name: string }>
      }
      const su = lawyer.lawyers.find((l) => l.name === '苏婉清')!
      const today = day(0)
      for (const date of [today, addDays(today, 1)]) {
        const weekday = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1
        const res = await send('POST', '/staff/legal/availability', 'S0001', {
          lawyerId: su.id,
          servicePointId: phone.id,
          weekday,
          start: '00:00',
          end: '23:50',
          slotMinutes: 10,
          validFrom: today,
          validTo: addDays(today, 1),
        })
        assert.equal(res.statusCode, 201, res.body)
      }
      const offered = await slotsFrom(0, 1)
      assert.ok(offered.length > 0)
      for (const x of offered) {
        assert.ok(Date.parse(x.startsAt) >= Date.now() + minBookingLeadMs - 60_000, x.startsAt)
      }
      // A slot the rules give, starting between 10 minutes and the lead time from now.
      const rules = await rulesFor(s.database.db, { lawyerId: su.id })
      const closures = await closuresFor(s.database.db)
      let soon: string | undefined
      const first10 = Math.ceil((Date.now() + 10 * 60_000) / 600_000) * 600_000
      for (let t = first10; t < Date.now() + minBookingLeadMs - 10 * 60_000; t += 600_000) {
        const id = slotId(su.id, phone.id, new Date(t))
        if (findSlot(id, rules, closures)) {
          soon = id
          break
        }
      }
      assert.ok(soon, 'a slot within the lead time')
      assert.ok(!offered.some((x) => x.id === soon))
      const msg = expectError(await book('M0003', soon), 422, 'SLOT_TOO_SOON')
      assert.match(msg, /2 小时/)
      // The first offered slot of the rule can be booked, and cancelled right away.
      const next = offered.find((x) => x.lawyerId === su.id && x.servicePointId === phone.id)!
      const b = await booked('M0003', next)
      await cancel('M0003', b.id)
      // Those rules retire again, so the later tests see the seeded schedule.
      const mine = (await get('/api/v1/staff/legal/availability', 'S0001')).json() as {
        rules: AvailabilityRule[]
      }
      for (const r of mine.rules.filter((x) => x.slotMinutes === 10)) {
        const retired = await send('POST', `/staff/legal/availability/${r.id}/retire`, 'S0001')
        assert.equal(retired.statusCode, 200, retired.body)
      }
    })

    test('closures: refused over booked days with the bookings listed; lifted; moved', async () => {
      const slot = await freeSlot(wanda)
      const b1 = await booked('M0003', slot)
      const date = shanghaiDate(new Date(slot.startsAt))
      const closures = '/staff/legal/closures'
      const refused = expectError(
        await send('POST', closures, 'S0101', {
          date,
          reason: '工作站装修',
          servicePointId: pointId(wanda),
        }),
        409,
        'BOOKINGS_AFFECTED',
      )
      assert.match(refused, new RegExp(`#${b1.id} `))
      assert.match(refused, /韩律明/)
      const name = await memberName('M0003')
      assert.ok(refused.includes(maskName(name)), refused)
      assert.ok(!refused.includes(name), 'the member name is masked')
      assert.ok(!refused.includes(description) && !refused.includes('13800138000'))
      // A closure everywhere that day too; the booking stays booked.
      expectError(
        await send('POST', closures, 'S0001', { date, reason: '全市停诊' }),
        409,
        'BOOKINGS_AFFECTED',
      )
      const still = (await get('/api/v1/legal/bookings', 'M0003')).json() as {
        bookings: MemberBooking[]
      }
      assert.equal(still.bookings.find((x) => x.id === b1.id)?.status, 'booked')
      // Another service point that day is free.
      const other = await send('POST', closures, 'S0101', {
        date,
        reason: '驿站活动',
        servicePointId: pointId(bajiao),
      })
      assert.equal(other.statusCode, 201, other.body)

      // Once the member cancelled, the day can close: its slots go, and come back when lifted.
      await cancel('M0003', b1.id)
      const closed = await send('POST', closures, 'S0101', {
        date,
        reason: '工作站装修',
        servicePointId: pointId(wanda),
      })
      assert.equal(closed.statusCode, 201, closed.body)
      const closure = (closed.json() as { closure: Closure }).closure
      const wandaOn = async (d: string) =>
        (await slotsFrom(0, 13)).filter(
          (x) => x.servicePointId === pointId(wanda) && shanghaiDate(new Date(x.startsAt)) === d,
        )
      assert.equal((await wandaOn(date)).length, 0)

      // Moving it onto a booked day is refused; the reason may change.
      const slot2 = await freeSlot(wanda, false, date)
      const b2 = await booked('M0008', slot2)
      const date2 = shanghaiDate(new Date(slot2.startsAt))
      assert.notEqual(date2, date)
      const moved = expectError(
        await send('PATCH', `${closures}/${closure.id}`, 'S0101', { date: date2 }),
        409,
        'BOOKINGS_AFFECTED',
      )
      assert.match(moved, new RegExp(`#${b2.id} `))
      const renamed = await send('PATCH', `${closures}/${closure.id}`, 'S0101', {
        reason: '工作站线路检修',
      })
      assert.equal(renamed.statusCode, 200, renamed.body)
      assert.equal((renamed.json() as { closure: Closure }).closure.reason, '工作站线路检修')
      expectError(await send('PATCH', `${closures}/${closure.id}`, 'S0101', {}), 400, 'BAD_REQUEST')

      const lifted = await send('POST', `${closures}/${closure.id}/retire`, 'S0101')
      assert.equal(lifted.statusCode, 200, lifted.body)
      assert.ok((lifted.json() as { closure: Closure }).closure.retiredAt)
      assert.ok((await wandaOn(date)).length > 0)
      const listed = (await get('/api/v1/staff/legal/closures', 'S0101')).json() as {
        closures: Closure[]
      }
      assert.ok(!listed.closures.some((c) => c.id === closure.id))
      expectError(
        await send('PATCH', `${closures}/${closure.id}`, 'S0101', { reason: '再改' }),
        409,
        'ALREADY_RETIRED',
      )
      // The same day closed again brings the lifted row back (one row per day and point).
      const again = await send('POST', closures, 'S0101', {
        date,
        reason: '再次停诊',
        servicePointId: pointId(wanda),
      })
      assert.equal(again.statusCode, 201, again.body)
      assert.equal((again.json() as { closure: Closure }).closure.id, closure.id)
      assert.equal(
        (await send('POST', `${closures}/${closure.id}/retire`, 'S0101')).statusCode,
        200,
      )

      // Scope: 石景山 staff cannot touch a closure everywhere, members nothing.
      const everywhere = await send('POST', closures, 'S0001', {
        date: addDays(date, 60),
        reason: '全市停诊',
      })
      assert.equal(everywhere.statusCode, 201, everywhere.body)
      const eId = (everywhere.json() as { closure: Closure }).closure.id
      expectError(await send('POST', `${closures}/${eId}/retire`, 'S0101'), 403, 'FORBIDDEN')
      expectError(await send('POST', `${closures}/${eId}/retire`, 'M0003'), 403, 'FORBIDDEN')
      expectError(await send('POST', `${closures}/999999/retire`, 'S0101'), 404, 'NOT_FOUND')
      assert.equal(await auditCount('legal_closure.update'), 1)
      assert.equal(await auditCount('legal_closure.retire'), 2)
      await cancel('M0008', b2.id)
    })

    test('weekly rules: a change or retirement that strands a booking is refused', async () => {
      const slot = await freeSlot(wanda, true) // the last slot of its afternoon (16:30)
      const b = await booked('M0013', slot)
      const date = shanghaiDate(new Date(slot.startsAt))
      const weekday = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1
      const list = (await get('/api/v1/staff/legal/availability', 'S0101')).json() as {
        rules: AvailabilityRule[]
      }
      const rule = list.rules.find(
        (r) => r.servicePointId === pointId(wanda) && r.weekday === weekday && !r.retiredAt,
      )!
      assert.equal(rule.end, '17:00')
      const url = `/staff/legal/availability/${rule.id}`
      for (const change of [
        { end: '16:00' },
        { slotMinutes: 60 },
        { weekday: (weekday % 7) + 1 },
      ]) {
        const msg = expectError(await send('PATCH', url, 'S0101', change), 409, 'BOOKINGS_AFFECTED')
        assert.match(msg, new RegExp(`#${b.id} `))
      }
      expectError(await send('POST', `${url}/retire`, 'S0101'), 409, 'BOOKINGS_AFFECTED')
      // A change that keeps the booked slot is fine (and audit-logged with before and after).
      const longer = await send('PATCH', url, 'S0101', { end: '17:30' })
      assert.equal(longer.statusCode, 200, longer.body)
      assert.equal((longer.json() as { rule: AvailabilityRule }).rule.end, '17:30')
      const offered = (await slotsFrom(1, 13)).filter(
        (x) => x.servicePointId === pointId(wanda) && shanghaiDate(new Date(x.startsAt)) === date,
      )
      assert.ok(
        offered.some(
          (x) => x.endsAt === new Date(Date.parse(slot.endsAt) + 1_800_000).toISOString(),
        ),
      )
      assert.equal((await send('PATCH', url, 'S0101', { end: '17:00' })).statusCode, 200)
      const logged = await first<{ before: { end: string }; after: { end: string } }>(
        s.database.db,
        sql`SELECT before, after FROM audit_log WHERE action = 'legal_availability.update'
            AND entity_id = ${String(rule.id)} ORDER BY id LIMIT 1`,
      )
      assert.deepEqual([logged?.before.end, logged?.after.end], ['17:00', '17:30'])
      // The rule as a whole must still be one; scope; unknown.
      assert.match(
        expectError(await send('PATCH', url, 'S0101', { start: '18:00' }), 400, 'BAD_REQUEST'),
        /结束时间/,
      )
      expectError(await send('PATCH', url, 'S0101', { lawyerId: 2 }), 400, 'BAD_REQUEST')
      const cityRule = list.rules.find((r) => r.servicePointName.startsWith('线上'))
      assert.equal(cityRule, undefined, '石景山 staff do not list the city’s rules')
      const all = (await get('/api/v1/staff/legal/availability', 'S0001')).json() as {
        rules: AvailabilityRule[]
      }
      const online = all.rules.find((r) => r.servicePointName.startsWith('线上') && !r.retiredAt)!
      expectError(
        await send('PATCH', `/staff/legal/availability/${online.id}`, 'S0101', { end: '11:00' }),
        403,
        'FORBIDDEN',
      )
      expectError(
        await send('PATCH', '/staff/legal/availability/999999', 'S0101', { end: '11:00' }),
        404,
        'NOT_FOUND',
      )

      // Once the member cancelled, the rule retires: its weekday's slots go, it stays listed.
      await cancel('M0013', b.id)
      const retired = await send('POST', `${url}/retire`, 'S0101')
      assert.equal(retired.statusCode, 200, retired.body)
      assert.ok((retired.json() as { rule: AvailabilityRule }).rule.retiredAt)
      const left = (await slotsFrom(1, 13)).filter(
        (x) =>
          x.servicePointId === pointId(wanda) &&
          ((new Date(`${shanghaiDate(new Date(x.startsAt))}T00:00:00Z`).getUTCDay() + 6) % 7) +
            1 ===
            weekday,
      )
      assert.deepEqual(left, [])
      expectError(await book('M0013', slot.id), 404, 'UNKNOWN_SLOT')
      expectError(await send('PATCH', url, 'S0101', { end: '16:00' }), 409, 'ALREADY_RETIRED')
      const relisted = (await get('/api/v1/staff/legal/availability', 'S0101')).json() as {
        rules: AvailabilityRule[]
      }
      assert.ok(relisted.rules.find((r) => r.id === rule.id)?.retiredAt)
      assert.equal(await auditCount('legal_availability.retire'), 3)
    })

    test('lawyer notes: any time after the start, sealed, rewritable, not on cancelled ones', async () => {
      const slot = await freeSlot(wanda)
      const b = await booked('M0018', slot)
      const url = `/lawyer/bookings/${b.id}/notes`
      const notes = '建议先申请劳动仲裁，准备考勤与工资条'
      expectError(await send('PUT', url, 'L0001', { notes }), 422, 'CONSULTATION_NOT_STARTED')
      await s.database.db.execute(
        sql`UPDATE legal_bookings SET starts_at = now() - interval '10 minutes',
                                      ends_at = now() + interval '20 minutes' WHERE id = ${b.id}`,
      )
      const saved = await send('PUT', url, 'L0001', { notes })
      assert.equal(saved.statusCode, 200, saved.body)
      const lb = parseAnswer(routes.lawyerBookingNotes, saved).booking
      assert.deepEqual([lb.notes, lb.status], [notes, 'booked'])
      const raw = await first<{ notes: string }>(
        s.database.db,
        sql`SELECT notes FROM legal_bookings WHERE id = ${b.id}`,
      )
      assert.ok(raw?.notes && !raw.notes.includes('劳动仲裁'), 'sealed at rest')
      expectError(await send('PUT', url, 'L0002', { notes }), 404, 'NOT_FOUND')
      expectError(await send('PUT', url, 'M0018', { notes }), 403, 'FORBIDDEN')
      expectError(await send('PUT', url, 'L0001', { notes: '字'.repeat(2001) }), 400, 'BAD_REQUEST')
      expectError(await send('PUT', url, 'L0001', {}), 400, 'BAD_REQUEST')

      // The outcome without notes keeps them; notes can still change afterwards.
      const outcome = await send('POST', `/lawyer/bookings/${b.id}/outcome`, 'L0001', {
        status: 'completed',
      })
      assert.equal(outcome.statusCode, 200, outcome.body)
      assert.equal((outcome.json() as { booking: LawyerBooking }).booking.notes, notes)
      const later = await send('PUT', url, 'L0001', { notes: `${notes}；已电话回访` })
      assert.equal(later.statusCode, 200, later.body)
      const dayList = (
        await get(`/api/v1/lawyer/bookings?date=${shanghaiDate(new Date())}`, 'L0001')
      ).json() as { bookings: LawyerBooking[] }
      assert.equal(dayList.bookings.find((x) => x.id === b.id)?.notes, `${notes}；已电话回访`)
      // The member never sees notes; the audit log says who wrote, never what.
      const mine = (await get('/api/v1/legal/bookings', 'M0018')).body
      assert.ok(!mine.includes('已电话回访'))
      const logged = await rows<{ before: unknown; after: unknown }>(
        s.database.db,
        sql`SELECT before, after FROM audit_log WHERE action = 'legal_booking.notes'`,
      )
      assert.equal(logged.length, 2)
      assert.ok(!JSON.stringify(logged).includes('劳动仲裁'))

      // A cancelled booking takes no notes.
      const slot2 = await freeSlot(wanda)
      const c = await booked('M0018', slot2)
      await cancel('M0018', c.id)
      await s.database.db.execute(
        sql`UPDATE legal_bookings SET starts_at = now() - interval '10 minutes',
                                      ends_at = now() + interval '20 minutes' WHERE id = ${c.id}`,
      )
      expectError(
        await send('PUT', `/lawyer/bookings/${c.id}/notes`, 'L0001', { notes }),
        409,
        'NOT_BOOKED',
      )
    })

    test('service points and lawyers: edited, retired only without bookings ahead', async () => {
      const slot = await freeSlot(bajiao)
      const b = await booked('M0023', slot)
      const pointUrl = `/staff/legal/service-points/${pointId(bajiao)}`
      const renamed = await send('PATCH', pointUrl, 'S0101', { name: '八角街道 工会驿站（新址）' })
      assert.equal(renamed.statusCode, 200, renamed.body)
      assert.equal(
        parseAnswer(routes.patchLegalServicePoint, renamed).servicePoint.name,
        '八角街道 工会驿站（新址）',
      )
      expectError(await send('PATCH', pointUrl, 'S0101', { channel: 'phone' }), 400, 'BAD_REQUEST')
      expectError(
        await send('PATCH', pointUrl, 'S0101', { name: wanda }),
        409,
        'SERVICE_POINT_EXISTS',
      )
      expectError(await send('PATCH', pointUrl, 'M0023', { name: '越权' }), 403, 'FORBIDDEN')
      const phonePoint = points.find((p) => p.kind === 'online' && p.channel === 'phone')!
      expectError(
        await send('PATCH', `/staff/legal/service-points/${phonePoint.id}`, 'S0101', {
          channel: 'video',
        }),
        403,
        'FORBIDDEN',
      )
      assert.match(
        expectError(await send('POST', `${pointUrl}/retire`, 'S0101'), 409, 'BOOKINGS_AFFECTED'),
        new RegExp(`#${b.id} `),
      )

      // 苏婉清 has the booking too: she cannot retire yet; her profile can change.
      const lawyers = (await get('/api/v1/staff/legal/lawyers', 'S0001')).json() as {
        lawyers: Array<{ id: number; name: string; firm: string }>
      }
      const su = lawyers.lawyers.find((l) => l.name === '苏婉清')!
      const lawyerUrl = `/staff/legal/lawyers/${su.id}`
      const firm = await send('PATCH', lawyerUrl, 'S0001', {
        firm: '北京市和衡（石景山）律师事务所',
      })
      assert.equal(firm.statusCode, 200, firm.body)
      assert.equal(
        parseAnswer(routes.patchLegalLawyer, firm).lawyer.firm,
        '北京市和衡（石景山）律师事务所',
      )
      const skills = await send('PATCH', lawyerUrl, 'S0101', {
        specialties: ['工伤认定', '新就业形态劳动者权益'],
        bio: '专注工伤与新就业形态劳动者权益。',
      })
      assert.equal(skills.statusCode, 200, skills.body)
      const skilled = parseAnswer(routes.patchLegalLawyer, skills).lawyer
      assert.deepEqual(
        [skilled.firm, skilled.specialties, skilled.bio],
        [
          '北京市和衡（石景山）律师事务所',
          ['工伤认定', '新就业形态劳动者权益'],
          '专注工伤与新就业形态劳动者权益。',
        ],
      )
      expectError(await send('PATCH', lawyerUrl, 'S0101', {}), 400, 'BAD_REQUEST')
      expectError(await send('PATCH', lawyerUrl, 'M0023', { firm: '越权' }), 403, 'FORBIDDEN')
      expectError(await send('POST', `${lawyerUrl}/retire`, 'S0001'), 409, 'BOOKINGS_AFFECTED')

      await cancel('M0023', b.id)
      const retired = await send('POST', `${pointUrl}/retire`, 'S0101')
      assert.equal(retired.statusCode, 200, retired.body)
      const memberPoints = (await get('/api/v1/legal/service-points', 'M0023')).json() as {
        servicePoints: ServicePoint[]
      }
      assert.ok(!memberPoints.servicePoints.some((p) => p.id === pointId(bajiao)))
      const staffPoints = (await get('/api/v1/staff/legal/service-points', 'S0101')).json() as {
        servicePoints: ServicePoint[]
      }
      assert.ok(staffPoints.servicePoints.find((p) => p.id === pointId(bajiao))?.retiredAt)
      assert.ok(
        !(await slotsFrom(1, 13, 'M0023')).some((x) => x.servicePointId === pointId(bajiao)),
      )
      expectError(await book('M0023', slot.id), 404, 'UNKNOWN_SLOT')
      expectError(await send('PATCH', pointUrl, 'S0101', { name: '再改' }), 409, 'ALREADY_RETIRED')

      const gone = await send('POST', `${lawyerUrl}/retire`, 'S0001')
      assert.equal(gone.statusCode, 200, gone.body)
      const memberLawyers = (await get('/api/v1/legal/lawyers', 'M0023')).json() as {
        lawyers: Array<{ id: number }>
      }
      assert.ok(!memberLawyers.lawyers.some((l) => l.id === su.id))
      assert.ok(!(await slotsFrom(1, 13, 'M0023')).some((x) => x.lawyerId === su.id))
      const staffLawyers = (await get('/api/v1/staff/legal/lawyers', 'S0001')).json() as {
        lawyers: Array<{ id: number; retiredAt?: string | null }>
      }
      assert.ok(staffLawyers.lawyers.find((l) => l.id === su.id)?.retiredAt)
      assert.equal(await auditCount('legal_lawyer.update'), 2)
      assert.equal(await auditCount('legal_service_point.retire'), 1)
      assert.equal(await auditCount('legal_lawyer.retire'), 1)
    })
  })
}

/**
 * A closure against bookings of the same day, at once (PostgreSQL only: PGlite runs one
 * transaction at a time). Whoever wins, never a closure in force over a booked consultation.
 */
describe(
  'legal closure races on PostgreSQL',
  { skip: !process.env.DATABASE_URL && 'DATABASE_URL is not set' },
  () => {
    let s: TestServer
    let http: HttpClient
    const tok = new Map<string, string>()
    const members = ['M0003', 'M0008', 'M0013', 'M0018', 'M0023', 'M0028']

    before(async () => {
      s = await startTestServer('postgres')
      http = await listen(s.app, 64)
      for (const no of [...members, 'S0101']) tok.set(no, await s.login(no))
    })
    after(async () => {
      http?.close()
      await s?.close()
    })

    test('bookings of a day and its closure, fired together', async () => {
      const pointsRes = await http.request({
        method: 'GET',
        path: '/api/v1/legal/service-points',
        token: tok.get('M0003'),
      })
      const points = (JSON.parse(pointsRes.body) as { servicePoints: ServicePoint[] }).servicePoints
      const wandaId = points.find((p) => p.name === wanda)!.id
      const from = shanghaiDate(new Date(Date.now() + DAY))
      const to = shanghaiDate(new Date(Date.now() + 14 * DAY))
      const res = await http.request({
        method: 'GET',
        path: `/api/v1/legal/slots?from=${from}&to=${to}&servicePointId=${wandaId}`,
        token: tok.get('M0003'),
      })
      const all = (JSON.parse(res.body) as { slots: LegalSlot[] }).slots
      const days = [...new Set(all.map((x) => shanghaiDate(new Date(x.startsAt))))]
      assert.ok(days.length >= 3, `${days.length} days`)
      let keyNo = 0
      let closedDays = 0
      let bookedDays = 0
      for (const date of days.slice(0, 3)) {
        const daySlots = all.filter((x) => shanghaiDate(new Date(x.startsAt)) === date)
        http.resetPeak()
        // Each member books one slot of the day (2 upcoming at most: they cancel after).
        const answers = await Promise.all([
          ...members.map((no, i) =>
            http.request({
              method: 'POST',
              path: '/api/v1/legal/bookings',
              token: tok.get(no),
              body: {
                slotId: daySlots[i % daySlots.length].id,
                topicId: 1,
                phone: '13800138000',
                description,
              },
              headers: { 'idempotency-key': `closure-race-${date}-${++keyNo}` },
            }),
          ),
          http.request({
            method: 'POST',
            path: '/api/v1/staff/legal/closures',
            token: tok.get('S0101'),
            body: { date, reason: '竞态测试', servicePointId: wandaId },
          }),
        ])
        assert.ok(http.peak() > 1, `overlapping requests: ${http.peak()}`)
        for (const a of answers) assert.ok(a.status < 500, a.body)
        const closure = answers[answers.length - 1]
        if (closure.status === 201) closedDays++
        else bookedDays++
        const [dayStart, dayEnd] = [
          new Date(`${date}T00:00:00+08:00`),
          new Date(`${addDays(date, 1)}T00:00:00+08:00`),
        ]
        const stranded = await first<{ n: number }>(
          s.database.db,
          sql`SELECT count(*)::int AS n FROM legal_bookings b
              WHERE b.status = 'booked' AND b.service_point_id = ${wandaId}
                AND b.starts_at >= ${dayStart} AND b.starts_at < ${dayEnd}
                AND EXISTS (SELECT 1 FROM legal_closures c WHERE c.retired_at IS NULL
                            AND c.date = ${date}::date AND c.service_point_id = ${wandaId})`,
        )
        assert.equal(stranded?.n, 0)
        // Free the members for the next day.
        await s.database.db.execute(
          sql`UPDATE legal_bookings SET status = 'cancelled', cancelled_at = now()
              WHERE status = 'booked'`,
        )
      }
      assert.equal(closedDays + bookedDays, 3)
    })
  },
)
