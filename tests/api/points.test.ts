import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type {} from '../../src/contract/mall'
import { first, rows } from '../../server/db/sql'
import { runExpiryJobs } from '../../server/jobs'
import { expirePoints } from '../../server/modules/points/expiry'
import { routes } from '../../src/contract/routes'
import { api, expectError, parseAnswer, type ApiClient } from '../support/api'
import { engines, startTestServer, type TestServer } from '../support/server'
import { balanceOf, brokenInvariants, memberIdOf, unionIdOf } from '../support/points'

const DAY = 86_400_000

for (const engine of engines()) {
  describe(`points on ${engine}`, () => {
    let s: TestServer
    let client: ApiClient
    const tok: Record<string, string> = {}
    const id: Record<string, number> = {}

    before(async () => {
      s = await startTestServer(engine)
      client = api(s)
      for (const no of ['M0001', 'M0002', 'M0003', 'M0008', 'S0001', 'S0101', 'A0001']) {
        tok[no] = await s.login(no)
        id[no] = await memberIdOf(s.database.db, no)
      }
    })
    after(async () => {
      if (s) assert.deepEqual(await brokenInvariants(s.database.db), [])
      await s?.close()
    })

    const grant = (who: string, body: Record<string, unknown>, key?: string) =>
      s.request({
        method: 'POST',
        url: '/api/v1/staff/points/grants',
        token: tok[who],
        body,
        headers: key ? { 'idempotency-key': key } : {},
      })
    const summary = (who: string) => client.call(routes.points, { token: tok[who] })
    const grantCount = async () =>
      (await first<{ n: number }>(s.database.db, sql`SELECT count(*)::int AS n FROM point_grants`))
        ?.n ?? 0

    test('the demo seed granted lots: the balance, and points expiring within 30 days', async () => {
      const p = await summary('M0001')
      assert.equal(p.balance, 500)
      assert.equal(p.expiring.length, 1)
      assert.equal(p.expiring[0].amount, 100)
      const days = (Date.parse(p.expiring[0].expiresAt) - Date.now()) / DAY
      assert.ok(days > 19 && days < 22, `expires in ${days} days`)
      // The 90-day lot is not "expiring soon".
      const lots = await rows<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM point_lots WHERE member_id = ${id.M0001}`,
      )
      assert.equal(lots[0].n, 3)
    })

    test('staff grant to listed members: lots, ledger, balance, audit', async () => {
      const expiresAt = new Date(Date.now() + 10 * DAY).toISOString()
      const before1 = await balanceOf(s.database.db, id.M0001)
      const res = await grant('S0001', {
        amount: 40,
        reason: '志愿服务奖励',
        memberIds: [id.M0001, id.M0002, id.M0001],
        expiresAt,
      })
      assert.equal(res.statusCode, 201, res.body)
      const body = parseAnswer(routes.grantPoints, res)
      assert.equal(body.granted, 2)
      assert.equal(await balanceOf(s.database.db, id.M0001), before1 + 40)

      const p = await summary('M0001')
      const soon = p.expiring.find((e) => Date.parse(e.expiresAt) === Date.parse(expiresAt))
      assert.equal(soon?.amount, 40)
      const {
        entries: [entry],
      } = await client.call(routes.ledger, { query: { limit: 1 }, token: tok.M0002 })
      assert.deepEqual([entry.kind, entry.amount, entry.reason], ['grant', 40, '志愿服务奖励'])

      const log = await rows<{
        actor: string
        action: string
        after: { granted: number; memberIds: number[] }
      }>(
        s.database.db,
        sql`SELECT m.member_no AS actor, a.action, a.after FROM audit_log a
            JOIN members m ON m.id = a.actor_id
            WHERE a.entity = 'point_grant' AND a.entity_id = ${String(body.grantId)}`,
      )
      assert.equal(log.length, 1)
      assert.deepEqual(
        [log[0].actor, log[0].action, log[0].after.granted, log[0].after.memberIds],
        ['S0001', 'points.grant', 2, [id.M0001, id.M0002].sort((a, b) => a - b)],
      )
    })

    test('a whole union: everyone in its subtree; preview answers the same count first', async () => {
      const sjs = await unionIdOf(s.database.db, '石景山区总工会')
      const expected = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM members m JOIN unions u ON u.id = m.union_id
            WHERE u.name IN ('石景山区总工会', '四方继保工会')`,
      )
      const grantsBefore = await grantCount()
      const preview = await s.request({
        method: 'POST',
        url: '/api/v1/staff/points/grants/preview',
        token: tok.S0101,
        body: { unionId: sjs },
      })
      assert.equal(preview.statusCode, 200, preview.body)
      const p = parseAnswer(routes.previewGrant, preview)
      assert.equal(p.memberCount, expected?.n)
      assert.ok(p.sample.length > 0 && p.sample.length <= 5)
      assert.equal(await grantCount(), grantsBefore, 'a preview writes nothing')

      const before3 = await balanceOf(s.database.db, id.M0003)
      const res = await grant('S0101', { amount: 25, reason: '夏送清凉', unionId: sjs })
      assert.equal(res.statusCode, 201, res.body)
      assert.equal(parseAnswer(routes.grantPoints, res).granted, p.memberCount)
      assert.equal(await balanceOf(s.database.db, id.M0003), before3 + 25)
    })

    test('staff of another union → 403 and nothing written; bad targets → 400/404', async () => {
      const xiaomi = await unionIdOf(s.database.db, '小米工会')
      const grantsBefore = await grantCount()
      const balance1 = await balanceOf(s.database.db, id.M0001)
      for (const body of [
        { amount: 10, reason: '越权', memberIds: [id.M0001] },
        { amount: 10, reason: '越权', memberIds: [id.M0003, id.M0001] },
        { amount: 10, reason: '越权', unionId: xiaomi },
      ]) {
        const res = await grant('S0101', body)
        expectError(res, 403, 'FORBIDDEN')
      }
      const previewForeign = await s.request({
        method: 'POST',
        url: '/api/v1/staff/points/grants/preview',
        token: tok.S0101,
        body: { unionId: xiaomi },
      })
      assert.equal(previewForeign.statusCode, 403)

      const both = await grant('S0001', {
        amount: 1,
        reason: '两者',
        memberIds: [id.M0001],
        unionId: xiaomi,
      })
      assert.match(expectError(both, 400, 'BAD_REQUEST'), /二者选一|选择一种/)
      assert.equal((await grant('S0001', { amount: 1, reason: '都没有' })).statusCode, 400)
      assert.equal(
        (await grant('S0001', { amount: 0, reason: '零', memberIds: [id.M0001] })).statusCode,
        400,
      )
      const past = await grant('S0001', {
        amount: 5,
        reason: '过去',
        memberIds: [id.M0001],
        expiresAt: new Date(Date.now() - DAY).toISOString(),
      })
      assert.equal(past.statusCode, 400)
      const unknown = await grant('S0001', { amount: 5, reason: '无此人', memberIds: [999_999] })
      assert.equal(unknown.statusCode, 404)
      const member = await grant('M0001', { amount: 5, reason: '自己发', memberIds: [id.M0001] })
      assert.equal(member.statusCode, 403)

      assert.equal(await grantCount(), grantsBefore)
      assert.equal(await balanceOf(s.database.db, id.M0001), balance1)
    })

    test('staff find members to grant to, only within their union subtree', async () => {
      const list = async (who: string, query: string) => {
        const res = await s.request({
          method: 'GET',
          url: `/api/v1/staff/members${query}`,
          token: tok[who],
        })
        return parseAnswer(routes.staffMembers, res).members
      }
      const mine = await list('S0101', '?limit=100')
      assert.equal(mine.length, 31)
      assert.ok(mine.every((m) => ['石景山区总工会', '四方继保工会'].includes(m.unionName)))
      assert.deepEqual(await list('S0101', '?q=%E5%BC%A0%E4%BC%9F'), []) // 张伟 is a 小米 member
      const found = await list('S0001', '?q=%E5%BC%A0%E4%BC%9F')
      assert.ok(found.some((m) => m.memberNo === 'M0001'))
      const byNo = await list('A0001', '?q=m000')
      assert.ok(byNo.length > 0 && byNo.every((m) => m.memberNo.startsWith('M000')))
      const member = await s.request({
        method: 'GET',
        url: '/api/v1/staff/members',
        token: tok.M0001,
      })
      assert.equal(member.statusCode, 403)
    })

    test('a grant retried with its Idempotency-Key is granted once', async () => {
      const before8 = await balanceOf(s.database.db, id.M0008)
      const body = { amount: 30, reason: '重试测试', memberIds: [id.M0008] }
      const a = await grant('A0001', body, 'grant-retry-0001')
      const b = await grant('A0001', body, 'grant-retry-0001')
      assert.equal(a.statusCode, 201)
      assert.equal(b.body, a.body)
      assert.equal(await balanceOf(s.database.db, id.M0008), before8 + 30)
    })

    test('the expiry job at a given now writes one expire entry per lot, once', async () => {
      const expiresAt = new Date(Date.now() + 2 * DAY)
      const res = await grant('S0001', {
        amount: 60,
        reason: '即将过期的积分',
        memberIds: [id.M0008],
        expiresAt: expiresAt.toISOString(),
      })
      assert.equal(res.statusCode, 201)
      const { grantId } = parseAnswer(routes.grantPoints, res)
      const lot = await first<{ id: number }>(
        s.database.db,
        sql`SELECT id FROM point_lots WHERE grant_id = ${grantId}`,
      )
      assert.ok(lot)
      const balance = await balanceOf(s.database.db, id.M0008)

      assert.equal((await expirePoints(s.database.db, new Date(expiresAt.getTime() - 1))).points, 0)
      assert.equal(await balanceOf(s.database.db, id.M0008), balance)

      // Two job runs at once, then a third later: the lot expires once.
      const runs = await Promise.all([
        expirePoints(s.database.db, expiresAt),
        expirePoints(s.database.db, expiresAt),
      ])
      assert.equal(runs[0].points + runs[1].points, 60)
      assert.equal(
        (await expirePoints(s.database.db, new Date(expiresAt.getTime() + DAY))).points,
        0,
      )
      const entries = await rows<{ amount: number; balance_after: number }>(
        s.database.db,
        sql`SELECT amount, balance_after FROM point_ledger WHERE lot_id = ${lot.id} AND kind = 'expire'`,
      )
      assert.deepEqual(entries, [{ amount: -60, balance_after: balance - 60 }])
      assert.equal(await balanceOf(s.database.db, id.M0008), balance - 60)
      const p = await summary('M0008')
      assert.ok(!p.expiring.some((e) => Date.parse(e.expiresAt) === expiresAt.getTime()))
    })

    test('redemption spends the earliest-expiring lot; a refund after its expiry expires again, once', async () => {
      // M0002 gets a lot that expires in 3 days; an order spends it first, then the lot expires.
      const zgcItem = await first<{ id: number }>(
        s.database.db,
        sql`SELECT id FROM mall_items WHERE name = '八宝茶'`,
      )
      assert.ok(zgcItem)
      const expiresAt = new Date(Date.now() + 3 * DAY)
      const granted = await grant('S0001', {
        amount: 45,
        reason: '三天后过期',
        memberIds: [id.M0002],
        expiresAt: expiresAt.toISOString(),
      })
      const { grantId } = parseAnswer(routes.grantPoints, granted)
      const lot = await first<{ id: number }>(
        s.database.db,
        sql`SELECT id FROM point_lots WHERE grant_id = ${grantId}`,
      )
      assert.ok(lot)
      const order = await s.request({
        method: 'POST',
        url: '/api/v1/mall/orders',
        token: tok.M0002,
        body: { itemId: zgcItem.id, quantity: 2 },
        headers: { 'idempotency-key': 'm0002-badao-0001' },
      })
      assert.equal(order.statusCode, 201, order.body)
      const { order: o } = parseAnswer(routes.createOrder, order)
      const tenDay = await first<{ id: number }>(
        s.database.db,
        sql`SELECT id FROM point_lots WHERE member_id = ${id.M0002} AND reason = '志愿服务奖励'`,
      )
      assert.ok(tenDay)
      const spends = await rows<{ lot_id: number; amount: number }>(
        s.database.db,
        sql`SELECT lot_id, amount FROM order_lot_spends WHERE order_id = ${o.id} ORDER BY amount DESC`,
      )
      // 60 points: all 45 of the 3-day lot, then 15 of the 10-day lot; the 20-day and the
      // never-expiring lots are not touched.
      assert.deepEqual(spends, [
        { lot_id: lot.id, amount: 45 },
        { lot_id: tenDay.id, amount: 15 },
      ])

      const balance = await balanceOf(s.database.db, id.M0002)
      await expirePoints(s.database.db, expiresAt) // the lot is empty: expired without an entry
      assert.equal(await balanceOf(s.database.db, id.M0002), balance)

      const cancel = await s.request({
        method: 'POST',
        url: `/api/v1/mall/orders/${o.id}/cancel`,
        token: tok.M0002,
      })
      assert.equal(cancel.statusCode, 200, cancel.body)
      // All 60 come back; the 45 of the expired lot wait in a new lot with the same expiry…
      assert.equal(await balanceOf(s.database.db, id.M0002), balance + 60)
      const reissued = await rows<{ id: number; amount: number; expires_at: Date | string }>(
        s.database.db,
        sql`SELECT id, amount, expires_at FROM point_lots WHERE member_id = ${id.M0002} AND kind = 'refund'`,
      )
      assert.equal(reissued.length, 1)
      assert.equal(reissued[0].amount, 45)
      assert.equal(new Date(reissued[0].expires_at).getTime(), expiresAt.getTime())
      // …and leave through one expire entry when the job runs again.
      const run = await runExpiryJobs(s.database.db, new Date(expiresAt.getTime() + 1))
      assert.ok(run.pointsExpired >= 45)
      assert.equal(await balanceOf(s.database.db, id.M0002), balance + 15)
      const expires = await rows(
        s.database.db,
        sql`SELECT 1 FROM point_ledger WHERE kind = 'expire' AND lot_id IN (${lot.id}, ${reissued[0].id})`,
      )
      assert.equal(expires.length, 1)
    })

    test('ledger kinds and the balance agree with the books', async () => {
      const kinds = await rows<{ kind: string }>(
        s.database.db,
        sql`SELECT DISTINCT kind FROM point_ledger ORDER BY kind`,
      )
      assert.deepEqual(
        kinds.map((k) => k.kind),
        ['expire', 'grant', 'redeem', 'refund'],
      )
      assert.deepEqual(await brokenInvariants(s.database.db), [])
    })
  })
}
