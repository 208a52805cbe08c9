import { sql } from 'drizzle-orm'
import type { Tx } from '../../db/client'

/** The first key of the campaigns' advisory locks (the second is the campaign id). */
const CAMPAIGN_LOCK = 72_810_100

/**
 * Takes the campaign's transaction-level advisory lock: `shared` for a pack edit (edits run side
 * by side), exclusive for closing. Unlike a row lock, PostgreSQL queues these fairly: a waiting
 * close is not starved by a stream of new edits — those arriving after it wait and then see the
 * campaign closed. Always the first lock a cooling transaction takes.
 */
export async function lockCampaign(tx: Tx, campaignId: number, mode: 'shared' | 'exclusive') {
  await tx.execute(
    mode === 'shared'
      ? sql`SELECT pg_advisory_xact_lock_shared(${CAMPAIGN_LOCK}::int, ${campaignId}::int)`
      : sql`SELECT pg_advisory_xact_lock(${CAMPAIGN_LOCK}::int, ${campaignId}::int)`,
  )
}
