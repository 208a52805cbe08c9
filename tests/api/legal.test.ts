import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type {
  AvailabilityRule,
  LawyerBooking,
  LegalSlot,
  MemberBooking,
  ServicePoint,
  StaffBooking,
} from '../../src/contract/legal'
import { first, rows } from '../../server/db/sql'
import { shanghaiDate } from '../../server/modules/legal/slots'
import { memberIdOf } from '../support/points'
import { expectError, parseAnswer } from '../support/api'
import { routes } from '../../src/contract/routes'
import { engines, startTestServer, type TestServer } from '../support/server'

const hasChinese = (s: string) => /[\u4e00-\u9fa5]/.test(s)
const DAY = 86_400_000

const description = '公司拖欠我三个月工资，想咨询如何申请劳动仲裁。'

for (const engine of engines()) {
  describe(`legal consultation on ${engine}`, () => {
    let s: TestServer
    const tok: Record<string, string> = {}
    let keyNo = 0
    /** M0003, M0008 … are members of 四方继保工会 under 石景山 (they see its workstations). */
    const sifang = ['M0003', 'M0008', 'M0013', 'M0018', 'M0023', 'M0028']
    let outsider = '' // a member outside 石景山: online service only
    let slots: LegalSlot[] = []
    let points: ServicePoint[] = []

    before(async () => {
      s = await startTestServer(engine)
      const other = await first<{ member_no: string }>(
        s.database.db,
        sql`SELECT m.member_no FROM members m JOIN unions u ON u.id = m.union_id
            WHERE u.name = '帕克国际工会' ORDER BY m.id LIMIT 1`,
      )
      outsider = other!.member_no
      for (const no of [...sifang, outsider, 'S0001', 'S0101', 'A0001', 'L0001', 'L0002']) {
        tok[no] = await s.login(no)
      }
    })
    after(async () => {
      try {
        // At most one active booking per slot, whatever happened.
        const dup = await rows(
          s.database.db,
          sql`SELECT lawyer_id, starts_at FROM legal_bookings WHERE status <> 'cancelled'
              GROUP BY 1, 2 HAVING count(*) > 1`,
        )
        assert.deepEqual(dup, [])
      } finally {
        await s?.close()
      }
    })

    const get = (url: string, who: string) => s.request({ method: 'GET', url, token: tok[who] })
    const post = (url: string, who: string, body?: unknown, key?: string) =>
      s.request({
        method: 'POST',
        url,
        token: tok[who],
        body: body ?? {},
        headers: key ? { 'idempotency-key': key } : {},
      })
    const book = (who: string, slotId: string, extra: Record<string, unknown> = {}, key?: string) =>
      post(
        '/api/v1/legal/bookings',
        who,
        { slotId, topicId: 1, phone: '13800138000', description, ...extra },
        key ?? `legal-key-${++keyNo}`,
      )
    const range = (fromDays: number, toDays: number) =>
      `from=${shanghaiDate(new Date(Date.now() + fromDays * DAY))}&to=${shanghaiDate(new Date(Date.now() + toDays * DAY))}`
    /** Free slots starting a day or more from now (cancellable), of one service point. */
    const freeAt = (pointName: string) => {
      const p = points.find((x) => x.name === pointName)!
      return slots.filter(
        (x) =>
          x.servicePointId === p.id && x.available && Date.parse(x.startsAt) > Date.now() + DAY,
      )
    }
    const wanda = '石景山区 万达广场 写字楼劳动关系工作站'
    const phoneLine = '线上法律咨询（电话）'
    let pick = 0
    const nextSlot = (pointName = wanda) => freeAt(pointName)[pick++]

    test('catalogue: seven topics, two lawyers, service points by union', async () => {
      const t = (await get('/api/v1/legal/topics', 'M0003')).json() as {
        topics: Array<{ name: string }>
      }
      assert.deepEqual(
        t.topics.map((x) => x.name),
        [
          '劳动合同签订与解除',
          '工资拖欠',
          '工伤认定',
          '劳动争议调解',
          '法律援助申请',
          '新就业形态劳动者权益',
          '公司法',
        ],
      )
      const l = (await get('/api/v1/legal/lawyers', 'M0003')).json() as {
        lawyers: Array<{ name: string; firm: string; specialties: string[] }>
      }
      assert.deepEqual(
        l.lawyers.map((x) => x.name),
        ['韩律明', '苏婉清'],
      )
      assert.ok(l.lawyers.every((x) => x.firm && x.specialties.length > 0))
      points = (
        (await get('/api/v1/legal/service-points', 'M0003')).json() as {
          servicePoints: ServicePoint[]
        }
      ).servicePoints
      assert.ok(points.some((p) => p.name === wanda && p.kind === 'workstation' && p.address))
      assert.ok(points.some((p) => p.kind === 'online' && p.channel === 'phone'))
      const far = (await get('/api/v1/legal/service-points', outsider)).json() as {
        servicePoints: ServicePoint[]
      }
      assert.deepEqual(
        far.servicePoints.map((p) => p.kind),
        ['online', 'online'],
      )
    })

    test('slots: 30 minutes, in the future, on the rules’ Shanghai weekdays; range checked', async () => {
      // 14 days, both counted: the longest range without a lawyer or service point.
      const res = await get(`/api/v1/legal/slots?${range(0, 13)}`, 'M0003')
      // Served without the contract's check on the way out (trustedResponse): proved here.
      slots = parseAnswer(routes.legalSlots, res).slots
      assert.ok(slots.length > 40, String(slots.length))
      const wandaId = points.find((p) => p.name === wanda)!.id
      for (const x of slots) {
        assert.ok(Date.parse(x.startsAt) > Date.now())
        assert.equal(Date.parse(x.endsAt) - Date.parse(x.startsAt), 30 * 60_000)
        if (x.servicePointId === wandaId) {
          const local = new Date(Date.parse(x.startsAt) + 8 * 3600_000)
          assert.ok([2, 4].includes(local.getUTCDay()), x.startsAt) // Tue, Thu
          assert.ok(local.getUTCHours() >= 14 && local.getUTCHours() < 17, x.startsAt)
        }
      }
      // An outsider sees no workstation slots.
      const far = (await get(`/api/v1/legal/slots?${range(0, 13)}`, outsider)).json() as {
        slots: LegalSlot[]
      }
      assert.ok(far.slots.length > 0)
      assert.ok(far.slots.every((x) => x.servicePointId !== wandaId))
      expectError(await get(`/api/v1/legal/slots?${range(5, 1)}`, 'M0003'), 400, 'BAD_REQUEST')
      assert.equal(
        (await get(`/api/v1/legal/slots?${range(3, 3)}`, 'M0003')).statusCode,
        200, // one day
      )
      expectError(
        await get('/api/v1/legal/slots?from=2026-13-01&to=2026-13-02', 'M0003'),
        400,
        'BAD_REQUEST',
      )
      // Filters
      const l1 = (
        (await get(`/api/v1/legal/slots?${range(0, 20)}&lawyerId=1`, 'M0003')).json() as {
          slots: LegalSlot[]
        }
      ).slots
      assert.ok(l1.length > 0 && l1.every((x) => x.lawyerId === 1))
    })

    test('slots: a range too long is 400 RANGE_TOO_LONG (14 days unfiltered, 62 filtered)', async () => {
      const wandaId = points.find((p) => p.name === wanda)!.id
      const tooLong = expectError(
        await get(`/api/v1/legal/slots?${range(0, 14)}`, 'M0003'),
        400,
        'RANGE_TOO_LONG',
      )
      assert.equal(tooLong, '查询时间范围过长：不指定律师或服务点时最多 14 天')
      const backwards = expectError(
        await get(`/api/v1/legal/slots?${range(5, 1)}`, 'M0003'),
        400,
        'BAD_REQUEST',
      )
      assert.ok(backwards.includes('结束日期不能早于开始日期'), backwards)
      // One service point or one lawyer: up to 62 days, both counted.
      const res = await get(
        `/api/v1/legal/slots?${range(0, 61)}&servicePointId=${wandaId}`,
        'M0003',
      )
      assert.equal(res.statusCode, 200, res.body)
      const long = (res.json() as { slots: LegalSlot[] }).slots
      assert.ok(long.every((x) => x.servicePointId === wandaId))
      assert.ok(
        long.some((x) => Date.parse(x.startsAt) > Date.now() + 50 * DAY),
        'slots seven weeks ahead',
      )
      assert.equal(
        (await get(`/api/v1/legal/slots?${range(0, 61)}&lawyerId=1`, 'M0003')).statusCode,
        200,
      )
      const filteredTooLong = expectError(
        await get(`/api/v1/legal/slots?${range(0, 62)}&servicePointId=${wandaId}`, 'M0003'),
        400,
        'RANGE_TOO_LONG',
      )
      assert.equal(filteredTooLong, '查询时间范围过长：最多 62 天')
      expectError(
        await get(`/api/v1/legal/slots?${range(0, 400)}&lawyerId=1`, 'M0003'),
        400,
        'RANGE_TOO_LONG',
      )
    })

    test('booking: key required, validation in Chinese, forged slots, replay, taken, too many', async () => {
      const slot = nextSlot()
      const body = { slotId: slot.id, topicId: 2, phone: '13800138000', description }
      expectError(
        await post('/api/v1/legal/bookings', 'M0003', body),
        400,
        'IDEMPOTENCY_KEY_REQUIRED',
      )
      const badPhone = expectError(
        await book('M0003', slot.id, { phone: '12345' }),
        400,
        'BAD_REQUEST',
      )
      assert.match(badPhone, /手机号/)
      const short = expectError(
        await book('M0003', slot.id, { description: '欠薪' }),
        400,
        'BAD_REQUEST',
      )
      assert.match(short, /10 个字/)
      expectError(await book('M0003', slot.id, { extra: 1 }), 400, 'BAD_REQUEST')
      expectError(await book('M0003', slot.id.replace(/\d\d$/, '15')), 404, 'UNKNOWN_SLOT')
      expectError(
        await book('M0003', `999-${slot.id.split('-').slice(1).join('-')}`),
        404,
        'UNKNOWN_SLOT',
      )
      expectError(await book('M0003', 'nonsense'), 404, 'UNKNOWN_SLOT')
      expectError(await book('M0003', slot.id, { topicId: 999 }), 404, 'NOT_FOUND')
      // A workstation of 石景山 is not offered to a member of 帕克国际.
      expectError(await book(outsider, slot.id), 404, 'UNKNOWN_SLOT')

      const first1 = await post('/api/v1/legal/bookings', 'M0003', body, 'book-replay-0001')
      assert.equal(first1.statusCode, 201, first1.body)
      const b = (first1.json() as { booking: MemberBooking }).booking
      assert.equal(b.slotId, slot.id)
      assert.equal(b.status, 'booked')
      assert.equal(b.description, description)
      assert.equal(b.startsAt, slot.startsAt)
      assert.equal(b.topicName, '工资拖欠')
      assert.ok(!('notes' in b))
      const again = await post('/api/v1/legal/bookings', 'M0003', body, 'book-replay-0001')
      assert.equal(again.statusCode, 201)
      assert.equal((again.json() as { booking: MemberBooking }).booking.id, b.id)
      expectError(
        await post('/api/v1/legal/bookings', 'M0003', { ...body, topicId: 3 }, 'book-replay-0001'),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      )
      const count = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM legal_bookings WHERE member_id = ${await memberIdOf(s.database.db, 'M0003')}`,
      )
      assert.equal(count?.n, 1)

      expectError(await book('M0008', slot.id), 409, 'SLOT_TAKEN')
      const listed = (await get(`/api/v1/legal/slots?${range(0, 13)}`, 'M0008')).json() as {
        slots: LegalSlot[]
      }
      assert.equal(listed.slots.find((x) => x.id === slot.id)?.available, false)

      assert.equal((await book('M0003', nextSlot(phoneLine).id)).statusCode, 201)
      expectError(await book('M0003', nextSlot().id), 422, 'TOO_MANY_BOOKINGS')
    })

    test('SLOT_IN_PAST: a real slot of yesterday; staff writes with scope and audit', async () => {
      const yesterday = shanghaiDate(new Date(Date.now() - DAY))
      const weekday = ((new Date(Date.parse(`${yesterday}T00:00:00Z`)).getUTCDay() + 6) % 7) + 1
      const created = await post('/api/v1/staff/legal/service-points', 'S0101', {
        unionId: points.find((p) => p.name === wanda)!.unionId,
        name: '石景山 测试工作站',
        kind: 'workstation',
        address: '北京市石景山区 测试路 1 号',
      })
      assert.equal(created.statusCode, 201, created.body)
      const point = (created.json() as { servicePoint: ServicePoint }).servicePoint
      expectError(
        await post('/api/v1/staff/legal/service-points', 'S0101', {
          unionId: point.unionId,
          name: '石景山 测试工作站',
          kind: 'workstation',
          address: '别处',
        }),
        409,
        'SERVICE_POINT_EXISTS',
      )
      expectError(
        await post('/api/v1/staff/legal/service-points', 'S0101', {
          unionId: point.unionId,
          name: '无地址',
          kind: 'workstation',
        }),
        400,
        'BAD_REQUEST',
      )
      const ruleBody = {
        lawyerId: 2,
        servicePointId: point.id,
        weekday,
        start: '06:00',
        end: '07:00',
        slotMinutes: 30,
        validFrom: shanghaiDate(new Date(Date.now() - 3 * DAY)),
      }
      expectError(
        await post('/api/v1/staff/legal/availability', 'S0101', { ...ruleBody, end: '05:00' }),
        400,
        'BAD_REQUEST',
      )
      const rule = await post('/api/v1/staff/legal/availability', 'S0101', ruleBody)
      assert.equal(rule.statusCode, 201, rule.body)
      assert.equal((rule.json() as { rule: AvailabilityRule }).rule.lawyerName, '苏婉清')
      const rules = (await get('/api/v1/staff/legal/availability', 'S0101')).json() as {
        rules: AvailabilityRule[]
      }
      assert.ok(rules.rules.some((r) => r.servicePointId === point.id))
      // 石景山 staff may not touch the city federation's online lines.
      const phone = points.find((p) => p.name === phoneLine)!
      expectError(
        await post('/api/v1/staff/legal/availability', 'S0101', {
          ...ruleBody,
          servicePointId: phone.id,
        }),
        403,
        'FORBIDDEN',
      )
      expectError(
        await post('/api/v1/staff/legal/availability', 'M0003', ruleBody),
        403,
        'FORBIDDEN',
      )

      const pastId = `2-${point.id}-${yesterday.replaceAll('-', '')}0600`
      expectError(await book('M0013', pastId), 422, 'SLOT_IN_PAST')

      // Closures: one service point by its staff; everywhere only from the top.
      const tomorrow = shanghaiDate(new Date(Date.now() + DAY))
      expectError(
        await post('/api/v1/staff/legal/closures', 'S0101', { date: tomorrow, reason: '停电检修' }),
        403,
        'FORBIDDEN',
      )
      const closed = await post('/api/v1/staff/legal/closures', 'S0101', {
        date: tomorrow,
        reason: '停电检修',
        servicePointId: point.id,
      })
      assert.equal(closed.statusCode, 201, closed.body)
      const closures = (await get('/api/v1/staff/legal/closures', 'S0101')).json() as {
        closures: Array<{ date: string; reason: string }>
      }
      assert.ok(closures.closures.some((c) => c.reason === '元旦假期' && c.date === '2027-01-01'))
      assert.ok(closures.closures.some((c) => c.reason === '停电检修' && c.date === tomorrow))

      // Lawyer profiles: only for members holding the role, once.
      const m13 = await memberIdOf(s.database.db, 'M0013')
      const l1 = await memberIdOf(s.database.db, 'L0001')
      expectError(
        await post('/api/v1/staff/legal/lawyers', 'S0101', { memberId: m13, firm: '某律所' }),
        422,
        'NOT_A_LAWYER',
      )
      expectError(
        await post('/api/v1/staff/legal/lawyers', 'S0101', { memberId: l1, firm: '某律所' }),
        409,
        'LAWYER_EXISTS',
      )

      const audited = await rows<{ action: string }>(
        s.database.db,
        sql`SELECT action FROM audit_log WHERE action LIKE 'legal\\_%' ORDER BY id`,
      )
      assert.deepEqual(
        audited.map((a) => a.action),
        ['legal_service_point.create', 'legal_availability.create', 'legal_closure.create'],
      )
    })

    test('cancel: own only, frees the slot, not twice, not within 2 hours', async () => {
      const slot = nextSlot()
      const res = await book('M0013', slot.id)
      assert.equal(res.statusCode, 201, res.body)
      const b = (res.json() as { booking: MemberBooking }).booking
      expectError(await post(`/api/v1/legal/bookings/${b.id}/cancel`, 'M0018'), 404, 'NOT_FOUND')
      const cancelled = await post(`/api/v1/legal/bookings/${b.id}/cancel`, 'M0013')
      assert.equal(cancelled.statusCode, 200, cancelled.body)
      assert.equal((cancelled.json() as { booking: MemberBooking }).booking.status, 'cancelled')
      expectError(
        await post(`/api/v1/legal/bookings/${b.id}/cancel`, 'M0013'),
        409,
        'NOT_CANCELLABLE',
      )
      // The slot is free again.
      assert.equal((await book('M0018', slot.id)).statusCode, 201)

      const soon = await book('M0013', nextSlot().id)
      const soonId = (soon.json() as { booking: MemberBooking }).booking.id
      await s.database.db.execute(
        sql`UPDATE legal_bookings SET starts_at = now() + interval '90 minutes',
                                      ends_at = now() + interval '120 minutes'
            WHERE id = ${soonId}`,
      )
      expectError(
        await post(`/api/v1/legal/bookings/${soonId}/cancel`, 'M0013'),
        422,
        'TOO_LATE_TO_CANCEL',
      )
    })

    test('lawyer: own day with descriptions, outcome after the start, rating once', async () => {
      const slot = nextSlot() // 韩律明 at the workstation
      const res = await book('M0023', slot.id, { description: `${description}（第二次咨询）` })
      assert.equal(res.statusCode, 201, res.body)
      const b = (res.json() as { booking: MemberBooking }).booking
      const date = shanghaiDate(new Date(slot.startsAt))

      const day = (await get(`/api/v1/lawyer/bookings?date=${date}`, 'L0001')).json() as {
        bookings: LawyerBooking[]
      }
      const mine = day.bookings.find((x) => x.id === b.id)!
      assert.equal(mine.description, `${description}（第二次咨询）`)
      assert.equal(mine.phone, '13800138000')
      assert.equal(mine.topicName, '劳动合同签订与解除')
      assert.ok(hasChinese(mine.memberName))
      assert.ok(day.bookings.every((x) => x.lawyerId === 1))
      const other = (await get(`/api/v1/lawyer/bookings?date=${date}`, 'L0002')).json() as {
        bookings: LawyerBooking[]
      }
      assert.ok(other.bookings.every((x) => x.lawyerId === 2 && x.id !== b.id))
      expectError(await get(`/api/v1/lawyer/bookings?date=${date}`, 'M0023'), 403, 'FORBIDDEN')

      const outcome = `/api/v1/lawyer/bookings/${b.id}/outcome`
      expectError(
        await post(outcome, 'L0001', { status: 'completed' }),
        422,
        'CONSULTATION_NOT_STARTED',
      )
      expectError(await post(outcome, 'L0002', { status: 'completed' }), 404, 'NOT_FOUND')
      expectError(await post(outcome, 'L0001', { status: 'done' }), 400, 'BAD_REQUEST')
      const rate = `/api/v1/legal/bookings/${b.id}/rating`
      expectError(await post(rate, 'M0023', { stars: 5 }), 422, 'NOT_RATEABLE')

      await s.database.db.execute(
        sql`UPDATE legal_bookings SET starts_at = now() - interval '40 minutes',
                                      ends_at = now() - interval '10 minutes'
            WHERE id = ${b.id}`,
      )
      const notes = '建议先申请劳动仲裁，准备考勤与工资条'
      const done = await post(outcome, 'L0001', { status: 'completed', notes })
      assert.equal(done.statusCode, 200, done.body)
      const lb = (done.json() as { booking: LawyerBooking }).booking
      assert.equal(lb.status, 'completed')
      assert.equal(lb.notes, notes)
      expectError(await post(outcome, 'L0001', { status: 'no_show' }), 409, 'NOT_BOOKED')

      expectError(await post(rate, 'M0023', { stars: 6 }), 400, 'BAD_REQUEST')
      expectError(await post(rate, 'M0028', { stars: 5 }), 404, 'NOT_FOUND')
      const rated = await post(rate, 'M0023', { stars: 5, comment: '很专业' })
      assert.equal(rated.statusCode, 200, rated.body)
      assert.equal((rated.json() as { booking: MemberBooking }).booking.ratingStars, 5)
      expectError(await post(rate, 'M0023', { stars: 4 }), 409, 'ALREADY_RATED')

      // The member never sees the lawyer's notes.
      const own = await get('/api/v1/legal/bookings', 'M0023')
      assert.ok(!own.body.includes(notes))
      const list = (own.json() as { bookings: MemberBooking[] }).bookings
      assert.ok(list.every((x) => !('notes' in x)))
      assert.equal(list.find((x) => x.id === b.id)?.description, `${description}（第二次咨询）`)
    })

    test('staff: bookings of their subtree, without description, phone or notes', async () => {
      const res = await get('/api/v1/staff/legal/bookings', 'S0101')
      assert.equal(res.statusCode, 200, res.body)
      const { bookings, total } = res.json() as { bookings: StaffBooking[]; total: number }
      assert.ok(bookings.length >= 3)
      assert.equal(total, bookings.length)
      for (const x of bookings) {
        assert.ok(!('description' in x) && !('notes' in x) && !('phone' in x), JSON.stringify(x))
      }
      assert.ok(!res.body.includes('拖欠我三个月工资'))
      assert.ok(!res.body.includes('劳动仲裁，准备考勤'))
      assert.ok(!res.body.includes('13800138000'))
      // The city federation's online line lies outside 石景山's subtree.
      const phone = points.find((p) => p.name === phoneLine)!
      assert.ok(bookings.every((x) => x.servicePointId !== phone.id))
      const root = (await get('/api/v1/staff/legal/bookings', 'S0001')).json() as {
        bookings: StaffBooking[]
      }
      assert.ok(root.bookings.some((x) => x.servicePointId === phone.id))
      expectError(await get('/api/v1/staff/legal/bookings', 'M0003'), 403, 'FORBIDDEN')
      expectError(await get('/api/v1/staff/legal/bookings', 'L0001'), 403, 'FORBIDDEN')
    })

    test('every description read is in the audit log', async () => {
      const m = await memberIdOf(s.database.db, 'M0003')
      const before = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'legal.description.read'`,
      )
      const list = (await get('/api/v1/legal/bookings', 'M0003')).json() as {
        bookings: MemberBooking[]
      }
      const row = await first<{ actor_id: number; after: { bookingIds: number[]; via: string } }>(
        s.database.db,
        sql`SELECT actor_id, after FROM audit_log WHERE action = 'legal.description.read'
            ORDER BY id DESC LIMIT 1`,
      )
      assert.equal(row?.actor_id, m)
      assert.equal(row?.after.via, 'member.list')
      assert.deepEqual([...row!.after.bookingIds].sort(), list.bookings.map((x) => x.id).sort())
      const lawyer = await memberIdOf(s.database.db, 'L0001')
      const date = shanghaiDate(new Date(list.bookings[0].startsAt))
      await get(`/api/v1/lawyer/bookings?date=${date}`, 'L0001')
      const lrow = await first<{ actor_id: number; after: { via: string } }>(
        s.database.db,
        sql`SELECT actor_id, after FROM audit_log WHERE action = 'legal.description.read'
            ORDER BY id DESC LIMIT 1`,
      )
      assert.equal(lrow?.actor_id, lawyer)
      assert.equal(lrow?.after.via, 'lawyer.day')
      // Staff reading bookings logs no description read (they get none).
      const n = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'legal.description.read'`,
      )
      await get('/api/v1/staff/legal/bookings', 'S0101')
      const n2 = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'legal.description.read'`,
      )
      assert.equal(n2?.n, n?.n)
      assert.ok((n?.n ?? 0) > (before?.n ?? 0))
    })
  })
}
