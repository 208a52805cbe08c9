import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type { CreateCampaignBody } from '../../src/contract/cooling'
import type { ErrorCode } from '../../src/contract/errors'
import { routes } from '../../src/contract/routes'
import { first, rows } from '../../server/db/sql'
import { closeDueCampaigns } from '../../server/modules/cooling/campaigns'
import { expectError, parseAnswer, type ApiClient } from '../support/api'
import { campaignBody, coolingFixture, sifang } from '../support/cooling'
import { unionIdOf } from '../support/points'
import { engines, type TestServer } from '../support/server'

// Campaigns (server/modules/cooling/campaigns.ts): what members are offered, creating, closing with default packs, shipping, and staff scope.
for (const engine of engines()) {
  describe(`cooling campaigns on ${engine}`, () => {
    const f = coolingFixture(engine)
    const { tok, createCampaign, itemId, putPack, getPack, stockLeft, staff, sifangSites } = f
    let s: TestServer
    let client: ApiClient
    let sifangId: number
    let parkId: number
    before(() => {
      ;({ s, client, sifangId, parkId } = f)
    })

    test('the demo seed: one campaign per enterprise, quota 100, default pack, work sites', async () => {
      const res = await s.request({
        method: 'GET',
        url: '/api/v1/cooling/campaigns',
        token: tok.M0003,
      })
      assert.equal(res.statusCode, 200)
      const [campaign, ...others] = parseAnswer(routes.coolingCampaigns, res).campaigns
      assert.equal(others.length, 0, 'M0003 is offered only its own enterprise campaign')
      assert.equal(campaign.unionName, '四方继保工会')
      assert.equal(campaign.status, 'open')
      assert.equal(campaign.quota, 100)
      assert.equal(campaign.maxItems, 10)
      assert.equal(campaign.packStatus, null)
      assert.deepEqual(
        campaign.items.map((i) => i.name),
        [
          '喷雾运动水壶',
          '防晒棒球帽',
          '速干运动毛巾',
          '凉茶',
          '清洁湿巾',
          '风油精',
          '酸梅汤',
          '矿泉水',
        ],
      )
      const defaultCost = campaign.items.reduce((n, i) => n + i.quotaCost * i.defaultQuantity, 0)
      assert.equal(defaultCost, 100)
      assert.ok(Date.parse(campaign.closesAt) > Date.now() + 10 * 86_400_000)
      assert.ok(Date.parse(campaign.opensAt) < Date.now())

      const park = await s.request({
        method: 'GET',
        url: '/api/v1/cooling/campaigns',
        token: tok.M0004,
      })
      const parkCampaigns = parseAnswer(routes.coolingCampaigns, park).campaigns
      assert.deepEqual(
        parkCampaigns.map((c) => [c.unionName, c.maxItems]),
        [['帕克国际工会', null]],
      )
      const xiaomi = await s.request({
        method: 'GET',
        url: '/api/v1/cooling/campaigns',
        token: tok.M0001,
      })
      assert.deepEqual(parseAnswer(routes.coolingCampaigns, xiaomi).campaigns, [])

      const names = (await sifangSites()).map((site) => site.name).join(' ')
      for (const word of ['若羌', '高原', '海外']) assert.ok(names.includes(word), names)
      const parkSites = await s.request({
        method: 'GET',
        url: '/api/v1/cooling/sites',
        token: tok.M0004,
      })
      const parkNames = parseAnswer(routes.coolingSites, parkSites).sites.map((x) => x.name)
      assert.ok(
        parkNames.some((n) => n.includes('海外')) && parkNames.some((n) => n.includes('高原')),
      )
      const none = await s.request({
        method: 'GET',
        url: '/api/v1/cooling/sites',
        token: tok.M0001,
      })
      assert.deepEqual(none.json(), { sites: [] })

      // A seeded member already chose a pack shipped to 若羌.
      const seeded = await getPack('M0008', campaign.id)
      assert.equal(seeded?.delivery.kind, 'site')
      assert.match(seeded?.delivery.kind === 'site' ? seeded.delivery.siteName : '', /若羌/)
      assert.equal(seeded?.quotaUsed, 100)
    })

    test('not open yet → CAMPAIGN_NOT_OPEN; past closesAt → closed for members before staff close', async () => {
      const later = await createCampaign({
        opensAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
        closesAt: new Date(Date.now() + 9 * 86_400_000).toISOString(),
      })
      const msg = expectError(
        await putPack('M0003', later.id, [[itemId(later, '凉茶'), 1]]),
        409,
        'CAMPAIGN_NOT_OPEN',
      )
      assert.match(msg, /开始/)
      const list = await s.request({
        method: 'GET',
        url: '/api/v1/cooling/campaigns',
        token: tok.M0003,
      })
      const campaigns = parseAnswer(routes.coolingCampaigns, list).campaigns
      assert.equal(campaigns.find((x) => x.id === later.id)?.status, 'upcoming')

      const c = await createCampaign()
      const tea = itemId(c, '凉茶')
      assert.equal((await putPack('M0003', c.id, [[tea, 2]])).statusCode, 200)
      // Time passes: closesAt is behind us, nobody has closed it.
      await s.database.db.execute(
        sql`UPDATE cooling_campaigns SET opens_at = now() - interval '2 days',
              closes_at = now() - interval '1 minute' WHERE id = ${c.id}`,
      )
      const view = (
        await client.call(routes.coolingCampaigns, { token: tok.M0003 })
      ).campaigns.find((x) => x.id === c.id)
      assert.deepEqual([view?.status, view?.closedAt], ['closed', null])
      assert.match(
        expectError(await putPack('M0003', c.id, [[tea, 1]]), 409, 'CAMPAIGN_CLOSED'),
        /截止/,
      )
      expectError(await putPack('M0008', c.id, [[tea, 1]]), 409, 'CAMPAIGN_CLOSED')
      assert.equal((await getPack('M0003', c.id))?.quotaUsed, 30)
      assert.equal(await getPack('M0013', c.id), null, 'default packs wait for the close')

      // The job closes what is due: default packs for the other 27 members, once.
      assert.equal(await closeDueCampaigns(s.database.db, new Date()), 1)
      assert.equal((await getPack('M0013', c.id))?.isDefault, true)
      assert.equal(await closeDueCampaigns(s.database.db, new Date()), 0)
      const n = await first<{ n: number; d: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n, count(*) FILTER (WHERE is_default)::int AS d
            FROM cooling_packs WHERE campaign_id = ${c.id}`,
      )
      assert.deepEqual(n, { n: 28, d: 27 })
    })

    test('members see only campaigns of their union and its ancestors; others → 404', async () => {
      const c = await createCampaign()
      const tea = itemId(c, '凉茶')
      expectError(
        await s.request({
          method: 'GET',
          url: `/api/v1/cooling/campaigns/${c.id}/pack`,
          token: tok.M0001,
        }),
        404,
        'NOT_FOUND',
      )
      expectError(await putPack('M0001', c.id, [[tea, 1]]), 404, 'NOT_FOUND')
      expectError(await putPack('M0003', 999_999, [[tea, 1]]), 404, 'NOT_FOUND')

      // A campaign of the city federation reaches every Beijing member, 小米 included.
      const city = await createCampaign({}, 'S0001', await unionIdOf(s.database.db, '北京市总工会'))
      const cityTea = itemId(city, '凉茶')
      const res = await putPack('M0001', city.id, [[cityTea, 1]])
      assert.equal(res.statusCode, 200, res.body)
      // S0101 may not run it: it is above their union.
      expectError(await staff('POST', `/campaigns/${city.id}/close`), 403, 'FORBIDDEN')
    })

    test('close: default packs within stock, notCovered reported, idempotent; then shipping and receipt', async () => {
      const c = await createCampaign({
        items: [
          { name: '喷雾运动水壶', quotaCost: 40, maxPerPack: 1, stock: 5 },
          { name: '防晒棒球帽', quotaCost: 30, maxPerPack: 1, stock: 50 },
          { name: '凉茶', quotaCost: 15, maxPerPack: 3, stock: 20 },
          { name: '矿泉水', quotaCost: 10, maxPerPack: 4, stock: 100 },
        ],
      })
      const [bottle, cap, tea, water] = ['喷雾运动水壶', '防晒棒球帽', '凉茶', '矿泉水'].map((n) =>
        itemId(c, n),
      )
      const siteRes = await s.request({
        method: 'POST',
        url: '/api/v1/staff/cooling/sites',
        token: tok.S0101,
        body: { unionId: sifangId, name: `测试营地${c.id}`, address: '新疆若羌县, 3 号营地' },
      })
      assert.equal(siteRes.statusCode, 201, siteRes.body)
      const site = parseAnswer(routes.createCoolingSite, siteRes).site
      const mine = await putPack(
        'M0003',
        c.id,
        [
          [bottle, 1],
          [water, 2],
        ],
        { kind: 'site', siteId: site.id, recipient: '王"小,明', phone: '13812345678' },
      )
      assert.equal(mine.statusCode, 200, mine.body)
      const packId = parseAnswer(routes.saveCoolingPack, mine).pack.id
      const other = await putPack('M0008', c.id, [
        [cap, 1],
        [water, 1],
      ])
      const otherId = parseAnswer(routes.saveCoolingPack, other).pack.id

      // Not closed yet: nothing can be shipped.
      expectError(await staff('POST', `/packs/${packId}/shipped`), 409, 'CAMPAIGN_NOT_CLOSED')

      // 26 members without a pack; 凉茶 20 left, 2 per default pack → 10 covered, 16 not.
      const closed = await staff('POST', `/campaigns/${c.id}/close`)
      assert.equal(closed.statusCode, 200, closed.body)
      const result = parseAnswer(routes.closeCoolingCampaign, closed)
      assert.deepEqual(
        [result.defaultPacksCreated, result.notCovered, result.alreadyClosed],
        [10, 16, false],
      )
      const uncovered = sifang.filter((no) => !['M0003', 'M0008'].includes(no)).slice(10)
      assert.deepEqual(
        result.notCoveredMembers.map((m) => m.memberNo),
        uncovered,
      )
      assert.ok(result.notCoveredMembers.every((m) => m.unionName === '四方继保工会'))
      assert.deepEqual([await stockLeft(tea), await stockLeft(water)], [0, 77])

      const again = await staff('POST', `/campaigns/${c.id}/close`)
      const second = parseAnswer(routes.closeCoolingCampaign, again)
      assert.deepEqual(
        [second.defaultPacksCreated, second.notCovered, second.alreadyClosed, second.closedAt],
        [0, 16, true, result.closedAt],
      )
      const count = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM cooling_packs WHERE campaign_id = ${c.id}`,
      )
      assert.equal(count?.n, 12)

      // The first uncovered member by id order has no pack; the first covered one has the default.
      assert.equal(await getPack('M0063', c.id), null)
      const def = await getPack('M0013', c.id)
      assert.deepEqual(
        [def?.isDefault, def?.status, def?.quotaUsed, def?.delivery],
        [true, 'submitted', 50, { kind: 'pickup' }],
      )
      assert.deepEqual(
        def?.items.map((i) => [i.name, i.quantity]),
        [
          ['凉茶', 2],
          ['矿泉水', 2],
        ],
      )
      expectError(await putPack('M0003', c.id, [[water, 1]]), 409, 'CAMPAIGN_CLOSED')
      expectError(await putPack('M0063', c.id, [[water, 1]]), 409, 'CAMPAIGN_CLOSED')
      const view = (
        await client.call(routes.coolingCampaigns, { token: tok.M0013 })
      ).campaigns.find((x) => x.id === c.id)
      assert.deepEqual([view?.status, view?.closedAt], ['closed', result.closedAt])

      // Shipping, forward only; only the owner confirms receipt.
      const shipped = await staff('POST', `/packs/${packId}/shipped`)
      assert.equal(shipped.statusCode, 200, shipped.body)
      const sp = parseAnswer(routes.shipCoolingPack, shipped).pack
      assert.equal(sp.status, 'shipped')
      assert.ok(sp.shippedAt)
      expectError(await staff('POST', `/packs/${packId}/shipped`), 409, 'PACK_ALREADY_SHIPPED')
      const receive = (who: string, id: number) =>
        s.request({ method: 'POST', url: `/api/v1/cooling/packs/${id}/received`, token: tok[who] })
      expectError(await receive('M0008', otherId), 409, 'PACK_NOT_SHIPPED')
      expectError(await receive('M0008', packId), 404, 'NOT_FOUND')
      expectError(await receive('M0003', 999_999), 404, 'NOT_FOUND')
      const got = await receive('M0003', packId)
      assert.equal(got.statusCode, 200, got.body)
      const received = parseAnswer(routes.receiveCoolingPack, got).pack
      assert.equal(received.status, 'received')
      assert.ok(received.receivedAt)
      expectError(await receive('M0003', packId), 409, 'PACK_ALREADY_RECEIVED')
      assert.match(
        expectError(await staff('POST', `/packs/${packId}/shipped`), 409, 'PACK_ALREADY_SHIPPED'),
        /已签收/,
      )
      const status = await first<{ status: string }>(
        s.database.db,
        sql`SELECT status FROM cooling_packs WHERE id = ${packId}`,
      )
      assert.equal(status?.status, 'received')
      assert.equal((await getPack('M0003', c.id))?.status, 'received')

      // A whole destination at once: the site (done already), then the pickup group.
      const siteShip = await staff('POST', `/campaigns/${c.id}/sites/${site.id}/shipped`)
      assert.deepEqual(siteShip.json(), { shipped: 0 })
      const pickup = await staff('POST', `/campaigns/${c.id}/sites/pickup/shipped`)
      assert.deepEqual(pickup.json(), { shipped: 11 })
      assert.deepEqual((await staff('POST', `/campaigns/${c.id}/sites/pickup/shipped`)).json(), {
        shipped: 0,
      })
      expectError(await staff('POST', `/campaigns/${c.id}/sites/999999/shipped`), 404, 'NOT_FOUND')
      expectError(
        await staff('POST', `/campaigns/${c.id}/sites/elsewhere/shipped`),
        400,
        'BAD_REQUEST',
      )
      assert.equal((await receive('M0008', otherId)).statusCode, 200)

      const list = await staff('GET', '/campaigns')
      const progress = parseAnswer(routes.staffCoolingCampaigns, list).campaigns.find(
        (x) => x.id === c.id,
      )
      assert.deepEqual(progress?.counts, {
        members: 28,
        chosen: 2,
        default: 10,
        notChosen: 16,
        shipped: 12,
        received: 2,
      })
      assert.equal(progress?.status, 'closed')
      assert.deepEqual(
        progress?.items.map((i) => [i.name, i.stock, i.stockLeft]),
        [
          ['喷雾运动水壶', 5, 4],
          ['防晒棒球帽', 50, 49],
          ['凉茶', 20, 0],
          ['矿泉水', 100, 77],
        ],
      )

      const log = await rows<{ actor: string; action: string }>(
        s.database.db,
        sql`SELECT m.member_no AS actor, a.action FROM audit_log a JOIN members m ON m.id = a.actor_id
            WHERE (a.entity = 'cooling_campaign' AND a.entity_id = ${String(c.id)})
               OR (a.entity = 'cooling_pack' AND a.entity_id = ${String(packId)})
            ORDER BY a.id`,
      )
      assert.deepEqual(
        log.map((l) => `${l.actor} ${l.action}`),
        [
          'S0101 cooling_campaign.create',
          'S0101 cooling_campaign.close',
          'S0101 cooling_campaign.close',
          'S0101 cooling_pack.ship',
          'S0101 cooling_pack.ship_group',
        ],
      )
    })

    test('staff act only on campaigns of their subtree; members on none (403)', async () => {
      const park = await createCampaign({}, 'S0001', parkId)
      const tea = itemId(park, '凉茶')
      const res = await putPack('M0004', park.id, [[tea, 1]])
      assert.equal(res.statusCode, 200, res.body)
      const parkPack = parseAnswer(routes.saveCoolingPack, res).pack.id

      expectError(
        await s.request({
          method: 'POST',
          url: '/api/v1/staff/cooling/campaigns',
          token: tok.S0101,
          body: campaignBody(parkId),
        }),
        403,
        'FORBIDDEN',
      )
      expectError(await staff('POST', `/campaigns/${park.id}/close`), 403, 'FORBIDDEN')
      expectError(await staff('GET', `/campaigns/${park.id}/packing-list`), 403, 'FORBIDDEN')
      expectError(
        await staff('POST', `/campaigns/${park.id}/sites/pickup/shipped`),
        403,
        'FORBIDDEN',
      )
      expectError(await staff('POST', `/packs/${parkPack}/shipped`), 403, 'FORBIDDEN')
      expectError(await staff('POST', '/campaigns/999999/close'), 404, 'NOT_FOUND')

      const mineOnly = parseAnswer(
        routes.staffCoolingCampaigns,
        await staff('GET', '/campaigns'),
      ).campaigns
      assert.equal(mineOnly.length, 5)
      assert.ok(mineOnly.every((x) => ['四方继保工会', '石景山区总工会'].includes(x.unionName)))
      const all = parseAnswer(
        routes.staffCoolingCampaigns,
        await staff('GET', '/campaigns', 'S0001'),
      ).campaigns
      assert.ok(all.some((x) => x.id === park.id))

      for (const [method, url] of [
        ['GET', '/campaigns'],
        ['POST', `/campaigns/${park.id}/close`],
        ['GET', `/campaigns/${park.id}/packing-list`],
        ['POST', `/packs/${parkPack}/shipped`],
        ['GET', '/sites'],
      ] as const) {
        expectError(await staff(method, url, 'M0003'), 403, 'FORBIDDEN')
      }
      const admin = await staff('GET', `/campaigns/${park.id}/packing-list`, 'A0001')
      assert.equal(admin.statusCode, 200, admin.body)
      const closed = await staff('POST', `/campaigns/${park.id}/close`, 'A0001')
      assert.equal(closed.statusCode, 200, closed.body)
      assert.equal(parseAnswer(routes.closeCoolingCampaign, closed).defaultPacksCreated, 27)
    })

    test('creating a campaign: the window, the quota, the items and the default pack are checked', async () => {
      const post = (body: unknown, who = 'S0101', key?: string) =>
        s.request({
          method: 'POST',
          url: '/api/v1/staff/cooling/campaigns',
          token: tok[who],
          body,
          headers: key ? { 'idempotency-key': key } : {},
        })
      const now = Date.now()
      const bad: Array<[Partial<CreateCampaignBody>, number, ErrorCode, RegExp]> = [
        [
          {
            opensAt: new Date(now + 86_400_000).toISOString(),
            closesAt: new Date(now).toISOString(),
          },
          400,
          'BAD_REQUEST',
          /截止时间必须晚于开始时间/,
        ],
        [
          {
            opensAt: new Date(now - 3 * 86_400_000).toISOString(),
            closesAt: new Date(now - 86_400_000).toISOString(),
          },
          400,
          'BAD_REQUEST',
          /截止时间已过/,
        ],
        [{ quota: 0 }, 400, 'BAD_REQUEST', /额度至少为 1/],
        [{ items: [] }, 400, 'BAD_REQUEST', /至少添加一种物品/],
        [{ defaultPack: [] }, 400, 'BAD_REQUEST', /默认礼包/],
        [{ defaultPack: [{ itemIndex: 9, quantity: 1 }] }, 400, 'BAD_REQUEST', /序号/],
        [
          {
            defaultPack: [
              { itemIndex: 0, quantity: 1 },
              { itemIndex: 1, quantity: 1 },
              { itemIndex: 2, quantity: 3 },
            ],
          },
          422,
          'OVER_QUOTA',
          /默认礼包：超出可选额度/,
        ],
        [{ defaultPack: [{ itemIndex: 3, quantity: 5 }] }, 422, 'OVER_ITEM_MAX', /默认礼包/],
        [{ maxItems: 3 }, 422, 'OVER_QUOTA', /默认礼包：每份最多选 3 件/],
        [{ unionId: 999_999 }, 404, 'UNION_NOT_FOUND', /工会/],
      ]
      for (const [fields, status, code, message] of bad) {
        const body = { ...campaignBody(sifangId), ...fields }
        assert.match(expectError(await post(body), status, code), message, JSON.stringify(fields))
      }
      expectError(await post({ ...campaignBody(sifangId), extra: 1 }), 400, 'BAD_REQUEST')
      expectError(await post(campaignBody(sifangId), 'M0003'), 403, 'FORBIDDEN')

      const key = `cooling-campaign-${engine}`
      const body = campaignBody(sifangId, { title: '重放测试' })
      const created = await post(body, 'S0101', key)
      assert.equal(created.statusCode, 201, created.body)
      const replay = await post(body, 'S0101', key)
      assert.equal(replay.body, created.body)
      const n = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM cooling_campaigns WHERE title = '重放测试'`,
      )
      assert.equal(n?.n, 1)
      const campaign = parseAnswer(routes.createCoolingCampaign, created).campaign
      assert.deepEqual(
        campaign.items.map((i) => [i.name, i.stock, i.stockLeft, i.defaultQuantity]),
        [
          ['喷雾运动水壶', 5, 5, 0],
          ['防晒棒球帽', 50, 50, 0],
          ['凉茶', 100, 100, 2],
          ['矿泉水', 100, 100, 2],
        ],
      )
      assert.deepEqual(campaign.counts, {
        members: 28,
        chosen: 0,
        default: 0,
        notChosen: 28,
        shipped: 0,
        received: 0,
      })
    })
  })
}
