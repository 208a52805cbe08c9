import { sql, type SQL } from 'drizzle-orm'
import type { CoolingSite, CreateSiteBody } from '../../../src/contract/cooling'
import type { Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'
import type { Caller } from '../../lib/route'
import { assertMayActOnUnion } from '../org/union-tree'

interface SiteRow {
  id: number
  union_id: number
  union_name: string
  name: string
  address: string
}

const view = (r: SiteRow): CoolingSite => ({
  id: r.id,
  unionId: r.union_id,
  unionName: r.union_name,
  name: r.name,
  address: r.address,
})

async function siteRows(tx: Tx, where: SQL): Promise<CoolingSite[]> {
  const list = await rows<SiteRow>(
    tx,
    sql`SELECT s.id, s.union_id, u.name AS union_name, s.name, s.address
        FROM cooling_sites s JOIN unions u ON u.id = s.union_id
        WHERE ${where} ORDER BY s.union_id, s.id`,
  )
  return list.map(view)
}

/** The sites of one enterprise union (what its members may ship to). */
export function unionSites(tx: Tx, unionId: number): Promise<CoolingSite[]> {
  return siteRows(tx, sql`s.union_id = ${unionId}`)
}

/** The sites of the given unions (a staff member's scope). */
export function sitesOf(tx: Tx, unionIds: number[]): Promise<CoolingSite[]> {
  return siteRows(tx, sql`s.union_id = ANY(${sql.param(unionIds)}::int[])`)
}

/**
 * Adds a site to an enterprise union — a union with no unions below it, where members belong —
 * in the staff member's subtree.
 */
export async function createSite(
  tx: Tx,
  caller: Caller,
  body: CreateSiteBody,
): Promise<CoolingSite> {
  const union = await first<{ id: number; has_children: boolean }>(
    tx,
    sql`SELECT id, EXISTS (SELECT 1 FROM unions c WHERE c.parent_id = u.id) AS has_children
        FROM unions u WHERE id = ${body.unionId}`,
  )
  if (!union) throw new AppError('UNION_NOT_FOUND', 404)
  await assertMayActOnUnion(tx, caller, body.unionId)
  if (union.has_children) throw new AppError('NOT_ENTERPRISE_UNION', 422)
  const created = await first<{ id: number }>(
    tx,
    sql`INSERT INTO cooling_sites (union_id, name, address)
        VALUES (${body.unionId}, ${body.name}, ${body.address})
        ON CONFLICT ON CONSTRAINT cooling_sites_union_name_unique DO NOTHING
        RETURNING id`,
  )
  if (!created) throw new AppError('SITE_EXISTS', 409, `本工会已有名为「${body.name}」的收货地点`)
  await audit(tx, {
    actorId: caller.id,
    action: 'cooling_site.create',
    entity: 'cooling_site',
    entityId: created.id,
    after: body,
  })
  const [site] = await siteRows(tx, sql`s.id = ${created.id}`)
  return site
}
