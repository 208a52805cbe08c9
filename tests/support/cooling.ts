import { sql } from 'drizzle-orm'
import type { CreateCampaignBody } from '../../src/contract/cooling'
import type { Db } from '../../server/db/client'
import { rows } from '../../server/db/sql'

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
