/**
 * 代办 (issue #13): union staff act for a member — sign-up, cooling pack, legal booking, redemption
 * at the desk — through the member's own rules, recorded with who acted and in the audit log, and
 * shown to the member. The races (staff and member at once) run on PostgreSQL only.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { routes, type RouteDef } from '../../src/contract/routes'
import { first, rows } from '../../server/db/sql'
import { shanghaiDate } from '../../server/lib/time'
import { SEALED_PREFIX } from '../../server/lib/crypto'
import { api, expectError, newKey, type ApiClient, type RawInput } from '../support/api'
import { campaignBody } from '../support/cooling'
import { openWindows, profile } from '../support/events'
import { listen, type HttpClient } from '../support/http'
import { balanceOf, stockOf, unionIdOf } from '../support/points'
import {
  engines,
  memberNosUnder,
  startTestServer,
  tokensForAllMembers,
  type TestServer,
} from '../support/server'

const description = '单位拖欠两个月工资，想了解如何申请劳动仲裁。'
const UNKNOWN_MEMBER = 987_654

for (const engine of engines()) {
  describe(`on-behalf routes (${engine})`, () => {
    let s: TestServer
    let c: ApiClient
    let ids: Record<string, number> = {}
    let xiaomi = 0
    let zgc = 0
    /** S0001 (the root's staff, above 小米工会), S0101 (石景山: outside), A0001, M0006, M0001. */
    let staffIn = ''
    let staffOut = ''
    let admin = ''
    let m6 = ''
    let m1 = ''
    let other = ''

    before(async () => {
      s = await startTestServer(engine)
      c = api(s)
      const db = s.database.db
      const list = await rows<{ id: number; member_no: string }>(
        db,
        sql`SELECT id, member_no FROM members`,
      )
      ids = Object.fromEntries(list.map((m) => [m.member_no, m.id]))
      xiaomi = await unionIdOf(db, '小米工会')
      zgc = await unionIdOf(db, '中关村科学城工会')
      staffIn = await s.login('S0001')
      staffOut = await s.login('S0101')
      admin = await s.login('A0001')
      m6 = await s.login('M0006')
      m1 = await s.login('M0001')
      other = await s.login('M0004')
    })
    after(async () => {
      await s?.close()
    })

    const auditRows = (action: string, entityId: number) =>
      rows<{ actor_id: number; after: Record<string, unknown> }>(
        s.database.db,
        sql`SELECT actor_id, after FROM audit_log
            WHERE action = ${action} AND entity_id = ${String(entityId)}`,
      )
    const actedBy = async (table: string, id: number) =>
      (
        await first<{ acted_by: number | null }>(
          s.database.db,
          sql`SELECT acted_by FROM ${sql.identifier(table)} WHERE id = ${id}`,
        )
      )?.acted_by

    test('scope: staff outside the member’s unions 403, an unknown member 404, members 403', async () => {
      const event = await c.call(routes.createEvent, {
        token: staffIn,
        body: {
          title: '代办范围测试',
          venue: '小米科技园',
          capacity: 5,
          hostUnionIds: [zgc],
          ...openWindows(),
        },
      })
      const campaign = await c.call(routes.createCoolingCampaign, {
        token: staffIn,
        body: campaignBody(xiaomi, { title: '代办范围测试' }),
      })
      const calls = (memberId: number): Array<{ def: RouteDef; input: RawInput }> => [
        { def: routes.staffOnBehalf, input: { params: { id: memberId } } },
        {
          def: routes.staffMemberLegalSlots,
          input: {
            params: { id: memberId },
            query: { from: shanghaiDate(new Date()), to: shanghaiDate(new Date()) },
          },
        },
        {
          def: routes.staffSignup,
          input: { params: { id: event.event.id }, body: { memberId, profile: profile('male') } },
        },
        {
          def: routes.staffSaveCoolingPack,
          input: {
            params: { id: campaign.campaign.id, memberId },
            body: {
              items: [{ itemId: campaign.campaign.items[2].id, quantity: 1 }],
              delivery: { kind: 'pickup' },
            },
          },
        },
        {
          def: routes.staffCreateLegalBooking,
          input: {
            body: { memberId, slotId: 'x-1-1', topicId: 1, phone: '13800000006', description },
          },
        },
        { def: routes.staffCreateOrder, input: { body: { memberId, itemId: 1, quantity: 1 } } },
      ]
      for (const { def, input } of calls(ids.M0006)) {
        expectError(await c.callRaw(def, { ...input, token: staffOut }), 403, 'FORBIDDEN')
        expectError(await c.callRaw(def, { ...input, token: other }), 403, 'FORBIDDEN')
      }
      for (const { def, input } of calls(UNKNOWN_MEMBER)) {
        expectError(await c.callRaw(def, { ...input, token: staffIn }), 404, 'NOT_FOUND')
      }
      // Nothing was written by any of them.
      const written = await first<{ n: number }>(
        s.database.db,
        sql`SELECT (SELECT count(*) FROM event_registrations WHERE event_id = ${event.event.id})
                 + (SELECT count(*) FROM cooling_packs WHERE campaign_id = ${campaign.campaign.id})
                 AS n`,
      )
      assert.equal(Number(written?.n), 0)
      // The overview for a member in scope: as the member sees it.
      const overview = await c.call(routes.staffOnBehalf, {
        token: staffIn,
        params: { id: ids.M0006 },
      })
      assert.equal(overview.member.memberNo, 'M0006')
      assert.ok(overview.events.some((e) => e.id === event.event.id))
      assert.ok(overview.campaigns.some((x) => x.id === campaign.campaign.id))
      assert.ok(overview.topics.length > 0)
      assert.ok(overview.lawyers.length > 0 && overview.servicePoints.length > 0)
      // Admins act anywhere; staff do not act for themselves.
      await c.call(routes.staffOnBehalf, { token: admin, params: { id: ids.M0006 } })
      expectError(
        await c.callRaw(routes.staffOnBehalf, { token: staffIn, params: { id: ids.S0001 } }),
        400,
        'BAD_REQUEST',
      )
    })

    test('sign-up for a member: the member’s rules, an idempotent retry, the audit row, 代办 shown', async () => {
      const event = (
        await c.call(routes.createEvent, {
          token: staffIn,
          body: {
            title: '代办报名测试',
            venue: '小米科技园',
            capacity: 1,
            hostUnionIds: [zgc],
            ...openWindows(),
          },
        })
      ).event
      const key = newKey()
      const body = { memberId: ids.M0006, profile: profile('female', '小六') }
      const first1 = await c.call(routes.staffSignup, {
        token: staffIn,
        params: { id: event.id },
        body,
        idempotencyKey: key,
      })
      assert.equal(first1.registration.status, 'confirmed')
      assert.equal(first1.registration.memberId, ids.M0006)
      assert.equal(first1.registration.nickname, '小六')
      // The retry answers the first registration; nothing new is written.
      const again = await c.call(routes.staffSignup, {
        token: staffIn,
        params: { id: event.id },
        body,
        idempotencyKey: key,
      })
      assert.equal(again.registration.id, first1.registration.id)
      assert.equal(
        (await auditRows('event_registration.create_on_behalf', first1.registration.id)).length,
        1,
      )
      const [entry] = await auditRows('event_registration.create_on_behalf', first1.registration.id)
      assert.equal(entry.actor_id, ids.S0001)
      assert.equal(entry.after.memberId, ids.M0006)
      assert.equal(await actedBy('event_registrations', first1.registration.id), ids.S0001)
      // The same errors as the member's own route.
      expectError(
        await c.callRaw(routes.staffSignup, { token: staffIn, params: { id: event.id }, body }),
        409,
        'ALREADY_SIGNED_UP',
      )
      // Past capacity: the next one waits, as on the member's route.
      const waiting = await c.call(routes.staffSignup, {
        token: staffIn,
        params: { id: event.id },
        body: { memberId: ids.M0001, profile: profile('male') },
      })
      assert.equal(waiting.registration.status, 'waitlisted')
      assert.equal(waiting.registration.waitlistPosition, 1)
      // Not eligible: an event of 石景山 only.
      const shijingshan = await unionIdOf(s.database.db, '石景山区总工会')
      {
        const away = await c.call(routes.createEvent, {
          token: admin,
          body: {
            title: '石景山专场',
            venue: '石景山',
            capacity: 5,
            hostUnionIds: [shijingshan],
            ...openWindows(),
          },
        })
        expectError(
          await c.callRaw(routes.staffSignup, {
            token: staffIn,
            params: { id: away.event.id },
            body: { memberId: ids.M0006, profile: profile('female') },
          }),
          403,
          'NOT_ELIGIBLE',
        )
      }
      // The member sees who did it.
      const mine = await c.call(routes.event, { token: m6, params: { id: event.id } })
      assert.equal(mine.registration?.actedByStaff, true)
      const list = await c.call(routes.events, { token: m6 })
      assert.equal(list.events.find((e) => e.id === event.id)?.myRegistration?.actedByStaff, true)
      // Cancelled and signed up again by the member: no longer 代办.
      await c.call(routes.cancelSignup, { token: m6, params: { id: event.id } })
      const own = await c.call(routes.signup, {
        token: m6,
        params: { id: event.id },
        body: { profile: profile('female') },
      })
      assert.equal(own.registration.actedByStaff, undefined)
      assert.equal(await actedBy('event_registrations', own.registration.id), null)
    })

    test('cooling pack for a member: quota and stock as the member’s, the audit row, 代办 shown', async () => {
      const campaign = (
        await c.call(routes.createCoolingCampaign, {
          token: staffIn,
          body: campaignBody(xiaomi, { title: '代办礼包测试' }),
        })
      ).campaign
      const [bottle, cap, tea] = campaign.items
      const params = { id: campaign.id, memberId: ids.M0006 }
      expectError(
        await c.callRaw(routes.staffSaveCoolingPack, {
          token: staffIn,
          params,
          body: {
            items: [
              { itemId: bottle.id, quantity: 1 },
              { itemId: cap.id, quantity: 1 },
              { itemId: tea.id, quantity: 3 },
            ],
            delivery: { kind: 'pickup' },
          },
        }),
        422,
        'OVER_QUOTA',
      )
      const body = {
        items: [
          { itemId: bottle.id, quantity: 1 },
          { itemId: tea.id, quantity: 2 },
        ],
        delivery: { kind: 'pickup' as const },
      }
      const saved = await c.call(routes.staffSaveCoolingPack, { token: staffIn, params, body })
      assert.equal(saved.pack.quotaUsed, 70)
      assert.equal(saved.pack.actedByStaff, true)
      // The same body again (a retry) changes nothing: the stock is taken once.
      await c.call(routes.staffSaveCoolingPack, { token: staffIn, params, body })
      const stock = await first<{ stock_left: number }>(
        s.database.db,
        sql`SELECT stock_left FROM cooling_items WHERE id = ${bottle.id}`,
      )
      assert.equal(stock?.stock_left, 4)
      assert.equal(await actedBy('cooling_packs', saved.pack.id), ids.S0001)
      const audits = await auditRows('cooling_pack.save_on_behalf', saved.pack.id)
      assert.equal(audits.length, 2)
      assert.equal(audits[0].after.memberId, ids.M0006)
      const seen = await c.call(routes.coolingPack, { token: m6, params: { id: campaign.id } })
      assert.equal(seen.pack?.actedByStaff, true)
      // The member changes it themselves: their own pack again.
      const own = await c.call(routes.saveCoolingPack, {
        token: m6,
        params: { id: campaign.id },
        body: { items: [{ itemId: tea.id, quantity: 1 }], delivery: { kind: 'pickup' } },
      })
      assert.equal(own.pack.actedByStaff, undefined)
      assert.equal(await actedBy('cooling_packs', saved.pack.id), null)
    })

    test('a legal booking for a member: the description sealed as the member’s and never answered to staff', async () => {
      const lawyer = await first<{ id: number }>(
        s.database.db,
        sql`SELECT l.id FROM legal_lawyers l JOIN members m ON m.id = l.member_id
            WHERE m.member_no = 'L0001'`,
      )
      assert.ok(lawyer)
      const topic = await first<{ id: number }>(
        s.database.db,
        sql`SELECT min(id) AS id FROM legal_topics`,
      )
      assert.ok(topic)
      const slots = (
        await c.call(routes.staffMemberLegalSlots, {
          token: staffIn,
          params: { id: ids.M0006 },
          query: {
            from: shanghaiDate(new Date()),
            to: shanghaiDate(new Date(Date.now() + 20 * 86_400_000)),
            lawyerId: lawyer.id,
          },
        })
      ).slots.filter((x) => x.available && Date.parse(x.startsAt) > Date.now() + 6 * 3600_000)
      assert.ok(slots.length >= 3, `${slots.length} free slots`)
      const key = newKey()
      const body = {
        memberId: ids.M0006,
        slotId: slots[0].id,
        topicId: topic.id,
        phone: '13800000006',
        description,
      }
      const res = await c.callRaw(routes.staffCreateLegalBooking, {
        token: staffIn,
        body,
        idempotencyKey: key,
      })
      assert.equal(res.statusCode, 201, res.body)
      assert.ok(!res.body.includes(description), 'the staff answer holds no description')
      assert.ok(!res.body.includes('13800000006'), 'nor the phone')
      const made = (res.json() as { booking: { id: number; memberId: number } }).booking
      assert.equal(made.memberId, ids.M0006)
      // The retry answers the same booking.
      const again = await c.call(routes.staffCreateLegalBooking, {
        token: staffIn,
        body,
        idempotencyKey: key,
      })
      assert.equal(again.booking.id, made.id)
      const stored = await first<{ description: string; acted_by: number; member_id: number }>(
        s.database.db,
        sql`SELECT description, acted_by, member_id FROM legal_bookings WHERE id = ${made.id}`,
      )
      assert.ok(stored?.description.startsWith(SEALED_PREFIX), 'sealed at rest')
      assert.equal(stored?.acted_by, ids.S0001)
      assert.equal(stored?.member_id, ids.M0006)
      // Neither the audit row nor the kept answer holds the description or the phone.
      const audits = await auditRows('legal_booking.create_on_behalf', made.id)
      assert.equal(audits.length, 1)
      const kept = await rows<{ text: string }>(
        s.database.db,
        sql`SELECT response::text AS text FROM idempotency_keys WHERE member_id = ${ids.S0001}`,
      )
      for (const text of [JSON.stringify(audits[0].after), ...kept.map((k) => k.text)]) {
        assert.ok(!text.includes(description) && !text.includes('13800000006'))
      }
      // The member reads it (and sees 代办); the lawyer reads it.
      const mine = await c.call(routes.legalBookings, { token: m6 })
      const booked = mine.bookings.find((b) => b.id === made.id)
      assert.equal(booked?.description, description)
      assert.equal(booked?.actedByStaff, true)
      const day = shanghaiDate(new Date(slots[0].startsAt))
      const lawyerDay = await c.call(routes.lawyerBookings, {
        token: await s.login('L0001'),
        query: { date: day },
      })
      assert.equal(lawyerDay.bookings.find((b) => b.id === made.id)?.description, description)
      // The member's own rules: the slot is taken, and at most 2 upcoming bookings.
      expectError(
        await c.callRaw(routes.createLegalBooking, {
          token: m1,
          body: { slotId: slots[0].id, topicId: topic.id, phone: '13800000001', description },
        }),
        409,
        'SLOT_TAKEN',
      )
      await c.call(routes.staffCreateLegalBooking, {
        token: staffIn,
        body: { ...body, slotId: slots[1].id },
      })
      expectError(
        await c.callRaw(routes.staffCreateLegalBooking, {
          token: staffIn,
          body: { ...body, slotId: slots[2].id },
        }),
        422,
        'TOO_MANY_BOOKINGS',
      )
      expectError(
        await c.callRaw(routes.staffCreateLegalBooking, {
          token: staffIn,
          body,
          idempotencyKey: null,
        }),
        400,
        'IDEMPOTENCY_KEY_REQUIRED',
      )
    })

    test('redeeming at the desk for a member: points, stock, the audit row, an idempotent retry', async () => {
      const item = (
        await c.call(routes.createItem, {
          token: staffIn,
          body: {
            unionId: xiaomi,
            name: '代办兑换测试',
            pointsCost: 20,
            stock: 3,
            perMemberLimit: 2,
          },
        })
      ).item
      const before = await balanceOf(s.database.db, ids.M0006)
      const key = newKey()
      const body = { memberId: ids.M0006, itemId: item.id, quantity: 2 }
      const made = await c.call(routes.staffCreateOrder, {
        token: staffIn,
        body,
        idempotencyKey: key,
      })
      assert.equal(made.order.actedByStaff, true)
      assert.equal(made.order.pointsSpent, 40)
      assert.match(made.order.pickupCode, /^[2-9A-HJKMNP-Z]{8}$/)
      const again = await c.call(routes.staffCreateOrder, {
        token: staffIn,
        body,
        idempotencyKey: key,
      })
      assert.equal(again.order.id, made.order.id)
      assert.equal(await balanceOf(s.database.db, ids.M0006), before - 40)
      assert.equal(await stockOf(s.database.db, item.id), 1)
      assert.equal(await actedBy('mall_orders', made.order.id), ids.S0001)
      const audits = await auditRows('mall_order.create_on_behalf', made.order.id)
      assert.equal(audits.length, 1)
      assert.equal(audits[0].actor_id, ids.S0001)
      // The same key for another member is another request: refused.
      expectError(
        await c.callRaw(routes.staffCreateOrder, {
          token: staffIn,
          body: { ...body, memberId: ids.M0001 },
          idempotencyKey: key,
        }),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      )
      // The member's limits hold: 2 per member.
      expectError(
        await c.callRaw(routes.staffCreateOrder, {
          token: staffIn,
          body: { ...body, quantity: 1 },
        }),
        422,
        'LIMIT_EXCEEDED',
      )
      const mine = await c.call(routes.orders, { token: m6, query: {} })
      assert.equal(mine.orders.find((o) => o.id === made.order.id)?.actedByStaff, true)
      // Not enough points: the member's error.
      const dear = (
        await c.call(routes.createItem, {
          token: staffIn,
          body: {
            unionId: xiaomi,
            name: '代办兑换贵重',
            pointsCost: 100_000,
            stock: 3,
            perMemberLimit: 2,
          },
        })
      ).item
      expectError(
        await c.callRaw(routes.staffCreateOrder, {
          token: staffIn,
          body: { memberId: ids.M0006, itemId: dear.id, quantity: 1 },
        }),
        409,
        'INSUFFICIENT_POINTS',
      )
    })
  })
}

