import { auditLog } from '../db/schema'
import type { Tx } from '../db/client'

/** Records a staff or admin write in the same transaction as the write itself. */
export async function audit(
  tx: Tx,
  entry: {
    actorId: number
    action: string
    entity: string
    entityId?: string | number
    before?: unknown
    after?: unknown
  },
): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: entry.actorId,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId === undefined ? null : String(entry.entityId),
    before: entry.before ?? null,
    after: entry.after ?? null,
  })
}
