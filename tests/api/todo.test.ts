/**
 * 待办 (issue #13): `GET /me/todo` lists what the member must act on, soonest first — a pickup, an
 * open campaign without a pack, an event (check-in, waitlist, flowers, a match), the next legal
 * appointment, points expiring within 30 days. Each state is made here and read back.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { routes } from '../../src/contract/routes'
import type { TodoItem } from '../../src/contract/todo'
import { first } from '../../server/db/sql'
import { shanghaiDate } from '../../server/lib/time'
import { api, type ApiClient } from '../support/api'
import { campaignBody } from '../support/cooling'
import { openWindows, profile } from '../support/events'
import { engines, startTestServer, type TestServer } from '../support/server'

const DAY = 86_400_000

for (const engine of engines()) {
  describe(`GET /me/todo (${engine})`, () => {
    let s: TestServer
    let c: ApiClient
    let admin = ''
    let unionId = 0
    /** Two members of a union of their own (a new root: nothing of the demo reaches them). */
    let t1 = { id: 0, token: '' }
    let t2 = { id: 0, token: '' }

    before(async () => {
      s = await startTestServer(engine)
      c = api(s)
      admin = await s.login('A0001')
      unionId = (
        await c.call(routes.createUnion, {
          token: admin,
          body: { name: '待办测试工会', parentId: null },
        })
      ).union.id
      for (const [no, name] of [
        ['T9001', '待办甲'],
        ['T9002', '待办乙'],
      ] as const) {
        const m = await c.call(routes.createMember, {
          token: admin,
          body: { memberNo: no, name, unionId },
        })
        const who = { id: m.member.id, token: await s.login(no) }
        if (no === 'T9001') t1 = who
        else t2 = who
      }
    })
    after(async () => {
      await s?.close()
    })

    const todos = async (token = t1.token) => (await c.call(routes.myTodo, { token })).todos
    const ofKind = <K extends TodoItem['kind']>(list: TodoItem[], kind: K) =>
      list.filter((t): t is Extract<TodoItem, { kind: K }> => t.kind === kind)

    test('nothing to do: an empty list', async () => {
      assert.deepEqual(await todos(), [])
    })

    test('an open campaign without a pack, until the pack is chosen', async () => {
      const body = campaignBody(unionId, { title: '待办清凉' })
      const campaign = (await c.call(routes.createCoolingCampaign, { token: admin, body })).campaign
      // Not yet open: not a 待办.
      await c.call(routes.createCoolingCampaign, {
        token: admin,
        body: campaignBody(unionId, {
          title: '待办清凉（未开始）',
          opensAt: new Date(Date.now() + DAY).toISOString(),
          closesAt: new Date(Date.now() + 3 * DAY).toISOString(),
        }),
      })
      const [todo] = ofKind(await todos(), 'cooling')
      assert.equal(todo?.campaignId, campaign.id)
      assert.equal(todo.title, '待办清凉')
      assert.equal(Date.parse(todo.dueAt), Date.parse(body.closesAt))
      assert.equal(todo.link, `/packages/cooling/pages/campaign?id=${campaign.id}`)
      assert.equal(ofKind(await todos(), 'cooling').length, 1)
      await c.call(routes.saveCoolingPack, {
        token: t1.token,
        params: { id: campaign.id },
        body: {
          items: [{ itemId: campaign.items[2].id, quantity: 1 }],
          delivery: { kind: 'pickup' },
        },
      })
      assert.deepEqual(ofKind(await todos(), 'cooling'), [])
      // The other member still has it.
      assert.equal(ofKind(await todos(t2.token), 'cooling').length, 1)
    })

    test('points expiring within 30 days, and a pickup code with its deadline', async () => {
      const soon = new Date(Date.now() + 10 * DAY).toISOString()
      for (const [amount, expiresAt] of [
        [30, soon],
        [12, new Date(Date.now() + 20 * DAY).toISOString()],
        [500, new Date(Date.now() + 60 * DAY).toISOString()],
      ] as const) {
        await c.call(routes.grantPoints, {
          token: admin,
          body: { amount, reason: '待办测试', memberIds: [t1.id], expiresAt },
        })
      }
      const [points] = ofKind(await todos(), 'points')
      assert.equal(points?.points, 42)
      assert.equal(Date.parse(points.dueAt), Date.parse(soon))
      assert.equal(points.link, '/pages/points/index')

      const item = (
        await c.call(routes.createItem, {
          token: admin,
          body: { unionId, name: '待办水杯', pointsCost: 5, stock: 10, perMemberLimit: 5 },
        })
      ).item
      const order = (
        await c.call(routes.createOrder, {
          token: t1.token,
          body: { itemId: item.id, quantity: 2 },
        })
      ).order
      const [pickup] = ofKind(await todos(), 'pickup')
      assert.equal(pickup?.orderId, order.id)
      assert.equal(pickup.pickupCode, order.pickupCode)
      assert.equal(pickup.quantity, 2)
      assert.equal(pickup.dueAt, order.pickupDeadline)
      assert.equal(pickup.link, '/packages/mall/pages/orders')
      // Cancelled: nothing to pick up.
      await c.call(routes.cancelOrder, { token: t1.token, params: { id: order.id } })
      assert.deepEqual(ofKind(await todos(), 'pickup'), [])
    })

    test('events: check-in due, a waitlist place, the flower phase open, a match', async () => {
      const event = async (title: string, capacity: number) =>
        (
          await c.call(routes.createEvent, {
            token: admin,
            body: { title, venue: '测试场地', capacity, hostUnionIds: [unionId], ...openWindows() },
          })
        ).event
      const one = await event('待办联谊一', 1)
      await c.call(routes.signup, {
        token: t2.token,
        params: { id: one.id },
        body: { profile: profile('female') },
      })
      await c.call(routes.signup, {
        token: t1.token,
        params: { id: one.id },
        body: { profile: profile('male') },
      })
      const two = await event('待办联谊二', 5)
      await c.call(routes.signup, {
        token: t1.token,
        params: { id: two.id },
        body: { profile: profile('male') },
      })
      let list = ofKind(await todos(), 'event')
      const waiting = list.find((t) => t.eventId === one.id)
      assert.equal(waiting?.state, 'waitlisted')
      assert.equal(waiting.waitlistPosition, 1)
      const due = list.find((t) => t.eventId === two.id)
      assert.equal(due?.state, 'checkin')
      assert.equal(Date.parse(due.dueAt), Date.parse(two.startsAt))
      assert.equal(due.link, `/packages/events/pages/event?id=${two.id}`)

      // The event under way: both checked in, the flower phase open.
      await c.call(routes.signup, {
        token: t2.token,
        params: { id: two.id },
        body: { profile: profile('female') },
      })
      await s.database.db.execute(
        sql`UPDATE events SET signup_closes_at = now() - interval '2 minutes',
                              starts_at = now() - interval '1 minute'
            WHERE id = ${two.id}`,
      )
      for (const m of [t1, t2]) {
        await c.call(routes.staffCheckin, {
          token: admin,
          params: { id: two.id },
          body: { memberId: m.id },
        })
      }
      await c.call(routes.flowerPhase, {
        token: admin,
        params: { id: two.id },
        body: { open: true },
      })
      list = ofKind(await todos(), 'event')
      const flowers = list.find((t) => t.eventId === two.id)
      assert.equal(flowers?.state, 'flowers')
      assert.equal(flowers.link, `/packages/events/pages/flowers?id=${two.id}`)

      // Each sends the other a flower; the phase closes: a match.
      const attendeeOf = async (token: string) =>
        (await c.call(routes.flowers, { token, params: { id: two.id } })).myAttendeeId
      const a1 = await attendeeOf(t1.token)
      const a2 = await attendeeOf(t2.token)
      await c.call(routes.sendFlower, {
        token: t1.token,
        params: { id: two.id },
        body: { toAttendeeId: a2 },
      })
      await c.call(routes.sendFlower, {
        token: t2.token,
        params: { id: two.id },
        body: { toAttendeeId: a1 },
      })
      await c.call(routes.flowerPhase, {
        token: admin,
        params: { id: two.id },
        body: { open: false },
      })
      list = ofKind(await todos(), 'event')
      const matched = list.find((t) => t.eventId === two.id)
      assert.equal(matched?.state, 'matched')
      assert.equal(matched.matchCount, 1)
    })

    test('the next legal appointment, and the whole list soonest first', async () => {
      // A demo member (the lawyers serve the demo unions): M0006 books L0001's first free slot.
      const m6 = await s.login('M0006')
      const lawyer = await first<{ id: number }>(
        s.database.db,
        sql`SELECT l.id FROM legal_lawyers l JOIN members m ON m.id = l.member_id
            WHERE m.member_no = 'L0001'`,
      )
      const topic = await first<{ id: number }>(
        s.database.db,
        sql`SELECT min(id) AS id FROM legal_topics`,
      )
      assert.ok(lawyer && topic)
      const slots = (
        await c.call(routes.legalSlots, {
          token: m6,
          query: {
            from: shanghaiDate(new Date()),
            to: shanghaiDate(new Date(Date.now() + 20 * DAY)),
            lawyerId: lawyer.id,
          },
        })
      ).slots.filter((x) => x.available && Date.parse(x.startsAt) > Date.now() + 6 * 3600_000)
      assert.ok(slots.length >= 2)
      const book = async (slotId: string) =>
        (
          await c.call(routes.createLegalBooking, {
            token: m6,
            body: {
              slotId,
              topicId: topic.id,
              phone: '13800000006',
              description: '想咨询劳动合同到期不续签的补偿问题。',
            },
          })
        ).booking
      const later = await book(slots[1].id)
      const next = await book(slots[0].id)
      const list = await todos(m6)
      const legal = ofKind(list, 'legal')
      assert.equal(legal.length, 1, 'only the next appointment')
      assert.equal(legal[0].bookingId, next.id)
      assert.equal(legal[0].dueAt, next.startsAt)
      assert.equal(legal[0].link, `/packages/legal/pages/booking?id=${next.id}`)
      assert.notEqual(legal[0].bookingId, later.id)
      for (const l of [list, await todos()]) {
        const due = l.map((t) => Date.parse(t.dueAt))
        assert.deepEqual(
          due,
          [...due].sort((a, b) => a - b),
          'soonest first',
        )
      }
      // Cancelled: the later one is next.
      await c.call(routes.cancelLegalBooking, { token: m6, params: { id: next.id } })
      assert.equal(ofKind(await todos(m6), 'legal')[0]?.bookingId, later.id)
    })

    test('a signed-out caller is refused', async () => {
      const res = await c.callRaw(routes.myTodo, {})
      assert.equal(res.statusCode, 401)
    })
  })
}
