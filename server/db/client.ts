import fs from 'node:fs'
import path from 'node:path'
import { PGlite, type Transaction } from '@electric-sql/pglite'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import pg from 'pg'
import * as schema from './schema'
import { acquireDataDirLock } from './lock'
import { pglitePrepared, type Statement } from './pglite-prepared'

export type { Statement }

/** The one database type both engines fit: PGlite and node-postgres behind drizzle. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>
/** A transaction or the database itself: what every query helper takes. */
export type Tx = Db | Parameters<Parameters<Db['transaction']>[0]>[0]

/**
 * Plain SQL with `$1…` parameters, without the query builder: for the hot paths (redemption,
 * sign-in), where each round trip counts. With `name`, PostgreSQL prepares the statement once per
 * connection; PGlite ignores it.
 */
export interface SqlClient {
  query<T = Record<string, unknown>>(text: string, params?: unknown[], name?: string): Promise<T[]>
  /**
   * Several named statements, run one after the other (each sees what the ones before it did),
   * in one round trip where the engine allows (PGlite); the rows of each.
   */
  batch(statements: Statement[]): Promise<unknown[][]>
}

export interface RawSql extends SqlClient {
  /** Runs `fn` in one transaction on one connection: COMMIT when it resolves, ROLLBACK when not. */
  transaction<T>(fn: (client: SqlClient) => Promise<T>): Promise<T>
}

export interface Database {
  db: Db
  engine: 'pglite' | 'postgres'
  /** The same database without drizzle (see `SqlClient`). */
  raw: RawSql
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
    const queryOn =
      (client: pg.Pool | pg.PoolClient) =>
      async <T>(text: string, params: unknown[] = [], name?: string): Promise<T[]> => {
        const result = await client.query(
          name ? { name, text, values: params } : { text, values: params },
        )
        return result.rows as T[]
      }
    const runOn = (client: pg.Pool | pg.PoolClient): SqlClient => {
      const query = queryOn(client)
      return {
        query,
        async batch(statements) {
          const out: unknown[][] = []
          for (const s of statements) out.push(await query(s.text, s.params, s.name))
          return out
        },
      }
    }
    return {
      db,
      engine: 'postgres',
      raw: {
        ...runOn(pool),
        async transaction(fn) {
          const client = await pool.connect()
          let broken: Error | undefined
          try {
            await client.query('BEGIN')
            const result = await fn(runOn(client))
            await client.query('COMMIT')
            return result
          } catch (err) {
            await client.query('ROLLBACK').catch((e: Error) => (broken = e))
            throw err
          } finally {
            client.release(broken)
          }
        },
      },
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
  const prepared = pglitePrepared(client)
  const on = (executor: PGlite | Transaction): SqlClient => ({
    query: <T>(text: string, params: unknown[] = [], name?: string) =>
      prepared.run<T>(executor, text, params, name),
    batch: (statements) => prepared.batch(executor, statements),
  })
  return {
    db,
    engine: 'pglite',
    raw: {
      // PGlite runs one query at a time and serialises transactions (drizzle's too) itself.
      ...on(client),
      transaction: (fn) => client.transaction((tx) => fn(on(tx))),
    },
    withConnection: (fn) => fn(db),
    async close() {
      await client.close()
      release()
    },
  }
}
