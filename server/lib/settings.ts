import crypto from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Tx } from '../db/client'
import { first } from '../db/sql'

/**
 * The token secret: `SESSION_SECRET` when given, else one generated on first start and kept in the
 * database (so every server process on one database shares it, and restarts keep sessions).
 */
export async function loadSessionSecret(db: Tx, fromEnv?: string): Promise<string> {
  if (fromEnv) return fromEnv
  const fresh = crypto.randomBytes(32).toString('base64url')
  await db.execute(
    sql`INSERT INTO app_settings (key, value) VALUES ('session_secret', ${fresh}) ON CONFLICT (key) DO NOTHING`,
  )
  const row = await first<{ value: string }>(
    db,
    sql`SELECT value FROM app_settings WHERE key = 'session_secret'`,
  )
  if (!row) throw new Error('session secret missing')
  return row.value
}
