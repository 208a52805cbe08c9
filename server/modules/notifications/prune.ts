import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client'
import { first } from '../../db/sql'

/** Settled subscribe messages (sent, skipped, failed) are kept this many days, then removed. */
export const OUTBOX_KEEP_DAYS = 30
/** Messages removed per transaction of the `prune-outbox` job. */
export const OUTBOX_PRUNE_BATCH = 1000

/** The first instant whose settled messages are kept at `now`. */
export function outboxCutoff(now: Date): Date {
  return new Date(now.getTime() - OUTBOX_KEEP_DAYS * 86_400_000)
}

/**
 * Settled messages (sent, skipped, failed: never pending or sending) due and, if sent, sent
 * before `cutoff` — through the partial index `outbox_settled_idx`.
 */
const prunable = (cutoff: Date) =>
  sql`status IN ('sent', 'skipped', 'failed') AND due_at < ${cutoff}
      AND (sent_at IS NULL OR sent_at < ${cutoff})`

/** How many messages a prune at `cutoff` would remove (the job's `total`). */
export async function countPrunable(tx: Tx, cutoff: Date): Promise<number> {
  const row = await first<{ n: number }>(
    tx,
    sql`SELECT count(*)::int AS n FROM outbox WHERE ${prunable(cutoff)}`,
  )
  return row?.n ?? 0
}

/**
 * Removes up to `limit` settled messages older than `cutoff`, oldest first, in the caller's
 * transaction. Rows another transaction holds are passed over (`SKIP LOCKED`); a message still
 * pending or being sent is never touched. Fewer than `limit` removed: none are left.
 */
export async function pruneOutboxBatch(
  tx: Tx,
  cutoff: Date,
  limit: number = OUTBOX_PRUNE_BATCH,
): Promise<number> {
  const row = await first<{ n: number }>(
    tx,
    sql`WITH doomed AS (
          SELECT id FROM outbox WHERE ${prunable(cutoff)}
          ORDER BY due_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED
        ), gone AS (
          DELETE FROM outbox o USING doomed WHERE o.id = doomed.id RETURNING o.id
        )
        SELECT count(*)::int AS n FROM gone`,
  )
  return row?.n ?? 0
}
