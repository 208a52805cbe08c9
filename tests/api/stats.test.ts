/**
 * 数据看板 (issue #14): `GET /staff/stats` — every figure against a fixture whose counts are known,
 * made in a union tree of its own (统计测试总工会 → 统计测试企业工会, and 统计测试外部工会 beside
 * them), in March 2026; rows just outside the period and outside the subtree must not count.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import ExcelJS from 'exceljs'
import { sql } from 'drizzle-orm'
import { routes } from '../../src/contract/routes'
import { first, rows } from '../../server/db/sql'
import { XLSX_TYPE } from '../../server/lib/xlsx'
import { api, expectError, urlOf, type ApiClient } from '../support/api'
import { engines, startTestServer, type TestServer } from '../support/server'

const FROM = '2026-03-01'
const TO = '2026-03-31'
/** A moment in Shanghai time, e.g. `at('03-05 10:00')` in 2026. */
const at = (s: string) => `2026-${s.replace(' ', 'T')}:00+08:00`
/** Pickup codes: 8 characters of the code alphabet (no 0, 1, I, L, O). */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
const pickupCode = (n: number) =>
  `STQZ${[3, 2, 1, 0].map((p) => ALPHABET[Math.floor(n / ALPHABET.length ** p) % ALPHABET.length]).join('')}`

