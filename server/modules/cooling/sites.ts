import { eq, inArray, sql, type SQL } from 'drizzle-orm'
import type { CoolingSite, CreateSiteBody, PatchSiteBody } from '../../../src/contract/cooling'
import type { Tx } from '../../db/client'
import { coolingSites, unions } from '../../db/schema'
import { first } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'
import type { Caller } from '../../lib/route'
import { assertMayActOnUnion } from '../org/union-tree'

function siteRows(tx: Tx, where: SQL | undefined): Promise<CoolingSite[]> {
  return tx
    .select({
      id: coolingSites.id,
      unionId: coolingSites.unionId,
      unionName: unions.name,
      name: coolingSites.name,
      address: coolingSites.address,
      recipient: coolingSites.recipient,
    })
    .from(coolingSites)
    .innerJoin(unions, eq(unions.id, coolingSites.unionId))
    .where(where)
    .orderBy(coolingSites.unionId, coolingSites.id)
}

/** The sites of one enterprise union (what its members may ship to). */
export function unionSites(tx: Tx, unionId: number): Promise<CoolingSite[]> {
  return siteRows(tx, eq(coolingSites.unionId, unionId))
}

/** The sites of the given unions (a staff member's scope). */
export function sitesOf(tx: Tx, unionIds: number[]): Promise<CoolingSite[]> {
  return siteRows(tx, inArray(coolingSites.unionId, unionIds))
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
  if (!union) throw new AppError('UNION_NOT_FOUND')
  await assertMayActOnUnion(tx, caller, body.unionId)
  if (union.has_children) throw new AppError('NOT_ENTERPRISE_UNION')
  const [created] = await tx
    .insert(coolingSites)
    .values({
      unionId: body.unionId,
      name: body.name,
      address: body.address,
      recipient: body.recipient ?? null,
    })
    .onConflictDoNothing({ target: [coolingSites.unionId, coolingSites.name] })
    .returning({ id: coolingSites.id })
  if (!created) throw new AppError('SITE_EXISTS', `本工会已有名为「${body.name}」的收货地点`)
  await audit(tx, {
    actorId: caller.id,
    action: 'cooling_site.create',
    entity: 'cooling_site',
    entityId: created.id,
    after: body,
  })
  const [site] = await siteRows(tx, eq(coolingSites.id, created.id))
  return site
}

/**
 * Renames a site or changes its address or contact (audit-logged with both). Packs already shipped
 * keep the name, address and contact they were shipped to (`shipped_site_name`, `shipped_address`,
 * `shipped_recipient`, set by `shipPacks`); the ones still waiting go to the new address.
 */
export async function patchSite(
  tx: Tx,
  caller: Caller,
  siteId: number,
  body: PatchSiteBody,
): Promise<CoolingSite> {
  const before = await first<{
    union_id: number
    name: string
    address: string
    recipient: string | null
  }>(
    tx,
    sql`SELECT union_id, name, address, recipient FROM cooling_sites
        WHERE id = ${siteId} FOR UPDATE`,
  )
  if (!before) throw new AppError('NOT_FOUND', '收货地点不存在')
  await assertMayActOnUnion(tx, caller, before.union_id)
  const name = body.name ?? before.name
  const address = body.address ?? before.address
  const recipient = body.recipient === undefined ? before.recipient : body.recipient
  if (name !== before.name) {
    const clash = await first<{ id: number }>(
      tx,
      sql`SELECT id FROM cooling_sites
          WHERE union_id = ${before.union_id} AND name = ${name} AND id <> ${siteId}`,
    )
    if (clash) throw new AppError('SITE_EXISTS', `本工会已有名为「${name}」的收货地点`)
  }
  await tx.execute(
    sql`UPDATE cooling_sites SET name = ${name}, address = ${address}, recipient = ${recipient}
        WHERE id = ${siteId}`,
  )
  await audit(tx, {
    actorId: caller.id,
    action: 'cooling_site.update',
    entity: 'cooling_site',
    entityId: siteId,
    before: { name: before.name, address: before.address, recipient: before.recipient },
    after: { name, address, recipient },
  })
  const [site] = await siteRows(tx, eq(coolingSites.id, siteId))
  return site
}
