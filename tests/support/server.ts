import crypto from 'node:crypto'
import pg from 'pg'
import { sql } from 'drizzle-orm'
import type { LightMyRequestResponse } from 'fastify'
import type { Db } from '../../server/db/client'
import { rows } from '../../server/db/sql'
import { subtreeOf } from '../../server/modules/org/union-tree'
import { createSessions } from '../../server/lib/sessions'
import { configFromEnv, type AppConfig } from '../../server/config'
import { startServer, type Started } from '../../server/start'

export type Engine = 'pglite' | 'postgres'

/** The data key of test servers (a fixed one, so a test can restart on the same database). */
export const TEST_DATA_KEY = Buffer.alloc(32, 7).toString('base64')

/** PGlite always; PostgreSQL too when `DATABASE_URL` is set. */
export function engines(): Engine[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']
}

/** A fresh, empty PostgreSQL database on the `DATABASE_URL` server, dropped by `drop()`. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL
  if (!base) throw new Error('DATABASE_URL is not set')
  const name = `t_${process.pid}_${crypto.randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(base)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}

export interface TestServer extends Started {
  engine: Engine
  config: AppConfig
  /** Signs in through dev-login and returns the bearer token. */
  login(memberNo: string): Promise<string>
  /** A JSON request through `inject`. */
  request(opts: {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
    url: string
    token?: string
    body?: unknown
    headers?: Record<string, string>
  }): Promise<LightMyRequestResponse>
}

/** Starts the real server on a clean database of the given engine, with the demo data. */
export async function startTestServer(
  engine: Engine,
  overrides: Partial<AppConfig> = {},
  opts: { seed?: boolean } = {},
): Promise<TestServer> {
  let drop = async () => {}
  let databaseUrl: string | undefined
  if (engine === 'postgres') {
    const fresh = await freshPostgresDatabase()
    databaseUrl = fresh.url
    drop = fresh.drop
  }
  const config: AppConfig = {
    ...configFromEnv({}),
    dataDir: 'memory://',
    databaseUrl,
    devLogin: true,
    dataKey: TEST_DATA_KEY,
    logger: false,
    loginRateLimit: 10_000,
    staticDir: '/nonexistent',
    ...overrides,
  }
  const started = await startServer(config, opts)
  const tokens = new Map<string, string>()
  const server: TestServer = {
    ...started,
    engine,
    config,
    async close() {
      await started.close()
      await drop()
    },
    async login(memberNo) {
      const cached = tokens.get(memberNo)
      if (cached) return cached
      const res = await started.app.inject({
        method: 'POST',
        url: '/api/v1/auth/dev-login',
        payload: { memberNo },
      })
      if (res.statusCode !== 200)
        throw new Error(`login ${memberNo}: ${res.statusCode} ${res.body}`)
      const token = (res.json() as { token: string }).token
      tokens.set(memberNo, token)
      return token
    },
    request({ method, url, token, body, headers }) {
      return started.app.inject({
        method,
        url,
        payload: body === undefined ? undefined : (body as object),
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
      })
    },
  }
  return server
}

/** A valid bearer token (one hour) for every member, by member number, without signing in. */
export async function tokensForAllMembers(db: Db): Promise<Map<string, string>> {
  const list = await rows<{ id: number; member_no: string }>(
    db,
    sql`SELECT id, member_no FROM members`,
  )
  const tokens = await createSessions(
    db,
    list.map((m) => m.id),
    'dev',
    3600,
  )
  return new Map(list.map((m, i) => [m.member_no, tokens[i]]))
}

/** Demo members (M…) of `unionId` and every union below it, by member number. */
export async function memberNosUnder(db: Db, unionId: number): Promise<string[]> {
  const list = await rows<{ member_no: string }>(
    db,
    sql`SELECT member_no FROM members
        WHERE member_no LIKE 'M%' AND union_id IN (SELECT id FROM ${subtreeOf(unionId)} down)
        ORDER BY member_no`,
  )
  return list.map((m) => m.member_no)
}
