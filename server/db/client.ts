import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import pg from 'pg'
import * as schema from './schema'
import { acquireDataDirLock } from './lock'

/** The one database type both engines fit: PGlite and node-postgres behind drizzle. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>
/** A transaction or the database itself: what every query helper takes. */
export type Tx = Db | Parameters<Parameters<Db['transaction']>[0]>[0]

export interface Database {
  db: Db
  engine: 'pglite' | 'postgres'
  /** Runs `fn` on one dedicated connection (for session-level advisory locks). */
  withConnection<T>(fn: (db: Db) => Promise<T>): Promise<T>
  close(): Promise<void>
}

export interface DatabaseOptions {
  /** `postgres://…`: use PostgreSQL. Otherwise PGlite under `dataDir`. */
  databaseUrl?: string
  /** PGlite data directory; `memory://` for a throwaway in-memory database. */
  dataDir: string
  /** PostgreSQL pool size. */
  poolSize?: number
}

// int8 and numeric come back as strings from pg; ours are small counts and sums.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v))

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 })
    pool.on('error', () => {
      /* an idle client lost its connection; the pool replaces it */
    })
    const db = drizzlePg(pool, { schema }) as unknown as Db
    return {
      db,
      engine: 'postgres',
      async withConnection(fn) {
        const client = await pool.connect()
        try {
          return await fn(drizzlePg(client, { schema }) as unknown as Db)
        } finally {
          client.release()
        }
      },
      close: () => pool.end(),
    }
  }

  const inMemory = opts.dataDir === 'memory://'
  let release = () => {}
  let dir: string | undefined
  if (!inMemory) {
    fs.mkdirSync(opts.dataDir, { recursive: true })
    release = acquireDataDirLock(opts.dataDir)
    dir = path.join(opts.dataDir, 'pgdata')
  }
  let client: PGlite
  try {
    client = await PGlite.create(dir)
  } catch (err) {
    release()
    throw err
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db
  return {
    db,
    engine: 'pglite',
    withConnection: (fn) => fn(db),
    async close() {
      await client.close()
      release()
    },
  }
}
