import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { routes } from '../../src/contract/routes'
import { first, pgConstraint, rows } from '../../server/db/sql'
import { expectError, parseAnswer } from '../support/api'
import { brokenCoolingBooks, coolingFixture } from '../support/cooling'
import { memberIdOf } from '../support/points'
import { engines, type TestServer } from '../support/server'

// Packs (server/modules/cooling/packs.ts): saving a pack, its checks, stock and the quota backstop.
for (const engine of engines()) {
  describe(`cooling packs on ${engine}`, () => {
    const f = coolingFixture(engine)
    const { tok, createCampaign, itemId, putPack, getPack, stockLeft, sifangSites } = f
    let s: TestServer
    before(() => {
      ;({ s } = f)
    })

    test('submit, read back, resubmit unchanged, change: stock follows the pack', async () => {
      const c = await createCampaign()
      const bottle = itemId(c, '喷雾运动水壶')
      const cap = itemId(c, '防晒棒球帽')
      const water = itemId(c, '矿泉水')
      assert.equal(await getPack('M0003', c.id), null)

      const [site] = await sifangSites()
      const delivery = { kind: 'site', siteId: site.id, recipient: '梁工', phone: '13812345678' }
      const first = await putPack(
        'M0003',
        c.id,
        [
          [bottle, 1],
          [water, 2],
          [cap, 0],
        ],
        delivery,
      )
      assert.equal(first.statusCode, 200, first.body)
      const pack = parseAnswer(routes.saveCoolingPack, first).pack
      assert.equal(pack.campaignId, c.id)
      assert.equal(pack.status, 'submitted')
      assert.equal(pack.isDefault, false)
      assert.equal(pack.quotaUsed, 60)
      assert.deepEqual(
        pack.items.map((i) => [i.name, i.quantity, i.quotaCost]),
        [
          ['喷雾运动水壶', 1, 40],
          ['矿泉水', 2, 10],
        ],
      )
      assert.deepEqual(pack.delivery, {
        kind: 'site',
        siteId: site.id,
        siteName: site.name,
        address: site.address,
        recipient: '梁工',
        phone: '13812345678',
      })
      assert.deepEqual(await getPack('M0003', c.id), pack)
      assert.deepEqual([await stockLeft(bottle), await stockLeft(water)], [4, 98])

      // PUT again with the same body: the same pack, no stock moves.
      const again = await putPack(
        'M0003',
        c.id,
        [
          [water, 2],
          [bottle, 1],
        ],
        delivery,
      )
      assert.equal(again.statusCode, 200, again.body)
      const repeated = parseAnswer(routes.saveCoolingPack, again).pack
      assert.deepEqual({ ...repeated, updatedAt: pack.updatedAt }, pack)
      assert.deepEqual([await stockLeft(bottle), await stockLeft(water)], [4, 98])

      // A change releases what was dropped and reserves what is new, in one step.
      const changed = await putPack('M0003', c.id, [
        [cap, 1],
        [water, 4],
      ])
      assert.equal(changed.statusCode, 200, changed.body)
      const after = parseAnswer(routes.saveCoolingPack, changed).pack
      assert.equal(after.id, pack.id)
      assert.deepEqual(after.delivery, { kind: 'pickup' })
      assert.equal(after.quotaUsed, 70)
      assert.deepEqual(
        [await stockLeft(bottle), await stockLeft(cap), await stockLeft(water)],
        [5, 49, 96],
      )

      const list = await s.request({
        method: 'GET',
        url: '/api/v1/cooling/campaigns',
        token: tok.M0003,
      })
      const mine = parseAnswer(routes.coolingCampaigns, list).campaigns.find((x) => x.id === c.id)
      assert.equal(mine?.packStatus, 'submitted')
      assert.equal(mine?.items.find((i) => i.id === water)?.stockLeft, 96)
      assert.deepEqual(await brokenCoolingBooks(s.database.db), [])
    })

    test('OVER_QUOTA, OVER_ITEM_MAX, EMPTY_PACK and bad bodies are refused; nothing changes', async () => {
      const c = await createCampaign({ maxItems: 5 })
      const other = await createCampaign()
      const [bottle, cap, tea, water] = ['喷雾运动水壶', '防晒棒球帽', '凉茶', '矿泉水'].map((n) =>
        itemId(c, n),
      )
      const msg = expectError(
        await putPack('M0003', c.id, [
          [bottle, 1],
          [cap, 1],
          [tea, 3],
        ]),
        422,
        'OVER_QUOTA',
      )
      assert.match(msg, /已选 115，每人额度 100/)
      assert.match(
        expectError(await putPack('M0003', c.id, [[water, 6]]), 422, 'OVER_ITEM_MAX'),
        /「矿泉水」每份最多选 4 件/,
      )
      // maxItems 5: six pieces within the quota are still too many.
      assert.match(
        expectError(
          await putPack('M0003', c.id, [
            [tea, 2],
            [water, 4],
          ]),
          422,
          'OVER_QUOTA',
        ),
        /最多选 5 件/,
      )
      expectError(await putPack('M0003', c.id, []), 422, 'EMPTY_PACK')
      expectError(await putPack('M0003', c.id, [[tea, 0]]), 422, 'EMPTY_PACK')
      // An item of another campaign; the same item twice; unknown fields.
      expectError(await putPack('M0003', c.id, [[itemId(other, '凉茶'), 1]]), 400, 'BAD_REQUEST')
      expectError(
        await putPack('M0003', c.id, [
          [tea, 1],
          [tea, 1],
        ]),
        400,
        'BAD_REQUEST',
      )
      expectError(
        await s.request({
          method: 'PUT',
          url: `/api/v1/cooling/campaigns/${c.id}/pack`,
          token: tok.M0003,
          body: { items: [{ itemId: tea, quantity: 1 }], delivery: { kind: 'pickup' }, note: 'x' },
        }),
        400,
        'BAD_REQUEST',
      )
      expectError(
        await putPack('M0003', c.id, [[tea, 1]], { kind: 'pickup', siteId: 1 }),
        400,
        'BAD_REQUEST',
      )
      expectError(await putPack('M0003', c.id, [[tea, -1]]), 400, 'BAD_REQUEST')
      assert.equal(await getPack('M0003', c.id), null)
      const stock = await rows<{ stock: number; stock_left: number }>(
        s.database.db,
        sql`SELECT stock, stock_left FROM cooling_items WHERE campaign_id = ${c.id}`,
      )
      assert.ok(stock.every((i) => i.stock === i.stock_left))
    })

    test('OUT_OF_STOCK: a failed change keeps the old pack and its stock intact', async () => {
      const c = await createCampaign({
        items: [
          { name: '喷雾运动水壶', quotaCost: 40, maxPerPack: 1, stock: 5 },
          { name: '防晒棒球帽', quotaCost: 30, maxPerPack: 1, stock: 1 },
          { name: '凉茶', quotaCost: 15, maxPerPack: 3, stock: 2 },
          { name: '矿泉水', quotaCost: 10, maxPerPack: 4, stock: 100 },
        ],
      })
      const [bottle, cap, tea, water] = ['喷雾运动水壶', '防晒棒球帽', '凉茶', '矿泉水'].map((n) =>
        itemId(c, n),
      )
      assert.equal((await putPack('M0008', c.id, [[cap, 1]])).statusCode, 200)
      const mine = await putPack('M0003', c.id, [
        [bottle, 1],
        [water, 2],
      ])
      assert.equal(mine.statusCode, 200, mine.body)
      const before = parseAnswer(routes.saveCoolingPack, mine).pack

      const gone = expectError(
        await putPack('M0003', c.id, [
          [cap, 1],
          [water, 1],
        ]),
        409,
        'OUT_OF_STOCK',
      )
      assert.match(gone, /「防晒棒球帽」已被选完/)
      const short = expectError(await putPack('M0003', c.id, [[tea, 3]]), 409, 'OUT_OF_STOCK')
      assert.match(short, /「凉茶」库存不足，最多还能选 2 件/)
      assert.deepEqual(await getPack('M0003', c.id), before)
      assert.deepEqual(
        [
          await stockLeft(bottle),
          await stockLeft(cap),
          await stockLeft(tea),
          await stockLeft(water),
        ],
        [4, 0, 2, 98],
      )
      // What the member holds counts as available to them: 2 凉茶 → 3 would need one more.
      assert.equal((await putPack('M0003', c.id, [[tea, 2]])).statusCode, 200)
      assert.equal(await stockLeft(bottle), 5)
      assert.match(
        expectError(await putPack('M0003', c.id, [[tea, 3]]), 409, 'OUT_OF_STOCK'),
        /最多还能选 2 件/,
      )
      // Someone without a pack who fails leaves no pack behind.
      expectError(await putPack('M0013', c.id, [[cap, 1]]), 409, 'OUT_OF_STOCK')
      assert.equal(await getPack('M0013', c.id), null)
    })

    test('the quota backstop: each pack keeps its campaign’s quota and the database holds it', async () => {
      const c = await createCampaign()
      const res = await putPack('M0003', c.id, [[itemId(c, '凉茶'), 2]])
      assert.equal(res.statusCode, 200, res.body)
      // Every pack so far (submitted, changed, default packs of the closes above) is counted right.
      const wrong = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM cooling_packs p
            JOIN cooling_campaigns c ON c.id = p.campaign_id
            WHERE p.quota_limit <> c.quota
               OR p.quota_used <> (SELECT coalesce(sum(l.quantity * i.quota_cost), 0)
                                   FROM cooling_pack_items l JOIN cooling_items i ON i.id = l.item_id
                                   WHERE l.pack_id = p.id)`,
      )
      assert.equal(wrong?.n, 0)
      const pack = await first<{ id: number }>(
        s.database.db,
        sql`SELECT id FROM cooling_packs
            WHERE campaign_id = ${c.id} AND member_id = ${await memberIdOf(s.database.db, 'M0003')}`,
      )
      assert.ok(pack)
      const refused = async (statement: ReturnType<typeof sql>, constraint: string) =>
        assert.rejects(s.database.db.execute(statement), (err: unknown) => {
          assert.equal(pgConstraint(err), constraint)
          return true
        })
      await refused(
        sql`UPDATE cooling_packs SET quota_used = quota_limit + 1 WHERE id = ${pack.id}`,
        'cooling_packs_quota_within_limit',
      )
      await refused(
        sql`UPDATE cooling_packs SET quota_limit = quota_limit + 1000, quota_used = quota_limit + 1
            WHERE id = ${pack.id}`,
        'cooling_packs_quota_limit_fk',
      )
    })
  })
}
