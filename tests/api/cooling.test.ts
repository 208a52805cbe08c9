import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type {
  CloseCampaignResponse,
  CoolingCampaign,
  CoolingPack,
  CoolingSite,
  CreateCampaignBody,
  PackingListResponse,
  StaffCoolingCampaign,
} from '../../src/contract/cooling'
import { first, pgConstraint, rows } from '../../server/db/sql'
import { closeDueCampaigns } from '../../server/modules/cooling/campaigns'
import { brokenCoolingBooks, campaignBody } from '../support/cooling'
import { memberIdOf, unionIdOf } from '../support/points'
import { engines, startTestServer, type TestServer } from '../support/server'

type ErrorJson = { error: { code: string; message: string } }
type Answer = Awaited<ReturnType<TestServer['request']>>
const hasChinese = (s: string) => /[\u4e00-\u9fa5]/.test(s)

/** 四方继保工会 (under 石景山, S0101's union) has the 28 demo members M0003, M0008, … M0138. */
const sifang = Array.from({ length: 28 }, (_, i) => `M${String(3 + 5 * i).padStart(4, '0')}`)

for (const engine of engines()) {
  describe(`cooling pack on ${engine}`, () => {
    let s: TestServer
    let sifangId: number
    let parkId: number
    let shijingshanId: number
    const tok: Record<string, string> = {}

    before(async () => {
      s = await startTestServer(engine)
      sifangId = await unionIdOf(s.database.db, '四方继保工会')
      parkId = await unionIdOf(s.database.db, '帕克国际工会')
      shijingshanId = await unionIdOf(s.database.db, '石景山区总工会')
      for (const no of ['M0001', 'M0003', 'M0004', 'M0008', 'M0013', 'M0063', 'S0001']) {
        tok[no] = await s.login(no)
      }
      for (const no of ['S0101', 'A0001']) tok[no] = await s.login(no)
    })
    after(async () => {
      try {
        if (s) assert.deepEqual(await brokenCoolingBooks(s.database.db), [])
      } finally {
        await s?.close()
      }
    })

    function expectError(res: Answer, status: number, code: string): string {
      assert.equal(res.statusCode, status, res.body)
      const { error } = res.json() as ErrorJson
      assert.equal(error.code, code, res.body)
      assert.ok(hasChinese(error.message), error.message)
      return error.message
    }

    async function createCampaign(
      fields: Partial<CreateCampaignBody> = {},
      who = 'S0101',
      unionId = sifangId,
    ): Promise<StaffCoolingCampaign> {
      const res = await s.request({
        method: 'POST',
        url: '/api/v1/staff/cooling/campaigns',
        token: tok[who],
        body: campaignBody(unionId, fields),
      })
      assert.equal(res.statusCode, 201, res.body)
      return (res.json() as { campaign: StaffCoolingCampaign }).campaign
    }

    const itemId = (c: StaffCoolingCampaign, name: string) => {
      const found = c.items.find((i) => i.name === name)
      if (!found) throw new Error(`no item ${name}`)
      return found.id
    }

    function putPack(
      who: string,
      campaignId: number,
      items: Array<[number, number]>,
      delivery: unknown = { kind: 'pickup' },
    ) {
      return s.request({
        method: 'PUT',
        url: `/api/v1/cooling/campaigns/${campaignId}/pack`,
        token: tok[who],
        body: { items: items.map(([id, quantity]) => ({ itemId: id, quantity })), delivery },
      })
    }

    async function getPack(who: string, campaignId: number): Promise<CoolingPack | null> {
      const res = await s.request({
        method: 'GET',
        url: `/api/v1/cooling/campaigns/${campaignId}/pack`,
        token: tok[who],
      })
      assert.equal(res.statusCode, 200, res.body)
      return (res.json() as { pack: CoolingPack | null }).pack
    }

    async function stockLeft(id: number): Promise<number> {
      const row = await first<{ stock_left: number }>(
        s.database.db,
        sql`SELECT stock_left FROM cooling_items WHERE id = ${id}`,
      )
      if (!row) throw new Error(`no item ${id}`)
      return row.stock_left
    }

    const staff = (method: 'GET' | 'POST', url: string, who = 'S0101') =>
      s.request({ method, url: `/api/v1/staff/cooling${url}`, token: tok[who] })

    async function sifangSites(): Promise<CoolingSite[]> {
      const res = await s.request({ method: 'GET', url: '/api/v1/cooling/sites', token: tok.M0003 })
      assert.equal(res.statusCode, 200, res.body)
      return (res.json() as { sites: CoolingSite[] }).sites
    }

    test('the demo seed: one campaign per enterprise, quota 100, default pack, work sites', async () => {
      const res = await s.request({
        method: 'GET',
        url: '/api/v1/cooling/campaigns',
        token: tok.M0003,
      })
      assert.equal(res.statusCode, 200)
      const [campaign, ...others] = (res.json() as { campaigns: CoolingCampaign[] }).campaigns
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
      const parkCampaigns = (park.json() as { campaigns: CoolingCampaign[] }).campaigns
      assert.deepEqual(
        parkCampaigns.map((c) => [c.unionName, c.maxItems]),
        [['帕克国际工会', null]],
      )
      const xiaomi = await s.request({
        method: 'GET',
        url: '/api/v1/cooling/campaigns',
        token: tok.M0001,
      })
      assert.deepEqual((xiaomi.json() as { campaigns: CoolingCampaign[] }).campaigns, [])

      const names = (await sifangSites()).map((site) => site.name).join(' ')
      for (const word of ['若羌', '高原', '海外']) assert.ok(names.includes(word), names)
      const parkSites = await s.request({
        method: 'GET',
        url: '/api/v1/cooling/sites',
        token: tok.M0004,
      })
      const parkNames = (parkSites.json() as { sites: CoolingSite[] }).sites.map((x) => x.name)
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
      const pack = (first.json() as { pack: CoolingPack }).pack
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
      const repeated = (again.json() as { pack: CoolingPack }).pack
      assert.deepEqual({ ...repeated, updatedAt: pack.updatedAt }, pack)
      assert.deepEqual([await stockLeft(bottle), await stockLeft(water)], [4, 98])

      // A change releases what was dropped and reserves what is new, in one step.
      const changed = await putPack('M0003', c.id, [
        [cap, 1],
        [water, 4],
      ])
      assert.equal(changed.statusCode, 200, changed.body)
      const after = (changed.json() as { pack: CoolingPack }).pack
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
      const mine = (list.json() as { campaigns: CoolingCampaign[] }).campaigns.find(
        (x) => x.id === c.id,
      )
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

    test('delivery: recipient and a mainland mobile; only a site of the own enterprise', async () => {
      const c = await createCampaign()
      const tea = itemId(c, '凉茶')
      const [site] = await sifangSites()
      const toSite = (fields: Record<string, unknown>) =>
        putPack('M0003', c.id, [[tea, 1]], {
          kind: 'site',
          siteId: site.id,
          recipient: '张伟',
          phone: '13912345678',
          ...fields,
        })
      for (const phone of [
        '12912345678',
        '1391234567',
        '139123456789',
        '0109876543',
        '139-1234-5678',
      ]) {
        const msg = expectError(await toSite({ phone }), 400, 'BAD_REQUEST')
        assert.match(msg, /手机号码/)
      }
      assert.match(expectError(await toSite({ recipient: '' }), 400, 'BAD_REQUEST'), /收件人/)
      assert.match(
        expectError(await toSite({ recipient: '名'.repeat(21) }), 400, 'BAD_REQUEST'),
        /20 个字/,
      )
      expectError(await toSite({ phone: undefined }), 400, 'BAD_REQUEST')

      // A site of 帕克国际 (another enterprise), and one that does not exist.
      const parkSites = await s.request({
        method: 'GET',
        url: '/api/v1/cooling/sites',
        token: tok.M0004,
      })
      const [parkSite] = (parkSites.json() as { sites: CoolingSite[] }).sites
      expectError(await toSite({ siteId: parkSite.id }), 422, 'UNKNOWN_SITE')
      expectError(await toSite({ siteId: 999_999 }), 422, 'UNKNOWN_SITE')
      assert.equal(await getPack('M0003', c.id), null)

      const ok = await toSite({ recipient: ' 张伟 ', phone: ' 13912345678 ', siteId: site.id })
      assert.equal(ok.statusCode, 200, ok.body)
      const { delivery } = (ok.json() as { pack: CoolingPack }).pack
      assert.deepEqual(delivery.kind === 'site' ? [delivery.recipient, delivery.phone] : [], [
        '张伟',
        '13912345678',
      ])
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
      const before = (mine.json() as { pack: CoolingPack }).pack

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
      const campaigns = (list.json() as { campaigns: CoolingCampaign[] }).campaigns
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
        (
          await s.request({ method: 'GET', url: '/api/v1/cooling/campaigns', token: tok.M0003 })
        ).json() as { campaigns: CoolingCampaign[] }
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
      assert.ok((await closeDueCampaigns(s.database.db, new Date())) >= 1)
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
      const site = (siteRes.json() as { site: CoolingSite }).site
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
      const packId = (mine.json() as { pack: CoolingPack }).pack.id
      const other = await putPack('M0008', c.id, [
        [cap, 1],
        [water, 1],
      ])
      const otherId = (other.json() as { pack: CoolingPack }).pack.id

      // Not closed yet: nothing can be shipped.
      expectError(await staff('POST', `/packs/${packId}/shipped`), 409, 'CAMPAIGN_NOT_CLOSED')

      // 26 members without a pack; 凉茶 20 left, 2 per default pack → 10 covered, 16 not.
      const closed = await staff('POST', `/campaigns/${c.id}/close`)
      assert.equal(closed.statusCode, 200, closed.body)
      const result = closed.json() as CloseCampaignResponse
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
      const second = again.json() as CloseCampaignResponse
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
        (
          await s.request({ method: 'GET', url: '/api/v1/cooling/campaigns', token: tok.M0013 })
        ).json() as { campaigns: CoolingCampaign[] }
      ).campaigns.find((x) => x.id === c.id)
      assert.deepEqual([view?.status, view?.closedAt], ['closed', result.closedAt])

      // Shipping, forward only; only the owner confirms receipt.
      const shipped = await staff('POST', `/packs/${packId}/shipped`)
      assert.equal(shipped.statusCode, 200, shipped.body)
      const sp = (shipped.json() as { pack: CoolingPack }).pack
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
      const received = (got.json() as { pack: CoolingPack }).pack
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
      const progress = (list.json() as { campaigns: StaffCoolingCampaign[] }).campaigns.find(
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

    test('packing list: JSON per site and pickup; CSV with BOM, quoting and a file name', async () => {
      const c = await createCampaign()
      const [bottle, tea, water] = ['喷雾运动水壶', '凉茶', '矿泉水'].map((n) => itemId(c, n))
      const siteRes = await s.request({
        method: 'POST',
        url: '/api/v1/staff/cooling/sites',
        token: tok.S0101,
        body: { unionId: sifangId, name: `装箱营地${c.id}`, address: '新疆若羌县, 5 号营地' },
      })
      const site = (siteRes.json() as { site: CoolingSite }).site
      await putPack(
        'M0003',
        c.id,
        [
          [bottle, 1],
          [water, 2],
        ],
        { kind: 'site', siteId: site.id, recipient: '王"小,明', phone: '13812345678' },
      )
      await putPack('M0008', c.id, [[tea, 3]])
      assert.equal((await staff('POST', `/campaigns/${c.id}/close`)).statusCode, 200)

      const json = await staff('GET', `/campaigns/${c.id}/packing-list`)
      assert.equal(json.statusCode, 200, json.body)
      assert.match(String(json.headers['content-type']), /application\/json/)
      const list = json.json() as PackingListResponse
      assert.equal(list.campaign.final, true)
      assert.equal(list.packCount, 28)
      assert.deepEqual(
        list.groups.map((g) => [g.kind, g.name, g.packs.length]),
        [
          ['site', site.name, 1],
          ['pickup', '到工会自取', 27],
        ],
      )
      const [siteGroup, pickupGroup] = list.groups
      assert.equal(siteGroup.address, '新疆若羌县, 5 号营地')
      const m3 = await first<{ name: string }>(
        s.database.db,
        sql`SELECT name FROM members WHERE member_no = 'M0003'`,
      )
      assert.deepEqual(siteGroup.packs[0], {
        packId: siteGroup.packs[0].packId,
        memberId: await memberIdOf(s.database.db, 'M0003'),
        memberNo: 'M0003',
        memberName: m3?.name,
        unionName: '四方继保工会',
        recipient: '王"小,明',
        phone: '13812345678',
        status: 'submitted',
        isDefault: false,
        items: [
          { itemId: bottle, name: '喷雾运动水壶', quantity: 1 },
          { itemId: water, name: '矿泉水', quantity: 2 },
        ],
      })
      // Pickup: M0008's 3 凉茶 and 26 default packs of 2 凉茶 + 2 矿泉水.
      assert.deepEqual(
        pickupGroup.totals.map((t) => [t.name, t.quantity]),
        [
          ['凉茶', 55],
          ['矿泉水', 52],
        ],
      )
      assert.equal(pickupGroup.packs.filter((p) => p.isDefault).length, 26)
      assert.deepEqual(
        list.totals.map((t) => [t.name, t.quantity]),
        [
          ['喷雾运动水壶', 1],
          ['凉茶', 55],
          ['矿泉水', 54],
        ],
      )

      const csv = await s.request({
        method: 'GET',
        url: `/api/v1/staff/cooling/campaigns/${c.id}/packing-list`,
        token: tok.S0101,
        headers: { accept: 'text/csv' },
      })
      assert.equal(csv.statusCode, 200, csv.body)
      assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
      assert.match(
        String(csv.headers['content-disposition']),
        new RegExp(
          `^attachment; filename="cooling-packing-list-${c.id}\\.csv"; filename\\*=UTF-8''`,
        ),
      )
      assert.match(
        decodeURIComponent(String(csv.headers['content-disposition']).split("''")[1]),
        /测试清凉活动-装箱单\.csv$/,
      )
      assert.equal(csv.rawPayload.subarray(0, 3).toString('hex'), 'efbbbf')
      const lines = csv.rawPayload.subarray(3).toString('utf8').split('\r\n')
      assert.equal(
        lines[0],
        '收货地点,地址,会员号,会员姓名,所在工会,收件人,联系电话,状态,默认礼包,喷雾运动水壶,防晒棒球帽,凉茶,矿泉水,件数',
      )
      assert.equal(
        lines[1],
        `${site.name},"新疆若羌县, 5 号营地",M0003,${m3?.name},四方继保工会,"王""小,明",13812345678,待发货,否,1,,,2,3`,
      )
      assert.equal(lines[2], `${site.name},"新疆若羌县, 5 号营地",,小计（1 份）,,,,,,1,,,2,3`)
      assert.ok(lines.some((l) => l.startsWith('到工会自取,,M0008,') && l.endsWith(',否,,,3,,3')))
      assert.equal(lines.at(-2), '合计,,,共 28 份,,,,,,1,,55,54,110')
      assert.equal(lines.at(-1), '')
      assert.equal(lines.length, 1 + 1 + 1 + 27 + 1 + 1 + 1)

      const viaQuery = await staff('GET', `/campaigns/${c.id}/packing-list?format=csv`)
      assert.equal(viaQuery.body, csv.body)
    })

    test('staff act only on campaigns of their subtree; members on none (403)', async () => {
      const park = await createCampaign({}, 'S0001', parkId)
      const tea = itemId(park, '凉茶')
      const res = await putPack('M0004', park.id, [[tea, 1]])
      assert.equal(res.statusCode, 200, res.body)
      const parkPack = (res.json() as { pack: CoolingPack }).pack.id

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

      const mineOnly = (
        (await staff('GET', '/campaigns')).json() as { campaigns: StaffCoolingCampaign[] }
      ).campaigns
      assert.ok(mineOnly.length > 0)
      assert.ok(mineOnly.every((x) => ['四方继保工会', '石景山区总工会'].includes(x.unionName)))
      const all = (
        (await staff('GET', '/campaigns', 'S0001')).json() as { campaigns: StaffCoolingCampaign[] }
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
      assert.equal((closed.json() as CloseCampaignResponse).defaultPacksCreated, 27)
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
      const bad: Array<[Partial<CreateCampaignBody>, number, string, RegExp]> = [
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
      const campaign = (created.json() as { campaign: StaffCoolingCampaign }).campaign
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

    test('sites: staff add them to enterprise unions of their subtree; members see their own', async () => {
      const post = (body: unknown, who = 'S0101') =>
        s.request({ method: 'POST', url: '/api/v1/staff/cooling/sites', token: tok[who], body })
      const created = await post({
        unionId: sifangId,
        name: '和田光伏项目部',
        address: '新疆维吾尔自治区和田地区 洛浦县 光伏项目部',
      })
      assert.equal(created.statusCode, 201, created.body)
      const site = (created.json() as { site: CoolingSite }).site
      assert.deepEqual([site.unionId, site.unionName], [sifangId, '四方继保工会'])
      assert.ok((await sifangSites()).some((x) => x.id === site.id))

      expectError(
        await post({ unionId: sifangId, name: '和田光伏项目部', address: '别处' }),
        409,
        'SITE_EXISTS',
      )
      expectError(
        await post({ unionId: shijingshanId, name: '区工会', address: '石景山' }),
        422,
        'NOT_ENTERPRISE_UNION',
      )
      expectError(await post({ unionId: parkId, name: '越权', address: '朝阳' }), 403, 'FORBIDDEN')
      expectError(
        await post({ unionId: 999_999, name: '无', address: '无' }),
        404,
        'UNION_NOT_FOUND',
      )
      expectError(await post({ unionId: sifangId, name: ' ', address: '无' }), 400, 'BAD_REQUEST')
      expectError(
        await post({ unionId: sifangId, name: '会员', address: '无' }, 'M0003'),
        403,
        'FORBIDDEN',
      )

      const mine = (await staff('GET', '/sites')).json() as { sites: CoolingSite[] }
      assert.ok(mine.sites.length > 0)
      assert.ok(mine.sites.every((x) => x.unionName === '四方继保工会'))
      const filtered = (await staff('GET', `/sites?unionId=${parkId}`, 'S0001')).json() as {
        sites: CoolingSite[]
      }
      assert.ok(filtered.sites.length > 0)
      assert.ok(filtered.sites.every((x) => x.unionName === '帕克国际工会'))
    })
  })
}
