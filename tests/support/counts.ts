import { sql } from 'drizzle-orm'
import type { Db } from '../../server/db/client'
import { rows } from '../../server/db/sql'

/**
 * The counts the database maintains (migration 0013) against a recount of the rows they count:
 * every union's members, `member`-role members and WeChat-bound members, every campaign's chosen,
 * default, shipped and received packs. A union or campaign with nothing counted may have no row
 * or a row of zeros. Each disagreement, named; none when the counts hold.
 */
export async function countMismatches(db: Db): Promise<string[]> {
  const unions = await rows<{ union_id: number; kept: string; counted: string }>(
    db,
    sql`WITH counted AS (
          SELECT union_id, count(*)::int AS members,
                 count(*) FILTER (WHERE 'member' = ANY(roles))::int AS role_members,
                 count(*) FILTER (WHERE wechat_openid IS NOT NULL)::int AS bound
          FROM members GROUP BY union_id)
        SELECT coalesce(k.union_id, c.union_id) AS union_id,
               concat_ws('/', coalesce(k.members, 0), coalesce(k.role_members, 0),
                         coalesce(k.bound, 0)) AS kept,
               concat_ws('/', coalesce(c.members, 0), coalesce(c.role_members, 0),
                         coalesce(c.bound, 0)) AS counted
        FROM union_member_counts k FULL JOIN counted c ON c.union_id = k.union_id
        WHERE coalesce(k.members, 0) <> coalesce(c.members, 0)
           OR coalesce(k.role_members, 0) <> coalesce(c.role_members, 0)
           OR coalesce(k.bound, 0) <> coalesce(c.bound, 0)`,
  )
  const campaigns = await rows<{ campaign_id: number; kept: string; counted: string }>(
    db,
    sql`WITH kept AS (
          SELECT campaign_id, sum(chosen)::int AS chosen, sum(defaulted)::int AS defaulted,
                 sum(shipped)::int AS shipped, sum(received)::int AS received
          FROM cooling_pack_counts GROUP BY campaign_id),
        counted AS (
          SELECT campaign_id, count(*) FILTER (WHERE NOT is_default)::int AS chosen,
                 count(*) FILTER (WHERE is_default)::int AS defaulted,
                 count(*) FILTER (WHERE status IN ('shipped', 'received'))::int AS shipped,
                 count(*) FILTER (WHERE status = 'received')::int AS received
          FROM cooling_packs GROUP BY campaign_id)
        SELECT coalesce(k.campaign_id, c.campaign_id) AS campaign_id,
               concat_ws('/', k.chosen, k.defaulted, k.shipped, k.received) AS kept,
               concat_ws('/', c.chosen, c.defaulted, c.shipped, c.received) AS counted
        FROM kept k FULL JOIN counted c ON c.campaign_id = k.campaign_id
        WHERE coalesce(k.chosen, 0) <> coalesce(c.chosen, 0)
           OR coalesce(k.defaulted, 0) <> coalesce(c.defaulted, 0)
           OR coalesce(k.shipped, 0) <> coalesce(c.shipped, 0)
           OR coalesce(k.received, 0) <> coalesce(c.received, 0)`,
  )
  return [
    ...unions.map((u) => `union ${u.union_id}: kept ${u.kept}, counted ${u.counted}`),
    ...campaigns.map((c) => `campaign ${c.campaign_id}: kept ${c.kept}, counted ${c.counted}`),
  ]
}
