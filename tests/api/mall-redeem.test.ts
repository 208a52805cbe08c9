import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { routes } from '../../src/contract/routes'
import { first, rows } from '../../server/db/sql'
import { createSessions, hashToken } from '../../server/lib/sessions'
import { redeemItem } from '../../server/modules/mall/redeem'
import { pickupDeadline } from '../../server/modules/mall/rules'
import { planSpend } from '../../server/modules/points/lots'
import { expectError, newKey, parseAnswer, type ApiClient } from '../support/api'
import { mallFixture } from '../support/mall'
import { balanceOf, stockOf } from '../support/points'
import { engines, type TestServer } from '../support/server'

// Redeeming (server/modules/mall/redeem.ts and its database function, migration 0011): points,
// stock, keys, limits, sale windows, the sign-in folded into the call and the lots it spends.
for (const engine of engines()) {
  describe(`mall redeem on ${engine}`, () => {
    const f = mallFixture(engine)
    const { tok, createItem, redeem } = f
    let s: TestServer
    let client: ApiClient
    let xiaomi: number
    let m1: number
    before(() => {
      ;({ s, client, xiaomi, m1 } = f)
    })

    test('redeeming debits points, takes stock, snapshots the price and lists the order', async () => {
      const item = await createItem({ pointsCost: 15, stock: 20, pickupDays: 3 })
      const before = await balanceOf(s.database.db, m1)
      const res = await redeem('M0001', item.id, 2)
      assert.equal(res.statusCode, 201, res.body)
      const { order } = parseAnswer(routes.createOrder, res)
      assert.equal(order.itemId, item.id)
      assert.equal(order.itemName, item.name)
      assert.equal(order.unionName, '中关村科学城工会')
      assert.equal(order.quantity, 2)
      assert.equal(order.unitCost, 15)
      assert.equal(order.pointsSpent, 30)
      assert.equal(order.status, 'awaiting_pickup')
      assert.match(order.pickupCode, /^[2-9A-HJKMNP-Z]{8}$/)
      assert.equal(order.closedAt, null)
      const created = Date.parse(order.createdAt)
      const deadline = Date.parse(order.pickupDeadline)
      assert.ok(deadline > created + 3 * 86_400_000 && deadline <= created + 4 * 86_400_000)
      // The database function's deadline is the rule's (the end of the 3rd Shanghai day after).
      assert.equal(order.pickupDeadline, pickupDeadline(new Date(order.createdAt), 3).toISOString())

      assert.equal(await balanceOf(s.database.db, m1), before - 30)
      assert.equal(await stockOf(s.database.db, item.id), 18)
      const {
        entries: [entry],
      } = await client.call(routes.ledger, { query: { limit: 1 }, token: tok.M0001 })
      assert.deepEqual([entry.kind, entry.amount, entry.balanceAfter], ['redeem', -30, before - 30])

      // A later price change does not touch the order.
      const patched = await s.request({
        method: 'PATCH',
        url: `/api/v1/staff/mall/items/${item.id}`,
        token: tok.S0001,
        body: { pointsCost: 99 },
      })
      assert.equal(patched.statusCode, 200, patched.body)
      const list = await s.request({ method: 'GET', url: '/api/v1/mall/orders', token: tok.M0001 })
      const mine = parseAnswer(routes.orders, list).orders.find((o) => o.id === order.id)
      assert.deepEqual(mine, order)
      const items = await s.request({ method: 'GET', url: '/api/v1/mall/items', token: tok.M0001 })
      const seen = parseAnswer(routes.mallItems, items).items.find((i) => i.id === item.id)
      assert.equal(seen?.redeemedQuantity, 2)
      assert.equal(seen?.pointsCost, 99)
    })

    test('names with quotes and backslashes pass through the prepared statements intact', async () => {
      const name = "老北京's \\ 酸梅汤 $1"
      const item = await createItem({ name })
      const res = await redeem('M0001', item.id, 1)
      assert.equal(res.statusCode, 201, res.body)
      assert.equal(parseAnswer(routes.createOrder, res).order.itemName, name)
      const entry = await first<{ reason: string }>(
        s.database.db,
        sql`SELECT reason FROM point_ledger WHERE member_id = ${m1} ORDER BY id DESC LIMIT 1`,
      )
      assert.equal(entry?.reason, `兑换 ${name} ×1`)
    })

    test('Idempotency-Key: required; a retry replays the first answer; another body → 422', async () => {
      const item = await createItem({ stock: 10 })
      expectError(await redeem('M0001', item.id, 1, null), 400, 'IDEMPOTENCY_KEY_REQUIRED')
      expectError(await redeem('M0001', item.id, 1, 'bad key!'), 400, 'BAD_REQUEST')

      const key = newKey()
      const first = await redeem('M0001', item.id, 1, key)
      const again = await redeem('M0001', item.id, 1, key)
      assert.equal(first.statusCode, 201)
      assert.equal(again.statusCode, 201)
      assert.equal(again.body, first.body)
      assert.equal(await stockOf(s.database.db, item.id), 9)

      expectError(await redeem('M0001', item.id, 2, key), 422, 'IDEMPOTENCY_KEY_REUSED')
      // Keys are per member: another member's same key is a new request.
      const other = await redeem('M0006', item.id, 1, key)
      assert.equal(other.statusCode, 201)
      assert.notEqual(
        parseAnswer(routes.createOrder, other).order.id,
        parseAnswer(routes.createOrder, first).order.id,
      )
      assert.equal(await stockOf(s.database.db, item.id), 8)
    })

    test('OUT_OF_STOCK leaves nothing behind; the same key works once restocked', async () => {
      const item = await createItem({ stock: 1 })
      assert.equal((await redeem('M0006', item.id)).statusCode, 201)
      const before = await balanceOf(s.database.db, m1)
      const key = newKey()
      const msg = expectError(await redeem('M0001', item.id, 1, key), 409, 'OUT_OF_STOCK')
      assert.match(msg, /兑完/)
      expectError(await redeem('M0001', item.id, 1), 409, 'OUT_OF_STOCK')
      assert.equal(await balanceOf(s.database.db, m1), before)
      const keys = await rows(s.database.db, sql`SELECT 1 FROM idempotency_keys WHERE key = ${key}`)
      assert.equal(keys.length, 0, 'a failed request keeps no key')

      await s.request({
        method: 'PATCH',
        url: `/api/v1/staff/mall/items/${item.id}`,
        token: tok.S0001,
        body: { stock: 5 },
      })
      const items = await s.request({ method: 'GET', url: '/api/v1/mall/items', token: tok.M0001 })
      assert.equal(
        parseAnswer(routes.mallItems, items).items.find((i) => i.id === item.id)?.soldOut,
        false,
      )
      assert.equal((await redeem('M0001', item.id, 1, key)).statusCode, 201)
      const partial = expectError(await redeem('M0001', item.id, 5), 409, 'OUT_OF_STOCK')
      assert.match(partial, /仅剩 4 件/)
    })

    test('INSUFFICIENT_POINTS says what is needed and changes nothing', async () => {
      const item = await createItem({ pointsCost: 100_000, stock: 3 })
      const before = await balanceOf(s.database.db, m1)
      const msg = expectError(await redeem('M0001', item.id), 409, 'INSUFFICIENT_POINTS')
      assert.match(msg, /需要 100000 积分/)
      assert.equal(await balanceOf(s.database.db, m1), before)
      assert.equal(await stockOf(s.database.db, item.id), 3)
    })

    test('LIMIT_EXCEEDED counts awaiting and fulfilled orders, not cancelled ones', async () => {
      const item = await createItem({ perMemberLimit: 2, stock: 50 })
      expectError(await redeem('M0001', item.id, 3), 422, 'LIMIT_EXCEEDED')
      const a = await redeem('M0001', item.id, 1)
      const b = await redeem('M0001', item.id, 1)
      assert.equal(a.statusCode, 201)
      assert.equal(b.statusCode, 201)
      const msg = expectError(await redeem('M0001', item.id, 1), 422, 'LIMIT_EXCEEDED')
      assert.match(msg, /已兑换 2 件/)

      // A fulfilled order still counts; a cancelled one frees its share.
      const code = parseAnswer(routes.createOrder, a).order.pickupCode
      const picked = await s.request({
        method: 'POST',
        url: '/api/v1/staff/mall/pickups',
        token: tok.S0001,
        body: { pickupCode: code },
      })
      assert.equal(picked.statusCode, 200, picked.body)
      expectError(await redeem('M0001', item.id, 1), 422, 'LIMIT_EXCEEDED')
      const cancel = await s.request({
        method: 'POST',
        url: `/api/v1/mall/orders/${parseAnswer(routes.createOrder, b).order.id}/cancel`,
        token: tok.M0001,
      })
      assert.equal(cancel.statusCode, 200)
      assert.equal((await redeem('M0001', item.id, 1)).statusCode, 201)
      // Other members have their own limit.
      assert.equal((await redeem('M0006', item.id, 2)).statusCode, 201)
    })

    test('NOT_ON_SALE before and after the sale window; other unions’ items → 404', async () => {
      const items = await s.request({ method: 'GET', url: '/api/v1/mall/items', token: tok.M0001 })
      const cup = parseAnswer(routes.mallItems, items).items.find(
        (i) => i.name === '工会定制保温杯',
      )
      assert.ok(cup)
      const msg = expectError(await redeem('M0001', cup.id), 422, 'NOT_ON_SALE')
      assert.match(msg, /开始兑换/)

      const ended = await createItem({
        saleStartsAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
        saleEndsAt: new Date(Date.now() - 86_400_000).toISOString(),
      })
      assert.match(expectError(await redeem('M0001', ended.id), 422, 'NOT_ON_SALE'), /停止兑换/)
      const list = await s.request({ method: 'GET', url: '/api/v1/mall/items', token: tok.M0001 })
      assert.ok(!parseAnswer(routes.mallItems, list).items.some((i) => i.id === ended.id))

      const tea = await first<{ id: number }>(
        s.database.db,
        sql`SELECT id FROM mall_items WHERE name = '凉茶'`,
      )
      assert.ok(tea)
      expectError(await redeem('M0001', tea.id), 404, 'NOT_FOUND')
      expectError(await redeem('M0001', 999_999), 404, 'NOT_FOUND')
      const bad = await s.request({
        method: 'POST',
        url: '/api/v1/mall/orders',
        token: tok.M0001,
        body: { itemId: tea.id, quantity: 0 },
        headers: { 'idempotency-key': newKey() },
      })
      expectError(bad, 400, 'BAD_REQUEST')
    })

    test('a pickup-code collision is retried with a fresh code', async () => {
      const item = await createItem({ stock: 10 })
      const taken = parseAnswer(routes.createOrder, await redeem('M0001', item.id)).order
      const codes = [taken.pickupCode, taken.pickupCode, 'HJKM2345']
      const { order } = await redeemItem(
        s.database,
        { memberId: m1, unionId: xiaomi, itemId: item.id, quantity: 1, idempotencyKey: newKey() },
        { newCode: () => codes.shift() ?? 'ZZZZ9999' },
      )
      assert.equal(order.pickupCode, 'HJKM2345')
      assert.equal(codes.length, 0, 'both colliding codes were tried')
      assert.equal(await stockOf(s.database.db, item.id), 8)
      const n = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM mall_orders WHERE item_id = ${item.id}`,
      )
      assert.equal(n?.n, 2)
    })

    test('the sign-in is part of the call: without a live session 401 whatever the request', async () => {
      const item = await createItem({ stock: 5 })
      // A session of its own (the fixture's token of M0003 stays live), then ended.
      const m3 = await first<{ id: number }>(
        s.database.db,
        sql`SELECT id FROM members WHERE member_no = 'M0003'`,
      )
      const [ended] = await createSessions(s.database.db, [m3!.id], 'dev', 3600)
      await s.database.db.execute(
        sql`UPDATE sessions SET revoked_at = now() WHERE token_hash = ${hashToken(ended)}`,
      )
      const key = newKey()
      const good = JSON.stringify({ itemId: item.id, quantity: 1 })
      for (const token of [ended, 's1.no-such-session']) {
        for (const [payload, headers] of [
          [good, { 'idempotency-key': key }],
          [JSON.stringify({ itemId: 'junk' }), { 'idempotency-key': key }],
          ['not json at all', { 'idempotency-key': key }],
          [good, {}],
          [good, { 'idempotency-key': 'bad key!' }],
        ] as const) {
          const res = await s.app.inject({
            method: 'POST',
            url: '/api/v1/mall/orders',
            payload,
            headers: {
              ...headers,
              'content-type': 'application/json',
              authorization: `Bearer ${token}`,
            },
          })
          expectError(res, 401, 'UNAUTHENTICATED')
        }
      }
      assert.equal(await stockOf(s.database.db, item.id), 5)
      const keys = await rows(s.database.db, sql`SELECT 1 FROM idempotency_keys WHERE key = ${key}`)
      assert.equal(keys.length, 0)
      // A live session with the same malformed requests: the request's own faults.
      const junk = await s.app.inject({
        method: 'POST',
        url: '/api/v1/mall/orders',
        payload: 'not json at all',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': key,
          authorization: `Bearer ${tok.M0003}`,
        },
      })
      expectError(junk, 400, 'BAD_REQUEST')
      expectError(await redeem('M0003', item.id, 1, null), 400, 'IDEMPOTENCY_KEY_REQUIRED')
    })

    test('the lots spent are the ones planSpend picks (expiry order, never-expiring last)', async () => {
      const m3 = (await first<{ id: number; union_id: number }>(
        s.database.db,
        sql`SELECT id, union_id FROM members WHERE member_no = 'M0003'`,
      ))!
      // A small generator with a fixed seed: the same cases every run.
      let seed = 11
      const random = (n: number) => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
        return Math.floor(seed / 65_536) % n
      }
      const base = Date.parse('2031-01-01T00:00:00Z')
      class Rollback extends Error {}
      for (let round = 0; round < 30; round++) {
        const lots = Array.from({ length: 1 + random(6) }, () => ({
          amount: 1 + random(40),
          // Few distinct expiries, so that ties (broken by the older lot) and nulls are common.
          expiresAt: random(4) === 0 ? null : new Date(base + random(3) * 86_400_000),
        }))
        const total = lots.reduce((n, l) => n + l.amount, 0)
        const cost = 1 + random(total)
        await assert.rejects(
          s.database.db.transaction(async (tx) => {
            // This member's books, replaced inside a transaction that is rolled back.
            await tx.execute(sql`UPDATE point_lots SET remaining = 0 WHERE member_id = ${m3.id}`)
            const made = await rows<{ id: number }>(
              tx,
              sql`INSERT INTO point_lots (member_id, kind, amount, remaining, expires_at, reason)
                  SELECT ${m3.id}, 'adjust', a, a, e, '测试'
                  FROM unnest(${sql.param(lots.map((l) => l.amount))}::int[],
                              ${sql.param(lots.map((l) => l.expiresAt?.toISOString() ?? null))}::timestamptz[])
                       WITH ORDINALITY AS t(a, e, n)
                  ORDER BY n RETURNING id`,
            )
            await tx.execute(
              sql`UPDATE point_accounts SET balance = ${total} WHERE member_id = ${m3.id}`,
            )
            const [item] = await rows<{ id: number }>(
              tx,
              sql`INSERT INTO mall_items (union_id, name, points_cost, stock, per_member_limit)
                  VALUES (${m3.union_id}, '测试', ${cost}, 1, 1) RETURNING id`,
            )
            const [{ answer }] = await rows<{ answer: { order: { id: number } } }>(
              tx,
              sql`SELECT redeem_item_for_member(${m3.id}, ${m3.union_id}, ${item.id}, 1,
                                                ${newKey()}, 'hash') AS answer`,
            )
            const spent = await rows<{ lot_id: number; amount: number }>(
              tx,
              sql`SELECT lot_id, amount FROM order_lot_spends WHERE order_id = ${answer.order.id}
                  ORDER BY lot_id`,
            )
            const plan = planSpend(
              made.map((m, i) => ({ id: m.id, remaining: lots[i].amount, ...lots[i] })),
              cost,
            )
              .map((p) => ({ lot_id: p.lotId, amount: p.amount }))
              .sort((a, b) => a.lot_id - b.lot_id)
            assert.deepEqual(spent, plan, `lots ${JSON.stringify(lots)}, cost ${cost}`)
            throw new Rollback()
          }),
          Rollback,
        )
      }
    })
  })
}
