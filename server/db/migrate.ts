import path from 'node:path'
import { sql } from 'drizzle-orm'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import type { PgliteDatabase } from 'drizzle-orm/pglite'
import type { NodePgDatabase } from 'drizzle-orm/node-postgres'
import type { Database } from './client'

export const migrationsFolder = path.join(__dirname, 'migrations')

/** A fixed key for the session advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK = 72_810_001

/**
 * Applies the committed SQL migrations that have not run yet. Safe to run on every start and from
 * several processes at once (PostgreSQL: under an advisory lock).
 */
export async function runMigrations(database: Database): Promise<void> {
  if (database.engine === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder })
    return
  }
  await database.withConnection(async (db) => {
    await db.execute(sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`)
    try {
      await migratePg(db as unknown as NodePgDatabase, { migrationsFolder })
    } finally {
      await db.execute(sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`)
    }
  })
}
