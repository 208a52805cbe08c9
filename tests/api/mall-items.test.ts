import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { routes } from '../../src/contract/routes'
import { rows } from '../../server/db/sql'
import { expectError, parseAnswer } from '../support/api'
import { mallFixture } from '../support/mall'
import { unionIdOf } from '../support/points'
import { engines, type TestServer } from '../support/server'

// Items (server/modules/mall/items.ts): what members are offered, and staff managing items.
for (const engine of engines()) {
  describe(`mall items on ${engine}`, () => {
    const f = mallFixture(engine)
    const { tok, createItem } = f
    let s: TestServer
    let zgc: number
    let xiaomi: number
    let shijingshan: number
    before(() => {
      ;({ s, zgc, xiaomi, shijingshan } = f)
    })

    test('members see the items of their union and its ancestors, with sale state', async () => {
      const res = await s.request({ method: 'GET', url: '/api/v1/mall/items', token: tok.M0001 })
      assert.equal(res.statusCode, 200)
      const items = parseAnswer(routes.mallItems, res).items
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
      const otherNames = parseAnswer(routes.mallItems, other).items.map((i) => i.name)
      assert.ok(otherNames.includes('凉茶') && otherNames.includes('速干运动毛巾'))
      assert.ok(!otherNames.includes('酸梅汤'))
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
      assert.equal(parseAnswer(routes.patchItem, patched).item.stock, 35)

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
      const scopedItems = parseAnswer(routes.staffItems, scoped).items
      assert.equal(scopedItems.length, 2)
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
              ${String(parseAnswer(routes.createItem, own).item.id)})
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
