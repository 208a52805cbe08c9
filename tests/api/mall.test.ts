import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type {
  CreateItemBody,
  MallOrder,
  MemberMallItem,
  PickupOrder,
  StaffMallItem,
} from '../../src/contract/mall'
import { first, rows } from '../../server/db/sql'
import { runExpiryJobs } from '../../server/jobs'
import { redeemItem } from '../../server/modules/mall/redeem'
import { engines, startTestServer, type TestServer } from '../support/server'
import { balanceOf, brokenInvariants, memberIdOf, stockOf, unionIdOf } from '../support/points'

type ErrorJson = { error: { code: string; message: string } }
const hasChinese = (s: string) => /[\u4e00-\u9fa5]/.test(s)
const newKey = () => `test-${crypto.randomBytes(8).toString('hex')}`

for (const engine of engines()) {
  describe(`points mall on ${engine}`, () => {
    let s: TestServer
    let zgc: number // 中关村科学城工会: M0001 (小米工会, below it) sees its items
    let xiaomi: number
    let shijingshan: number
    let m1: number
    const tok: Record<string, string> = {}

    before(async () => {
      s = await startTestServer(engine)
      zgc = await unionIdOf(s.database.db, '中关村科学城工会')
      xiaomi = await unionIdOf(s.database.db, '小米工会')
      shijingshan = await unionIdOf(s.database.db, '石景山区总工会')
      m1 = await memberIdOf(s.database.db, 'M0001')
      for (const no of ['M0001', 'M0006', 'M0003', 'S0001', 'S0101', 'A0001']) {
        tok[no] = await s.login(no)
      }
    })
    after(async () => {
      if (s) assert.deepEqual(await brokenInvariants(s.database.db), [])
      await s?.close()
    })

    async function createItem(
      fields: Partial<CreateItemBody>,
      who = 'S0001',
    ): Promise<StaffMallItem> {
      const res = await s.request({
        method: 'POST',
        url: '/api/v1/staff/mall/items',
        token: tok[who],
        body: {
          unionId: zgc,
          name: `测试商品${crypto.randomBytes(3).toString('hex')}`,
          pointsCost: 10,
          stock: 100,
          perMemberLimit: 5,
          ...fields,
        },
      })
      assert.equal(res.statusCode, 201, res.body)
      return (res.json() as { item: StaffMallItem }).item
    }

    function redeem(who: string, itemId: number, quantity = 1, key: string | null = newKey()) {
      return s.request({
        method: 'POST',
        url: '/api/v1/mall/orders',
        token: tok[who],
        body: { itemId, quantity },
        headers: key === null ? {} : { 'idempotency-key': key },
      })
    }

    function expectError(
      res: Awaited<ReturnType<TestServer['request']>>,
      status: number,
      code: string,
    ) {
      assert.equal(res.statusCode, status, res.body)
      const { error } = res.json() as ErrorJson
      assert.equal(error.code, code)
      assert.ok(hasChinese(error.message), error.message)
      return error.message
    }

    test('members see the items of their union and its ancestors, with sale state', async () => {
      const res = await s.request({ method: 'GET', url: '/api/v1/mall/items', token: tok.M0001 })
      assert.equal(res.statusCode, 200)
      const items = (res.json() as { items: MemberMallItem[] }).items
      const names = items.map((i) => i.name)
      for (const n of [
        '酸梅汤',
        '八宝茶',
        '矿泉水',
        '防晒冰袖',
        '工会定制保温杯',
        '速干运动毛巾',
      ]) {
        assert.ok(names.includes(n), n)
      }
      assert.ok(!names.includes('凉茶'), '石景山 items are not offered to 小米 members')
      const cup = items.find((i) => i.name === '工会定制保温杯')
      assert.equal(cup?.onSale, false)
      assert.ok(cup?.saleStartsAt && Date.parse(cup.saleStartsAt) > Date.now())
      const sleeves = items.find((i) => i.name === '防晒冰袖')
      assert.equal(sleeves?.stock, 3)
      assert.equal(sleeves?.unionName, '小米工会')
      const plum = items.find((i) => i.name === '酸梅汤')
      assert.deepEqual(
        [plum?.pickupDays, plum?.soldOut, plum?.onSale, plum?.redeemedQuantity],
        [7, false, true, 0],
      )

      const other = await s.request({ method: 'GET', url: '/api/v1/mall/items', token: tok.M0003 })
      const otherNames = (other.json() as { items: MemberMallItem[] }).items.map((i) => i.name)
      assert.ok(otherNames.includes('凉茶') && otherNames.includes('速干运动毛巾'))
      assert.ok(!otherNames.includes('酸梅汤'))
    })

    test('redeeming debits points, takes stock, snapshots the price and lists the order', async () => {
      const item = await createItem({ pointsCost: 15, stock: 20, pickupDays: 3 })
      const before = await balanceOf(s.database.db, m1)
      const res = await redeem('M0001', item.id, 2)
      assert.equal(res.statusCode, 201, res.body)
      const { order } = res.json() as { order: MallOrder }
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

      assert.equal(await balanceOf(s.database.db, m1), before - 30)
      assert.equal(await stockOf(s.database.db, item.id), 18)
      const ledger = await s.request({
        method: 'GET',
        url: '/api/v1/points/ledger?limit=1',
        token: tok.M0001,
      })
      const [entry] = (
        ledger.json() as { entries: Array<{ kind: string; amount: number; balanceAfter: number }> }
      ).entries
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
      const mine = (list.json() as { orders: MallOrder[] }).orders.find((o) => o.id === order.id)
      assert.deepEqual(mine, order)
      const items = await s.request({ method: 'GET', url: '/api/v1/mall/items', token: tok.M0001 })
      const seen = (items.json() as { items: MemberMallItem[] }).items.find((i) => i.id === item.id)
      assert.equal(seen?.redeemedQuantity, 2)
      assert.equal(seen?.pointsCost, 99)
    })

    test('names with quotes and backslashes pass through the prepared statements intact', async () => {
      const name = "老北京's \\ 酸梅汤 $1"
      const item = await createItem({ name })
      const res = await redeem('M0001', item.id, 1)
      assert.equal(res.statusCode, 201, res.body)
      assert.equal((res.json() as { order: MallOrder }).order.itemName, name)
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
        (other.json() as { order: MallOrder }).order.id,
        (first.json() as { order: MallOrder }).order.id,
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
        (items.json() as { items: MemberMallItem[] }).items.find((i) => i.id === item.id)?.soldOut,
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
      const code = (a.json() as { order: MallOrder }).order.pickupCode
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
        url: `/api/v1/mall/orders/${(b.json() as { order: MallOrder }).order.id}/cancel`,
        token: tok.M0001,
      })
      assert.equal(cancel.statusCode, 200)
      assert.equal((await redeem('M0001', item.id, 1)).statusCode, 201)
      // Other members have their own limit.
      assert.equal((await redeem('M0006', item.id, 2)).statusCode, 201)
    })

    test('NOT_ON_SALE before and after the sale window; other unions’ items → 404', async () => {
      const items = await s.request({ method: 'GET', url: '/api/v1/mall/items', token: tok.M0001 })
      const cup = (items.json() as { items: MemberMallItem[] }).items.find(
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
      assert.ok(!(list.json() as { items: MemberMallItem[] }).items.some((i) => i.id === ended.id))

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

    test('cancel: owner only, points and stock come back once', async () => {
      const item = await createItem({ pointsCost: 12, stock: 10 })
      const before = await balanceOf(s.database.db, m1)
      const res = await redeem('M0001', item.id, 2)
      const { order } = res.json() as { order: MallOrder }

      const url = `/api/v1/mall/orders/${order.id}/cancel`
      expectError(await s.request({ method: 'POST', url, token: tok.M0006 }), 404, 'NOT_FOUND')
      expectError(
        await s.request({
          method: 'POST',
          url: '/api/v1/mall/orders/999999/cancel',
          token: tok.M0001,
        }),
        404,
        'NOT_FOUND',
      )
      const others = await s.request({
        method: 'GET',
        url: '/api/v1/mall/orders',
        token: tok.M0006,
      })
      assert.ok(!(others.json() as { orders: MallOrder[] }).orders.some((o) => o.id === order.id))

      const cancelled = await s.request({ method: 'POST', url, token: tok.M0001 })
      assert.equal(cancelled.statusCode, 200, cancelled.body)
      const after = (cancelled.json() as { order: MallOrder }).order
      assert.equal(after.status, 'cancelled')
      assert.ok(after.closedAt)
      assert.equal(await balanceOf(s.database.db, m1), before)
      assert.equal(await stockOf(s.database.db, item.id), 10)

      const twice = await s.request({ method: 'POST', url, token: tok.M0001 })
      assert.match(expectError(twice, 409, 'NOT_CANCELLABLE'), /已取消/)
      const refunds = await rows(
        s.database.db,
        sql`SELECT 1 FROM point_ledger WHERE order_id = ${order.id} AND kind = 'refund'`,
      )
      assert.equal(refunds.length, 1)
      const filtered = await s.request({
        method: 'GET',
        url: '/api/v1/mall/orders?status=cancelled',
        token: tok.M0001,
      })
      const cancelledOnly = (filtered.json() as { orders: MallOrder[] }).orders
      assert.ok(cancelledOnly.length > 0 && cancelledOnly.every((o) => o.status === 'cancelled'))
    })

    test('pickup: staff of the item’s union see the order, confirm it once', async () => {
      const item = await createItem({ stock: 10 })
      const { order } = (await redeem('M0001', item.id, 1)).json() as { order: MallOrder }
      const typed = `${order.pickupCode.slice(0, 4).toLowerCase()}-${order.pickupCode.slice(4)}`

      const seen = await s.request({
        method: 'GET',
        url: `/api/v1/staff/mall/pickups/${typed}`,
        token: tok.S0001,
      })
      assert.equal(seen.statusCode, 200, seen.body)
      const shown = (seen.json() as { order: PickupOrder }).order
      assert.deepEqual(
        [shown.id, shown.itemName, shown.quantity, shown.memberName, shown.memberNo, shown.status],
        [order.id, item.name, 1, '张伟', 'M0001', 'awaiting_pickup'],
      )

      // Staff of 石景山 may not verify an item of 中关村科学城; members may not at all.
      expectError(
        await s.request({
          method: 'GET',
          url: `/api/v1/staff/mall/pickups/${order.pickupCode}`,
          token: tok.S0101,
        }),
        403,
        'FORBIDDEN',
      )
      const foreign = await s.request({
        method: 'POST',
        url: '/api/v1/staff/mall/pickups',
        token: tok.S0101,
        body: { pickupCode: order.pickupCode },
      })
      expectError(foreign, 403, 'FORBIDDEN')
      expectError(
        await s.request({
          method: 'POST',
          url: '/api/v1/staff/mall/pickups',
          token: tok.M0006,
          body: { pickupCode: order.pickupCode },
        }),
        403,
        'FORBIDDEN',
      )
      expectError(
        await s.request({
          method: 'POST',
          url: '/api/v1/staff/mall/pickups',
          token: tok.S0001,
          body: { pickupCode: 'ZZZZ2222' },
        }),
        404,
        'UNKNOWN_CODE',
      )
      expectError(
        await s.request({
          method: 'GET',
          url: '/api/v1/staff/mall/pickups/NOPE',
          token: tok.S0001,
        }),
        404,
        'UNKNOWN_CODE',
      )

      const done = await s.request({
        method: 'POST',
        url: '/api/v1/staff/mall/pickups',
        token: tok.S0001,
        body: { pickupCode: typed },
      })
      assert.equal(done.statusCode, 200, done.body)
      assert.equal((done.json() as { order: PickupOrder }).order.status, 'fulfilled')
      const again = await s.request({
        method: 'POST',
        url: '/api/v1/staff/mall/pickups',
        token: tok.S0001,
        body: { pickupCode: order.pickupCode },
      })
      expectError(again, 409, 'ALREADY_FULFILLED')
      const cancel = await s.request({
        method: 'POST',
        url: `/api/v1/mall/orders/${order.id}/cancel`,
        token: tok.M0001,
      })
      assert.match(expectError(cancel, 409, 'NOT_CANCELLABLE'), /已领取/)

      const log = await rows<{ actor: string; action: string; after: { status: string } }>(
        s.database.db,
        sql`SELECT m.member_no AS actor, a.action, a.after FROM audit_log a
            JOIN members m ON m.id = a.actor_id
            WHERE a.entity = 'mall_order' AND a.entity_id = ${String(order.id)}`,
      )
      assert.deepEqual(
        log.map((l) => [l.actor, l.action, l.after.status]),
        [['S0001', 'mall_order.fulfil', 'fulfilled']],
      )
    })

    test('pickup of a cancelled or expired order says so', async () => {
      const item = await createItem({ stock: 10, pickupDays: 1 })
      const a = ((await redeem('M0001', item.id)).json() as { order: MallOrder }).order
      await s.request({
        method: 'POST',
        url: `/api/v1/mall/orders/${a.id}/cancel`,
        token: tok.M0001,
      })
      expectError(
        await s.request({
          method: 'POST',
          url: '/api/v1/staff/mall/pickups',
          token: tok.S0001,
          body: { pickupCode: a.pickupCode },
        }),
        409,
        'ORDER_CANCELLED',
      )

      const b = ((await redeem('M0001', item.id)).json() as { order: MallOrder }).order
      const run = await runExpiryJobs(s.database.db, new Date(Date.parse(b.pickupDeadline) + 1))
      assert.ok(run.ordersExpired >= 1)
      expectError(
        await s.request({
          method: 'POST',
          url: '/api/v1/staff/mall/pickups',
          token: tok.S0001,
          body: { pickupCode: b.pickupCode },
        }),
        409,
        'ORDER_EXPIRED',
      )
    })

    test('the order expiry job refunds points and stock exactly once', async () => {
      const item = await createItem({ pointsCost: 7, stock: 10, pickupDays: 2 })
      const before = await balanceOf(s.database.db, m1)
      const { order } = (await redeem('M0001', item.id, 3)).json() as { order: MallOrder }
      const deadline = new Date(order.pickupDeadline)

      const early = await runExpiryJobs(s.database.db, new Date(deadline.getTime() - 1))
      assert.equal(early.ordersExpired, 0)
      const status = async () =>
        (
          await first<{ status: string }>(
            s.database.db,
            sql`SELECT status FROM mall_orders WHERE id = ${order.id}`,
          )
        )?.status
      assert.equal(await status(), 'awaiting_pickup')

      const late = new Date(deadline.getTime() + 1)
      const runs = await Promise.all([
        runExpiryJobs(s.database.db, late),
        runExpiryJobs(s.database.db, late),
      ])
      assert.equal(
        runs.reduce((n, r) => n + r.ordersExpired, 0),
        1,
      )
      assert.equal((await runExpiryJobs(s.database.db, late)).ordersExpired, 0)
      assert.equal(await status(), 'expired')
      assert.equal(await balanceOf(s.database.db, m1), before)
      assert.equal(await stockOf(s.database.db, item.id), 10)
      const refunds = await rows<{ amount: number; reason: string }>(
        s.database.db,
        sql`SELECT amount, reason FROM point_ledger WHERE order_id = ${order.id} AND kind = 'refund'`,
      )
      assert.deepEqual(refunds, [{ amount: 21, reason: '超期未领取，积分退回' }])
      const cancel = await s.request({
        method: 'POST',
        url: `/api/v1/mall/orders/${order.id}/cancel`,
        token: tok.M0001,
      })
      assert.match(expectError(cancel, 409, 'NOT_CANCELLABLE'), /已过期/)
    })

    test('a pickup-code collision is retried with a fresh code', async () => {
      const item = await createItem({ stock: 10 })
      const taken = ((await redeem('M0001', item.id)).json() as { order: MallOrder }).order
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

    test('staff manage items only in their union subtree; every write is audited', async () => {
      // S0101 (石景山) may not create for 小米 nor change an item of 中关村科学城.
      const foreign = await s.request({
        method: 'POST',
        url: '/api/v1/staff/mall/items',
        token: tok.S0101,
        body: { unionId: xiaomi, name: '越权商品', pointsCost: 1, stock: 1, perMemberLimit: 1 },
      })
      expectError(foreign, 403, 'FORBIDDEN')
      const item = await createItem({
        name: '冰镇绿豆汤',
        pointsCost: 18,
        stock: 40,
        saleStartsAt: new Date(Date.now() - 86_400_000).toISOString(),
      })
      assert.deepEqual(
        [item.name, item.pickupDays, item.awaitingPickupQuantity, item.fulfilledQuantity],
        ['冰镇绿豆汤', 7, 0, 0],
      )
      const patchForeign = await s.request({
        method: 'PATCH',
        url: `/api/v1/staff/mall/items/${item.id}`,
        token: tok.S0101,
        body: { stock: 0 },
      })
      expectError(patchForeign, 403, 'FORBIDDEN')
      const moveAway = await s.request({
        method: 'PATCH',
        url: `/api/v1/staff/mall/items/${item.id}`,
        token: tok.S0001,
        body: { unionId: await unionIdOf(s.database.db, '天津市总工会') },
      })
      expectError(moveAway, 403, 'FORBIDDEN')

      const own = await s.request({
        method: 'POST',
        url: '/api/v1/staff/mall/items',
        token: tok.S0101,
        body: {
          unionId: shijingshan,
          name: '藿香正气水',
          pointsCost: 8,
          stock: 60,
          perMemberLimit: 2,
          imageUrl: 'https://example.com/huoxiang.png',
        },
        headers: { 'idempotency-key': 'create-item-huoxiang' },
      })
      assert.equal(own.statusCode, 201, own.body)
      const replay = await s.request({
        method: 'POST',
        url: '/api/v1/staff/mall/items',
        token: tok.S0101,
        body: {
          unionId: shijingshan,
          name: '藿香正气水',
          pointsCost: 8,
          stock: 60,
          perMemberLimit: 2,
          imageUrl: 'https://example.com/huoxiang.png',
        },
        headers: { 'idempotency-key': 'create-item-huoxiang' },
      })
      assert.equal(replay.body, own.body)

      const patched = await s.request({
        method: 'PATCH',
        url: `/api/v1/staff/mall/items/${item.id}`,
        token: tok.S0001,
        body: { stock: 35, saleEndsAt: null, description: '绿豆熬煮，冰镇' },
      })
      assert.equal(patched.statusCode, 200, patched.body)
      assert.equal((patched.json() as { item: StaffMallItem }).item.stock, 35)

      expectError(
        await s.request({
          method: 'PATCH',
          url: `/api/v1/staff/mall/items/${item.id}`,
          token: tok.S0001,
          body: {
            saleStartsAt: '2026-09-01T00:00:00+08:00',
            saleEndsAt: '2026-08-01T00:00:00+08:00',
          },
        }),
        400,
        'BAD_REQUEST',
      )
      expectError(
        await s.request({
          method: 'PATCH',
          url: `/api/v1/staff/mall/items/${item.id}`,
          token: tok.S0001,
          // Valid alone, but it would end before the stored start.
          body: { saleEndsAt: new Date(Date.now() - 2 * 86_400_000).toISOString() },
        }),
        400,
        'BAD_REQUEST',
      )
      expectError(
        await s.request({
          method: 'PATCH',
          url: `/api/v1/staff/mall/items/${item.id}`,
          token: tok.S0001,
          body: {},
        }),
        400,
        'BAD_REQUEST',
      )
      expectError(
        await s.request({
          method: 'PATCH',
          url: `/api/v1/staff/mall/items/${item.id}`,
          token: tok.S0001,
          body: { stock: -1 },
        }),
        400,
        'BAD_REQUEST',
      )
      expectError(
        await s.request({
          method: 'PATCH',
          url: '/api/v1/staff/mall/items/999999',
          token: tok.S0001,
          body: { stock: 1 },
        }),
        404,
        'NOT_FOUND',
      )
      expectError(
        await s.request({
          method: 'POST',
          url: '/api/v1/staff/mall/items',
          token: tok.M0001,
          body: { unionId: zgc, name: '会员不能上架', pointsCost: 1, stock: 1, perMemberLimit: 1 },
        }),
        403,
        'FORBIDDEN',
      )
      expectError(
        await s.request({
          method: 'POST',
          url: '/api/v1/staff/mall/items',
          token: tok.S0001,
          body: {
            unionId: zgc,
            name: '多一个字段',
            pointsCost: 1,
            stock: 1,
            perMemberLimit: 1,
            price: 3,
          },
        }),
        400,
        'BAD_REQUEST',
      )

      const scoped = await s.request({
        method: 'GET',
        url: '/api/v1/staff/mall/items',
        token: tok.S0101,
      })
      const scopedItems = (scoped.json() as { items: StaffMallItem[] }).items
      assert.ok(scopedItems.length > 0)
      assert.ok(scopedItems.every((i) => ['石景山区总工会', '四方继保工会'].includes(i.unionName)))

      const log = await rows<{
        actor: string
        action: string
        before: { stock: number } | null
        after: { stock: number; name: string }
      }>(
        s.database.db,
        sql`SELECT m.member_no AS actor, a.action, a.before, a.after FROM audit_log a
            JOIN members m ON m.id = a.actor_id
            WHERE a.entity = 'mall_item' AND a.entity_id IN (${String(item.id)},
              ${String((own.json() as { item: StaffMallItem }).item.id)})
            ORDER BY a.id`,
      )
      assert.deepEqual(
        log.map((l) => [l.actor, l.action, l.before?.stock ?? null, l.after.stock]),
        [
          ['S0001', 'mall_item.create', null, 40],
          ['S0101', 'mall_item.create', null, 60],
          ['S0001', 'mall_item.update', 40, 35],
        ],
      )
    })
  })
}
