import assert from 'node:assert/strict'
import { after, before } from 'node:test'
import { sql } from 'drizzle-orm'
import type {
  CoolingPack,
  CoolingSite,
  CreateCampaignBody,
  StaffCoolingCampaign,
} from '../../src/contract/cooling'
import { routes } from '../../src/contract/routes'
import type { Db } from '../../server/db/client'
import { first, rows } from '../../server/db/sql'
import { api, type ApiClient } from './api'
import { unionIdOf } from './points'
import { startTestServer, type Engine, type TestServer } from './server'
import { countMismatches } from './counts'

/**
 * The cooling books, checked in SQL; returns every broken rule (empty when all hold): no item's
 * stock left is negative or above its stock; what an item lacks (stock − stock_left) is exactly
 * what the packs hold of it; no member has two packs of a campaign; no pack is empty; each pack's
 * quota used is what its lines cost.
 */
export async function brokenCoolingBooks(db: Db): Promise<string[]> {
  const checks: Array<[string, ReturnType<typeof sql>]> = [
    [
      'stock_left out of range',
      sql`SELECT id, stock, stock_left FROM cooling_items WHERE stock_left < 0 OR stock_left > stock`,
    ],
    [
      'stock − stock_left ≠ packed',
      sql`SELECT i.id, i.stock - i.stock_left AS reserved, coalesce(sum(pi.quantity), 0)::int AS packed
          FROM cooling_items i LEFT JOIN cooling_pack_items pi ON pi.item_id = i.id
          GROUP BY i.id HAVING i.stock - i.stock_left <> coalesce(sum(pi.quantity), 0)`,
    ],
    [
      'two packs for one member',
      sql`SELECT campaign_id, member_id FROM cooling_packs GROUP BY campaign_id, member_id
          HAVING count(*) > 1`,
    ],
    [
      'empty pack',
      sql`SELECT p.id FROM cooling_packs p
          WHERE NOT EXISTS (SELECT 1 FROM cooling_pack_items pi WHERE pi.pack_id = p.id)`,
    ],
    [
      'quota used ≠ lines',
      sql`SELECT p.id FROM cooling_packs p
          WHERE p.quota_used <> (SELECT coalesce(sum(pi.quantity * i.quota_cost), 0)
                                 FROM cooling_pack_items pi JOIN cooling_items i ON i.id = pi.item_id
                                 WHERE pi.pack_id = p.id)`,
    ],
    [
      'pack line of another campaign',
      sql`SELECT p.id FROM cooling_packs p JOIN cooling_pack_items pi ON pi.pack_id = p.id
          JOIN cooling_items i ON i.id = pi.item_id WHERE i.campaign_id <> p.campaign_id`,
    ],
  ]
  const broken: string[] = []
  for (const [name, query] of checks) {
    const found = await rows<Record<string, unknown>>(db, query)
    if (found.length > 0) broken.push(`${name}: ${JSON.stringify(found.slice(0, 5))}`)
  }
  for (const m of await countMismatches(db)) broken.push(`maintained count: ${m}`)
  return broken
}

/** A campaign body open now for a day: a bottle, a cap, tea and water; quota 100. */
export function campaignBody(
  unionId: number,
  fields: Partial<CreateCampaignBody> = {},
): CreateCampaignBody {
  return {
    unionId,
    title: '测试清凉活动',
    opensAt: new Date(Date.now() - 3600_000).toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    quota: 100,
    items: [
      { name: '喷雾运动水壶', quotaCost: 40, maxPerPack: 1, stock: 5 },
      { name: '防晒棒球帽', quotaCost: 30, maxPerPack: 1, stock: 50 },
      { name: '凉茶', quotaCost: 15, maxPerPack: 3, stock: 100 },
      { name: '矿泉水', quotaCost: 10, maxPerPack: 4, stock: 100 },
    ],
    defaultPack: [
      { itemIndex: 2, quantity: 2 },
      { itemIndex: 3, quantity: 2 },
    ],
    ...fields,
  }
}

