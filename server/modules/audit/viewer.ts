import { sql } from 'drizzle-orm'
import { auditPageSize, type AuditEntry, type AuditResponse } from '../../../src/contract/audit'
import type { Tx } from '../../db/client'
import { rows } from '../../db/sql'
import { shanghaiDayBounds } from '../../lib/time'
import type { Caller } from '../../lib/route'
import { subtreeOf } from '../org/union-tree'

/**
 * Keys whose values never leave the audit log through the viewer: contact numbers, codes and
 * secrets, and the confidential texts of legal consultations.
 */
const HIDDEN = /phone|mobile|description|notes|code|secret|token|password|openid|unionid|idcard/i
const DETAILS_MAX = 300

function text(v: unknown): string {
  if (v === null || v === undefined) return '空'
  if (typeof v === 'string') return v.length > 60 ? `${v.slice(0, 60)}…` : v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (Array.isArray(v))
    return `[${v.slice(0, 10).map(text).join(', ')}${v.length > 10 ? ', …' : ''}]`
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .filter(([k]) => !HIDDEN.test(k))
      .map(([k, x]) => `${k}: ${text(x)}`)
      .join(', ')}}`
  }
  return ''
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * What an entry changed, as `字段: 值` (or `字段: 旧 → 新`) without hidden keys — so a read of a
 * confidential description shows which bookings were read and through which route, never the text.
 */
export function auditDetails(before: unknown, after: unknown): string | null {
  const parts: string[] = []
  if (isRecord(after)) {
    for (const [k, v] of Object.entries(after)) {
      if (HIDDEN.test(k)) continue
      const was = isRecord(before) && k in before ? before[k] : undefined
      parts.push(
        was !== undefined && text(was) !== text(v)
          ? `${k}: ${text(was)} → ${text(v)}`
          : `${k}: ${text(v)}`,
      )
    }
  } else if (after !== null && after !== undefined) {
    parts.push(text(after))
  } else if (isRecord(before)) {
    for (const [k, v] of Object.entries(before)) if (!HIDDEN.test(k)) parts.push(`${k}: ${text(v)}`)
  }
  if (parts.length === 0) return null
  const joined = parts.join('；')
  return joined.length > DETAILS_MAX ? `${joined.slice(0, DETAILS_MAX)}…` : joined
}

interface Filter {
  actorId?: number
  action?: string
  from?: string
  to?: string
  cursor?: number
}

/**
 * A page of the audit log, newest first: for staff the entries whose actor belongs to their
 * union's subtree (a staff member by the union they are staff of, anyone else by their union),
 * for admins every entry. `cursor` is the id the next page starts below.
 */
export async function auditPage(tx: Tx, caller: Caller, q: Filter): Promise<AuditResponse> {
  const admin = caller.roles.includes('admin')
  if (!admin && caller.staffUnionId === null) return { entries: [], next: null }
  const conditions = [sql`TRUE`]
  if (!admin) {
    conditions.push(
      sql`coalesce(m.staff_union_id, m.union_id) IN (SELECT id FROM ${subtreeOf(caller.staffUnionId ?? 0)} down)`,
    )
  }
  if (q.actorId !== undefined) conditions.push(sql`a.actor_id = ${q.actorId}`)
  if (q.action !== undefined) {
    // The contract allows only [a-z_.]: `_` is LIKE's one wildcard to escape.
    conditions.push(sql`a.action LIKE ${`${q.action.replace(/_/g, '\\_')}%`}`)
  }
  if (q.from !== undefined) conditions.push(sql`a.created_at >= ${shanghaiDayBounds(q.from)[0]}`)
  if (q.to !== undefined) conditions.push(sql`a.created_at < ${shanghaiDayBounds(q.to)[1]}`)
  if (q.cursor !== undefined) conditions.push(sql`a.id < ${q.cursor}`)
  const list = await rows<{
    id: number
    created_at: Date | string
    actor_id: number
    member_no: string
    name: string
    union_name: string
    action: string
    entity: string
    entity_id: string | null
    before: unknown
    after: unknown
  }>(
    tx,
    sql`SELECT a.id, a.created_at, a.actor_id, m.member_no, m.name, u.name AS union_name,
               a.action, a.entity, a.entity_id, a.before, a.after
        FROM audit_log a
        JOIN members m ON m.id = a.actor_id
        JOIN unions u ON u.id = coalesce(m.staff_union_id, m.union_id)
        WHERE ${sql.join(conditions, sql` AND `)}
        ORDER BY a.id DESC
        LIMIT ${auditPageSize + 1}`,
  )
  const page = list.slice(0, auditPageSize)
  const entries: AuditEntry[] = page.map((r) => ({
    id: r.id,
    at: new Date(r.created_at).toISOString(),
    actorId: r.actor_id,
    actorNo: r.member_no,
    actorName: r.name,
    actorUnionName: r.union_name,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    details: auditDetails(r.before, r.after),
  }))
  const next = list.length > auditPageSize ? String(page[page.length - 1].id) : null
  return { entries, next }
}