describe(
  'on-behalf races on PostgreSQL',
  { skip: !process.env.DATABASE_URL && 'DATABASE_URL is not set' },
  () => {
    let s: TestServer
    let http: HttpClient
    let tokens = new Map<string, string>()
    let members: string[] = []
    let ids = new Map<string, number>()
    let xiaomiRoot = 0

    before(async () => {
      s = await startTestServer('postgres')
      http = await listen(s.app, 512)
      tokens = await tokensForAllMembers(s.database.db)
      xiaomiRoot = await unionIdOf(s.database.db, '中关村科学城工会')
      members = await memberNosUnder(s.database.db, xiaomiRoot)
      assert.ok(members.length >= 30, `${members.length} members`)
      const list = await rows<{ id: number; member_no: string }>(
        s.database.db,
        sql`SELECT id, member_no FROM members`,
      )
      ids = new Map(list.map((m) => [m.member_no, m.id]))
    })
    after(async () => {
      http?.close()
      await s?.close()
    })

    const post = (path: string, token: string, body: unknown) =>
      http.request({
        method: 'POST',
        path: `/api/v1${path}`,
        token,
        body,
        headers: { 'idempotency-key': newKey() },
      })

    test('staff and members redeem the last pieces at once: never more than the stock', async () => {
      const staff = tokens.get('S0001') as string
      const created = await post('/staff/mall/items', staff, {
        unionId: xiaomiRoot,
        name: '代办抢兑测试',
        pointsCost: 1,
        stock: 3,
        perMemberLimit: 1,
      })
      assert.equal(created.status, 201, created.body)
      const itemId = (JSON.parse(created.body) as { item: { id: number } }).item.id
      const who = members.slice(0, 10)
      http.resetPeak()
      // Each member twice at once: by themselves and by staff at the desk.
      const answers = await Promise.all(
        who.flatMap((no) => [
          post('/mall/orders', tokens.get(no) as string, { itemId, quantity: 1 }),
          post('/staff/mall/orders', staff, { memberId: ids.get(no), itemId, quantity: 1 }),
        ]),
      )
      assert.ok(http.peak() > 4, `requests overlapped (peak ${http.peak()})`)
      const made = answers.filter((a) => a.status === 201).length
      assert.equal(made, 3, answers.map((a) => `${a.status}`).join(' '))
      for (const a of answers.filter((x) => x.status !== 201)) {
        assert.ok([409, 422].includes(a.status), a.body)
      }
      const check = await first<{ stock: number; orders: number; per_member: number }>(
        s.database.db,
        sql`SELECT (SELECT stock FROM mall_items WHERE id = ${itemId}) AS stock,
                   (SELECT count(*)::int FROM mall_orders WHERE item_id = ${itemId}) AS orders,
                   (SELECT coalesce(max(n), 0)::int FROM (SELECT count(*) AS n FROM mall_orders
                     WHERE item_id = ${itemId} GROUP BY member_id) x) AS per_member`,
      )
      assert.deepEqual(check, { stock: 0, orders: 3, per_member: 1 })
    })

    test('staff and members sign up for the last place at once: one place, one registration each', async () => {
      const staff = tokens.get('S0001') as string
      const created = await post('/staff/events', staff, {
        title: '代办抢报测试',
        venue: '小米科技园',
        capacity: 1,
        hostUnionIds: [xiaomiRoot],
        ...openWindows(),
      })
      assert.equal(created.status, 201, created.body)
      const eventId = (JSON.parse(created.body) as { event: { id: number } }).event.id
      const who = members.slice(20, 30)
      http.resetPeak()
      const answers = await Promise.all(
        who.flatMap((no) => [
          post(`/events/${eventId}/signup`, tokens.get(no) as string, {
            profile: profile('male'),
          }),
          post(`/staff/events/${eventId}/registrations`, staff, {
            memberId: ids.get(no),
            profile: profile('male'),
          }),
        ]),
      )
      assert.ok(http.peak() > 4, `requests overlapped (peak ${http.peak()})`)
      // Per member: one sign-up made, the other refused as already signed up.
      assert.equal(answers.filter((a) => a.status === 201).length, who.length)
      for (const a of answers.filter((x) => x.status !== 201)) {
        assert.equal(a.status, 409, a.body)
        assert.match(a.body, /ALREADY_SIGNED_UP/)
      }
      const check = await first<{
        confirmed: number
        waitlisted: number
        per_member: number
        counter: number
      }>(
        s.database.db,
        sql`SELECT count(*) FILTER (WHERE status = 'confirmed')::int AS confirmed,
                   count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted,
                   (SELECT max(n)::int FROM (SELECT count(*) AS n FROM event_registrations
                     WHERE event_id = ${eventId} GROUP BY member_id) x) AS per_member,
                   (SELECT confirmed_male + confirmed_female FROM events WHERE id = ${eventId})
                     AS counter
            FROM event_registrations WHERE event_id = ${eventId}`,
      )
      assert.deepEqual(check, {
        confirmed: 1,
        waitlisted: who.length - 1,
        per_member: 1,
        counter: 1,
      })
    })

    test('staff and members book one slot at once: one booking', async () => {
      const staff = tokens.get('S0001') as string
      const who = members.slice(10, 20)
      const from = shanghaiDate(new Date())
      const to = shanghaiDate(new Date(Date.now() + 13 * 86_400_000))
      const slotsRes = await http.request({
        method: 'GET',
        path: `/api/v1/staff/members/${ids.get(who[0])}/legal/slots?from=${from}&to=${to}`,
        token: staff,
      })
      assert.equal(slotsRes.status, 200, slotsRes.body)
      const slot = (
        JSON.parse(slotsRes.body) as {
          slots: Array<{ id: string; available: boolean; startsAt: string }>
        }
      ).slots.find((x) => x.available && Date.parse(x.startsAt) > Date.now() + 86_400_000)
      assert.ok(slot, 'a free slot')
      const topic = await first<{ id: number }>(
        s.database.db,
        sql`SELECT min(id) AS id FROM legal_topics`,
      )
      const booking = { slotId: slot.id, topicId: topic?.id, phone: '13800000001', description }
      http.resetPeak()
      const answers = await Promise.all(
        who.flatMap((no) => [
          post('/legal/bookings', tokens.get(no) as string, booking),
          post('/staff/legal/bookings', staff, { ...booking, memberId: ids.get(no) }),
        ]),
      )
      assert.ok(http.peak() > 4, `requests overlapped (peak ${http.peak()})`)
      assert.equal(answers.filter((a) => a.status === 201).length, 1)
      for (const a of answers.filter((x) => x.status !== 201)) assert.equal(a.status, 409, a.body)
      const active = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM legal_bookings
            WHERE status <> 'cancelled' AND starts_at = ${new Date(slot.startsAt)}
              AND lawyer_id = (SELECT lawyer_id FROM legal_bookings
                               WHERE starts_at = ${new Date(slot.startsAt)} LIMIT 1)`,
      )
      assert.equal(active?.n, 1)
    })
  },
)