/** 四方继保工会 (under 石景山, S0101's union) has the 28 demo members M0003, M0008, … M0138. */
export const sifang = Array.from({ length: 28 }, (_, i) => `M${String(3 + 5 * i).padStart(4, '0')}`)

/** The server of a cooling test file, its unions and tokens, and the helpers the files share. */
export interface CoolingFixture {
  s: TestServer
  client: ApiClient
  sifangId: number
  parkId: number
  shijingshanId: number
  tok: Record<string, string>
  createCampaign(
    fields?: Partial<CreateCampaignBody>,
    who?: string,
    unionId?: number,
  ): Promise<StaffCoolingCampaign>
  itemId(c: StaffCoolingCampaign, name: string): number
  putPack(
    who: string,
    campaignId: number,
    items: Array<[number, number]>,
    delivery?: unknown,
  ): ReturnType<TestServer['request']>
  getPack(who: string, campaignId: number): Promise<CoolingPack | null>
  stockLeft(id: number): Promise<number>
  staff(method: 'GET' | 'POST', url: string, who?: string): ReturnType<TestServer['request']>
  sifangSites(): Promise<CoolingSite[]>
}

/**
 * Starts a seeded server of `engine` before the tests of the calling `describe` and checks the
 * cooling books after them. The fields are set once the `before` hook has run.
 */
export function coolingFixture(engine: Engine): CoolingFixture {
  const tok: Record<string, string> = {}
  const f = {
    tok,
    async createCampaign(fields = {}, who = 'S0101', unionId = f.sifangId) {
      const { campaign } = await f.client.call(routes.createCoolingCampaign, {
        token: tok[who],
        body: campaignBody(unionId, fields),
      })
      return campaign
    },
    itemId(c, name) {
      const found = c.items.find((i) => i.name === name)
      if (!found) throw new Error(`no item ${name}`)
      return found.id
    },
    putPack(who, campaignId, items, delivery = { kind: 'pickup' }) {
      return f.client.callRaw(routes.saveCoolingPack, {
        params: { id: campaignId },
        token: tok[who],
        body: { items: items.map(([id, quantity]) => ({ itemId: id, quantity })), delivery },
      })
    },
    async getPack(who, campaignId) {
      const { pack } = await f.client.call(routes.coolingPack, {
        params: { id: campaignId },
        token: tok[who],
      })
      return pack
    },
    async stockLeft(id) {
      const row = await first<{ stock_left: number }>(
        f.s.database.db,
        sql`SELECT stock_left FROM cooling_items WHERE id = ${id}`,
      )
      if (!row) throw new Error(`no item ${id}`)
      return row.stock_left
    },
    staff(method, url, who = 'S0101') {
      return f.s.request({ method, url: `/api/v1/staff/cooling${url}`, token: tok[who] })
    },
    async sifangSites() {
      return (await f.client.call(routes.coolingSites, { token: tok.M0003 })).sites
    },
  } as CoolingFixture

  before(async () => {
    f.s = await startTestServer(engine)
    f.client = api(f.s)
    f.sifangId = await unionIdOf(f.s.database.db, '四方继保工会')
    f.parkId = await unionIdOf(f.s.database.db, '帕克国际工会')
    f.shijingshanId = await unionIdOf(f.s.database.db, '石景山区总工会')
    for (const no of ['M0001', 'M0003', 'M0004', 'M0008', 'M0013', 'M0063', 'S0001']) {
      tok[no] = await f.s.login(no)
    }
    for (const no of ['S0101', 'A0001']) tok[no] = await f.s.login(no)
  })
  after(async () => {
    try {
      if (f.s) assert.deepEqual(await brokenCoolingBooks(f.s.database.db), [])
    } finally {
      await f.s?.close()
    }
  })
  return f
}