for (const engine of engines()) {
  describe(`GET /staff/stats (${engine})`, () => {
    let s: TestServer
    let c: ApiClient
    let admin = ''
    let rootStaff = ''
    let childStaff = ''
    let member = ''
    const u = { root: 0, child: 0, out: 0 }
    /** Member ids by member number. */
    const m: Record<string, number> = {}

    const db = () => s.database.db
    const one = async (q: ReturnType<typeof sql>) => (await first<{ id: number }>(db(), q))!.id

    before(async () => {
      s = await startTestServer(engine)
      c = api(s)
      admin = await s.login('A0001')
      member = await s.login('M0001')
      for (const [key, name, parent] of [
        ['root', '统计测试总工会', null],
        ['child', '统计测试企业工会', 'root'],
        ['out', '统计测试外部工会', null],
      ] as const) {
        u[key] = (
          await c.call(routes.createUnion, {
            token: admin,
            body: { name, parentId: parent === null ? null : u[parent] },
          })
        ).union.id
      }

      // Members: 15 in the root's subtree (3 bound; one only a lawyer, so 14 `member`s), 12 in
      // the child's, 2 outside.
      const people: Array<[string, number, string[], string | null, number | null]> = [
        ['Q70001', u.root, ['member', 'staff'], null, u.root],
        ['Q71001', u.root, ['member'], null, null],
        ['Q71002', u.root, ['member'], null, null],
        ['Q70002', u.child, ['member', 'staff'], null, u.child],
        ...Array.from(
          { length: 10 },
          (_, i): [string, number, string[], string | null, number | null] => [
            `Q720${String(i + 1).padStart(2, '0')}`,
            u.child,
            ['member'],
            i < 3 ? `o-stats-${i}` : null,
            null,
          ],
        ),
        ['Q72011', u.child, ['lawyer'], null, null],
        ['Q73001', u.out, ['member'], null, null],
        ['Q73002', u.out, ['member'], null, null],
      ]
      for (const [no, union, roles, openid, staffOf] of people) {
        m[no] = await one(
          sql`INSERT INTO members (member_no, name, union_id, roles, wechat_openid, staff_union_id)
              VALUES (${no}, ${'统计' + no}, ${union}, ${sql.param(roles)}::text[], ${openid}, ${staffOf})
              RETURNING id`,
        )
      }
      rootStaff = await s.login('Q70001')
      childStaff = await s.login('Q70002')
      const childMembers = Array.from(
        { length: 10 },
        (_, i) => m[`Q720${String(i + 1).padStart(2, '0')}`]!,
      )

      // Points: grants, redemptions, a refund, expiries (check-in earnings come with the event).
      const ledger = async (no: string, kind: string, amount: number, when: string, reg?: number) =>
        db().execute(
          sql`INSERT INTO point_ledger (member_id, kind, amount, balance_after, reason, registration_id, created_at)
              VALUES (${m[no]}, ${kind}, ${amount}, 1000, '统计测试', ${reg ?? null}, ${when})`,
        )
      for (let i = 1; i <= 10; i++) {
        await ledger(`Q720${String(i).padStart(2, '0')}`, 'grant', 100, at('03-05 10:00'))
      }
      await ledger('Q71001', 'grant', 50, at('03-31 23:59')) // last minute of the period
      await ledger('Q71002', 'grant', 70, at('02-28 23:59')) // a minute before it
      await ledger('Q71002', 'grant', 80, at('04-01 00:00')) // the first minute after it
      await ledger('Q73001', 'grant', 500, at('03-05 10:00')) // outside the subtree
      for (const no of ['Q72001', 'Q72002', 'Q72003', 'Q72004']) {
        await ledger(no, 'redeem', -30, at('03-10 09:00'))
      }
      await ledger('Q72004', 'refund', 30, at('03-12 09:00'))
      await ledger('Q72005', 'expire', -20, at('03-15 00:00'))
      await ledger('Q71001', 'expire', -20, at('03-15 00:00'))

      // Mall: two items; 5 orders of the subtree in the period (one outside it, one outside the
      // subtree).
      const item = async (name: string, cost: number) =>
        one(
          sql`INSERT INTO mall_items (union_id, name, points_cost, stock, per_member_limit)
              VALUES (${u.root}, ${name}, ${cost}, 100, 10) RETURNING id`,
        )
      const cup = await item('统计测试保温杯', 10)
      const umbrella = await item('统计测试雨伞', 20)
      let code = 0
      const order = async (
        no: string,
        itemId: number,
        cost: number,
        quantity: number,
        status: string,
        when: string,
      ) =>
        db().execute(
          sql`INSERT INTO mall_orders (member_id, item_id, quantity, unit_cost, points_spent,
                                       pickup_code, status, pickup_deadline, created_at, closed_at,
                                       fulfilled_by)
              VALUES (${m[no]}, ${itemId}, ${quantity}, ${cost}, ${quantity * cost},
                      ${pickupCode(++code)}, ${status}, ${when}::timestamptz + interval '7 days',
                      ${when}, ${status === 'awaiting_pickup' ? null : when},
                      ${status === 'fulfilled' ? m.Q70001 : null})`,
        )
      await order('Q72001', cup, 10, 1, 'fulfilled', at('03-10 09:00'))
      await order('Q72002', cup, 10, 2, 'fulfilled', at('03-10 09:00'))
      await order('Q72003', cup, 10, 1, 'expired', at('03-10 09:00'))
      await order('Q72004', umbrella, 20, 1, 'cancelled', at('03-10 09:00'))
      await order('Q71001', umbrella, 20, 1, 'awaiting_pickup', at('03-30 09:00'))
      await order('Q71002', umbrella, 20, 1, 'fulfilled', at('04-02 09:00'))
      await order('Q73001', cup, 10, 1, 'fulfilled', at('03-10 09:00'))

      // Cooling: a campaign of the root in the period (10 packs: 6 chosen — 3 pickup, 2 to site
      // 一号, 1 to site 二号 — and 4 default), one after it, one outside the subtree.
      const campaign = async (union: number, title: string, opens: string, closes: string) =>
        one(
          sql`INSERT INTO cooling_campaigns (union_id, title, opens_at, closes_at, closed_at, quota, created_by)
              VALUES (${union}, ${title}, ${opens}, ${closes}, ${closes}, 100, ${m.Q70001})
              RETURNING id`,
        )
      const k1 = await campaign(u.root, '统计测试清凉一', at('02-20 09:00'), at('03-10 18:00'))
      await campaign(u.root, '统计测试清凉二', at('05-01 09:00'), at('05-20 18:00'))
      const k3 = await campaign(u.out, '统计测试外部清凉', at('03-01 09:00'), at('03-10 18:00'))
      const site = async (name: string) =>
        one(
          sql`INSERT INTO cooling_sites (union_id, name, address)
              VALUES (${u.child}, ${name}, '新疆若羌县项目部') RETURNING id`,
        )
      const site1 = await site('统计测试一号工地')
      const site2 = await site('统计测试二号工地')
      const pack = async (
        campaignId: number,
        memberId: number,
        siteId: number | null,
        status: string,
        isDefault: boolean,
      ) =>
        db().execute(
          sql`INSERT INTO cooling_packs (campaign_id, member_id, quota_used, quota_limit,
                                         delivery_kind, site_id, recipient, phone, status,
                                         is_default, shipped_at, received_at)
              VALUES (${campaignId}, ${memberId}, 50, 100, ${siteId === null ? 'pickup' : 'site'},
                      ${siteId}, ${siteId === null ? null : '王师傅'},
                      ${siteId === null ? null : '13800000000'}, ${status}, ${isDefault},
                      ${status === 'submitted' ? null : at('03-11 09:00')},
                      ${status === 'received' ? at('03-12 09:00') : null})`,
        )
      await pack(k1, m.Q70001!, null, 'submitted', false)
      await pack(k1, m.Q71001!, null, 'submitted', false)
      await pack(k1, m.Q71002!, null, 'submitted', false)
      await pack(k1, childMembers[0]!, site1, 'shipped', false)
      await pack(k1, childMembers[1]!, site1, 'received', false)
      await pack(k1, childMembers[2]!, site2, 'shipped', false)
      for (const id of childMembers.slice(3, 7)) await pack(k1, id, null, 'submitted', true)
      await pack(k3, m.Q73001!, null, 'submitted', false)

      // Events: E1 of the child (8 sign-ups, 4 check-ins, 2 waitlisted, 5 flowers, 2 matches),
      // E2 co-hosted by the root and the outside union, E3 after the period, E4 outside.
      let ev = 0
      const event = async (hosts: number[], starts: string) => {
        ev++
        const id = await one(
          sql`INSERT INTO events (title, venue, starts_at, ends_at, signup_opens_at, signup_closes_at,
                                  capacity, checkin_code, created_by)
              VALUES (${`统计测试联谊${ev}`}, '工人文化宫', ${starts},
                      ${starts}::timestamptz + interval '3 hours',
                      ${starts}::timestamptz - interval '20 days',
                      ${starts}::timestamptz - interval '1 day', 20,
                      ${`STATS-EVENT-${ev}-${engine}`}, ${m.Q70001})
              RETURNING id`,
        )
        for (const h of hosts) {
          await db().execute(sql`INSERT INTO event_hosts (event_id, union_id) VALUES (${id}, ${h})`)
        }
        return id
      }
      let seq = 0
      const register = async (
        eventId: number,
        memberId: number,
        status: string,
        checkedIn: boolean,
      ) => {
        seq++
        return one(
          sql`INSERT INTO event_registrations (event_id, member_id, public_id, checkin_code, nickname,
                                               gender, birth_year, status, queue_seq, cancelled_at,
                                               checked_in_at)
              VALUES (${eventId}, ${memberId}, ${`STP${seq}`}, ${`STC${seq}`}, ${`昵称${seq}`},
                      ${seq % 2 ? 'male' : 'female'}, 1995, ${status}, ${seq},
                      ${status === 'cancelled' ? at('03-01 09:00') : null},
                      ${checkedIn ? at('03-20 19:05') : null})
              RETURNING id`,
        )
      }
      const e1 = await event([u.child], at('03-20 19:00'))
      const regs: number[] = []
      for (let i = 0; i < 6; i++) {
        regs.push(await register(e1, childMembers[i]!, 'confirmed', i < 4))
      }
      await register(e1, childMembers[6]!, 'waitlisted', false)
      await register(e1, childMembers[7]!, 'waitlisted', false)
      await register(e1, childMembers[8]!, 'cancelled', false)
      const flower = (from: number, to: number) =>
        db().execute(
          sql`INSERT INTO flowers (event_id, sender_id, recipient_id) VALUES (${e1}, ${regs[from]}, ${regs[to]})`,
        )
      await flower(0, 1)
      await flower(1, 0)
      await flower(2, 3)
      await flower(3, 2)
      await flower(0, 3)
      await ledger('Q72001', 'earn', 15, at('03-20 19:05'), regs[0])
      await ledger('Q72002', 'earn', 15, at('03-20 19:05'), regs[1])
      const e2 = await event([u.root, u.out], at('03-25 19:00'))
      await register(e2, m.Q71001!, 'confirmed', true)
      await register(e2, m.Q73001!, 'confirmed', false)
      const e3 = await event([u.root], at('04-10 19:00'))
      await register(e3, m.Q71002!, 'confirmed', false)
      const e4 = await event([u.out], at('03-20 19:00'))
      await register(e4, m.Q73002!, 'confirmed', false)

      // Legal: a workstation of the root, an online point of the child, one outside.
      const point = async (union: number, name: string, online: boolean) =>
        one(
          online
            ? sql`INSERT INTO legal_service_points (union_id, name, kind, channel)
                  VALUES (${union}, ${name}, 'online', 'phone') RETURNING id`
            : sql`INSERT INTO legal_service_points (union_id, name, kind, address)
                  VALUES (${union}, ${name}, 'workstation', '工人文化宫二楼') RETURNING id`,
        )
      const p1 = await point(u.root, '统计测试工作站', false)
      const p2 = await point(u.child, '统计测试线上', true)
      const p3 = await point(u.out, '统计测试外部工作站', false)
      const topics = await rows<{ id: number }>(
        db(),
        sql`SELECT id FROM legal_topics ORDER BY sort_order, id LIMIT 2`,
      )
      const [t1, t2] = topics.map((t) => t.id)
      const lawyer = await one(sql`SELECT id FROM legal_lawyers ORDER BY id LIMIT 1`)
      const booking = async (
        pointId: number,
        topicId: number,
        starts: string,
        status: string,
        stars: number | null,
      ) =>
        db().execute(
          sql`INSERT INTO legal_bookings (member_id, lawyer_id, service_point_id, topic_id, starts_at,
                                          ends_at, phone, description, status, cancelled_at,
                                          rating_stars, rated_at, outcome_at)
              VALUES (${m.Q72001}, ${lawyer}, ${pointId}, ${topicId}, ${starts},
                      ${starts}::timestamptz + interval '30 minutes', '13800000000', '统计测试',
                      ${status}, ${status === 'cancelled' ? starts : null}, ${stars},
                      ${stars === null ? null : starts},
                      ${status === 'completed' || status === 'no_show' ? starts : null})`,
        )
      await booking(p1, t1!, at('03-02 09:00'), 'completed', 5)
      await booking(p1, t1!, at('03-02 09:30'), 'completed', 4)
      await booking(p1, t2!, at('03-02 10:00'), 'no_show', null)
      await booking(p1, t1!, at('03-02 10:30'), 'cancelled', null)
      await booking(p1, t2!, at('03-31 10:00'), 'booked', null)
      await booking(p2, t2!, at('03-03 09:00'), 'completed', 3)
      await booking(p2, t1!, at('03-03 09:30'), 'completed', null)
      await booking(p1, t1!, at('04-03 09:00'), 'completed', 1)
      await booking(p3, t1!, at('03-04 09:00'), 'completed', 1)
    })
    after(async () => {
      await s?.close()
    })

    const stats = (token: string, query: Record<string, string | number> = {}) =>
      c.call(routes.staffStats, { token, query: { from: FROM, to: TO, ...query } })

    test("the root's subtree: every figure equals the fixture's counts", async () => {
      const r = await stats(rootStaff)
      assert.deepEqual(r.union, { id: u.root, name: '统计测试总工会' })
      assert.equal(r.from, FROM)
      assert.equal(r.to, TO)
      assert.deepEqual(r.members, { total: 15, bound: 3 })
      assert.deepEqual(r.points, {
        granted: 1050,
        earned: 30,
        redeemed: 120,
        refunded: 30,
        expired: 40,
      })
      const { items, ...mall } = r.mall
      assert.deepEqual(mall, {
        orders: 5,
        quantity: 6,
        points: 80,
        fulfilled: 2,
        expired: 1,
        cancelled: 1,
        awaiting: 1,
        pickupRate: 2 / 3,
      })
      assert.deepEqual(
        items.map(({ itemId: _id, ...i }) => i),
        [
          { name: '统计测试保温杯', orders: 3, quantity: 4, points: 40, fulfilled: 2 },
          { name: '统计测试雨伞', orders: 2, quantity: 2, points: 40, fulfilled: 0 },
        ],
      )

      assert.deepEqual(
        r.cooling.campaigns.map(({ id: _id, opensAt: _o, closesAt: _c, ...k }) => k),
        [
          {
            title: '统计测试清凉一',
            unionName: '统计测试总工会',
            closed: true,
            reach: 14,
            chose: 6,
            defaulted: 4,
            notCovered: 4,
            shipped: 3,
            received: 1,
            sites: [
              { siteId: null, name: '到工会自取', packs: 7 },
              {
                siteId: r.cooling.campaigns[0]!.sites[1]!.siteId,
                name: '统计测试一号工地',
                packs: 2,
              },
              {
                siteId: r.cooling.campaigns[0]!.sites[2]!.siteId,
                name: '统计测试二号工地',
                packs: 1,
              },
            ],
          },
        ],
      )

      const { list, ...events } = r.events
      assert.deepEqual(events, {
        events: 2,
        signups: 10,
        checkins: 5,
        waitlisted: 2,
        flowers: 5,
        matches: 2,
      })
      assert.deepEqual(
        list.map((e) => [e.title, e.signups, e.checkins, e.waitlisted, e.flowers, e.matches]),
        [
          ['统计测试联谊2', 2, 1, 0, 0, 0],
          ['统计测试联谊1', 8, 4, 2, 5, 2],
        ],
      )

      const { topics, servicePoints, ...legal } = r.legal
      assert.deepEqual(legal, {
        bookings: 6,
        booked: 1,
        completed: 4,
        noShow: 1,
        cancelled: 1,
        ratings: 3,
        averageRating: 4,
      })
      assert.deepEqual(
        topics.map((t) => [t.bookings, t.completed, t.noShow]),
        [
          [3, 3, 0],
          [3, 1, 1],
        ],
      )
      assert.deepEqual(
        servicePoints.map((p) => [p.name, p.bookings, p.completed, p.noShow]),
        [
          ['统计测试工作站', 4, 2, 1],
          ['统计测试线上', 2, 2, 0],
        ],
      )
    })

    test("a staff member of the child sees the child's subtree by default", async () => {
      const r = await stats(childStaff)
      assert.deepEqual(r.union, { id: u.child, name: '统计测试企业工会' })
      assert.deepEqual(r.members, { total: 12, bound: 3 })
      assert.equal(r.points.granted, 1000)
      assert.equal(r.points.expired, 20)
      assert.equal(r.mall.orders, 4)
      assert.deepEqual(r.cooling.campaigns, [], "the root's campaign is not the child's")
      assert.deepEqual(
        r.events.list.map((e) => e.title),
        ['统计测试联谊1'],
      )
      assert.equal(r.legal.bookings, 2)
      // The root's staff narrowing to the child gets the same figures.
      assert.deepEqual(await stats(rootStaff, { unionId: u.child }), r)
    })

    test('an admin sees any union, and every union without unionId', async () => {
      const out = await stats(admin, { unionId: u.out })
      assert.deepEqual(out.members, { total: 2, bound: 0 })
      assert.equal(out.points.granted, 500)
      assert.deepEqual(out.events.list.map((e) => e.title).sort(), [
        '统计测试联谊2',
        '统计测试联谊4',
      ])
      const all = await stats(admin)
      assert.deepEqual(all.union, { id: null, name: '全部工会' })
      const counted = await first<{ total: number; bound: number }>(
        db(),
        sql`SELECT count(*)::int AS total, count(wechat_openid)::int AS bound FROM members`,
      )
      assert.deepEqual(all.members, counted)
      const ledger = await first<{ granted: number }>(
        db(),
        sql`SELECT coalesce(sum(amount), 0)::int AS granted FROM point_ledger
            WHERE kind = 'grant' AND created_at >= ${at('03-01 00:00')} AND created_at < ${at('04-01 00:00')}`,
      )
      assert.equal(all.points.granted, ledger!.granted)
      assert.ok(all.points.granted >= 1550)
    })

    test('scope: outside the subtree is 403, an unknown union 404, a member 403', async () => {
      for (const unionId of [u.root, u.out]) {
        expectError(
          await c.callRaw(routes.staffStats, { token: childStaff, query: { unionId } }),
          403,
          'FORBIDDEN',
        )
      }
      expectError(
        await c.callRaw(routes.staffStats, { token: rootStaff, query: { unionId: u.out } }),
        403,
        'FORBIDDEN',
      )
      expectError(
        await c.callRaw(routes.staffStats, { token: admin, query: { unionId: 2_000_000_000 } }),
        404,
        'UNION_NOT_FOUND',
      )
      expectError(await c.callRaw(routes.staffStats, { token: member }), 403, 'FORBIDDEN')
      expectError(await c.callRaw(routes.staffStats, {}), 401, 'UNAUTHENTICATED')
    })

    test('bad input: 400 with a Chinese message', async () => {
      const bad = async (query: Record<string, string>) =>
        expectError(
          await c.callRaw(routes.staffStats, { token: rootStaff, query }),
          400,
          'BAD_REQUEST',
        )
      assert.match(await bad({ from: '2026-03-31', to: '2026-03-01' }), /开始日期不能晚于结束日期/)
      assert.match(await bad({ from: '2026-02-30', to: '2026-03-01' }), /日期不存在/)
      assert.match(await bad({ from: '2020-01-01', to: '2026-03-01' }), /统计期间最长/)
      assert.match(await bad({ unionId: 'abc' }), /unionId/)
      assert.match(await bad({ format: 'pdf' }), /format/)
      assert.match(await bad({ period: 'year' }), /不认识的字段：period/)
    })

    test('the default period is this year up to today', async () => {
      const r = await c.call(routes.staffStats, { token: rootStaff })
      const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
      assert.equal(r.to, today)
      assert.equal(r.from, `${today.slice(0, 4)}-01-01`)
    })

    test('the .xlsx holds the same figures', async () => {
      const res = await s.request({
        method: 'GET',
        url: urlOf(routes.staffStats, {}, { from: FROM, to: TO, format: 'xlsx' }),
        token: rootStaff,
      })
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.headers['content-type'], XLSX_TYPE)
      assert.match(
        decodeURIComponent(String(res.headers['content-disposition']).split("''")[1]),
        /^统计测试总工会-数据看板-2026-03-01至2026-03-31\.xlsx$/,
      )
      const book = new ExcelJS.Workbook()
      await book.xlsx.load(res.rawPayload as never)
      const ws = book.worksheets[0]!
      assert.equal(ws.name, '数据看板')
      const sheet: Array<Array<string | number | null>> = []
      ws.eachRow((row) => {
        sheet.push([1, 2, 3, 4].map((n) => row.getCell(n).value as string | number | null))
      })
      assert.deepEqual(sheet[0], ['板块', '项目', '指标', '数值'])
      assert.equal(ws.getRow(1).getCell(1).font?.bold, true)
      const has = (...cells: Array<string | number>) =>
        assert.ok(
          sheet.some((r) => cells.every((v, i) => r[i] === v)),
          `a row ${cells.join(' · ')}`,
        )
      has('范围', '统计测试总工会', '统计期间', '2026-03-01 至 2026-03-31')
      has('会员', '全部', '会员人数', 15)
      has('会员', '全部', '已绑定微信', 3)
      has('积分', '全部', '发放积分', 1050)
      has('积分', '全部', '到期清零', 40)
      has('积分商城', '全部', '领取率', '66.7%')
      has('积分商城', '统计测试保温杯', '兑换件数', 4)
      has('夏送清凉', '统计测试清凉一（统计测试总工会）', '未覆盖', 4)
      has('夏送清凉', '统计测试清凉一（统计测试总工会）', '送往：统计测试一号工地', 2)
      has('联谊活动', '全部', '牵手成功（对）', 2)
      has('法律咨询', '全部', '平均评分', 4)
      has('法律咨询', '服务点：统计测试线上', '已完成', 2)
    })
  })
}
