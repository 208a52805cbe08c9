/**
 * The self-check of the race suites' harness (`*-races.test.ts`), on PostgreSQL only: PGlite runs
 * one transaction at a time and would hide any race (TOOLCHAIN.md).
 *
 * The race suites fire a crowd of requests at once over real HTTP (`listen` in
 * tests/support/http.ts) and trust two things: (a) the requests really are in flight together,
 * which each suite checks per scenario with `peak()`; (b) that overlap inside a server with a pool
 * of 10 connections is enough to break a design that is not guarded. This file proves (b) once: the
 * same crowd through the same client, against a route doing an unguarded read-then-write of a
 * stock on a scratch table (over a pool of the server's size), oversells. No sleeps: the race comes
 * from the load alone.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import Fastify, { type FastifyInstance } from 'fastify'
import { sql } from 'drizzle-orm'
import { openDatabase, type Database } from '../../server/db/client'
import { first } from '../../server/db/sql'
import { listen, type HttpClient } from '../support/http'
import { freshPostgresDatabase } from '../support/server'

const onPostgres = Boolean(process.env.DATABASE_URL)
/** The crowd of the race suites: 200 requests at once, one socket each. */
const CROWD = 200
const STOCK = 50

describe('race harness on PostgreSQL', { skip: !onPostgres && 'DATABASE_URL is not set' }, () => {
  let drop = async () => {}
  let database: Database
  let app: FastifyInstance
  let api: HttpClient

  before(async () => {
    const fresh = await freshPostgresDatabase()
    drop = fresh.drop
    // The server's pool size: at most 10 transactions side by side, as in the race suites.
    database = await openDatabase({ dataDir: 'unused', databaseUrl: fresh.url, poolSize: 10 })
    await database.db.execute(
      sql`CREATE TABLE scratch_stock (id int PRIMARY KEY, stock_left int NOT NULL)`,
    )
    await database.db.execute(sql`CREATE TABLE scratch_sold (id serial PRIMARY KEY)`)
    app = Fastify({ logger: false })
    // The naive design: read the stock, check it in the handler, write back read − 1.
    app.post('/naive', async (_req, reply) => {
      const sold = await database.db.transaction(async (tx) => {
        const row = await first<{ left: number }>(
          tx,
          sql`SELECT stock_left AS left FROM scratch_stock WHERE id = 1`,
        )
        const left = row?.left ?? 0
        if (left < 1) return false
        await tx.execute(sql`UPDATE scratch_stock SET stock_left = ${left - 1} WHERE id = 1`)
        await tx.execute(sql`INSERT INTO scratch_sold DEFAULT VALUES`)
        return true
      })
      return reply.code(sold ? 201 : 409).send({ sold })
    })
    api = await listen(app, 512)
  })
  after(async () => {
    api?.close()
    await app?.close()
    await database?.close()
    await drop()
  })

  test(`${CROWD} requests at once overlap, and an unguarded read-then-write oversells ${STOCK}`, async (t) => {
    await database.db.execute(sql`INSERT INTO scratch_stock VALUES (1, ${STOCK})`)
    api.resetPeak()
    const answers = await Promise.all(
      Array.from({ length: CROWD }, () => api.request({ method: 'POST', path: '/naive' })),
    )
    const overlap = api.peak()
    const sold = answers.filter((a) => a.status === 201).length
    const refused = answers.filter((a) => a.status === 409).length
    t.diagnostic(`${CROWD} requests: peak ${overlap} in flight, ${sold} sold of ${STOCK}`)

    // (a) The crowd is a crowd: most of it was inside the server at the same time.
    assert.ok(overlap >= 50, `only ${overlap} requests in flight at once`)
    // (b) The load breaks the unguarded design: more sold than there was stock.
    assert.equal(sold + refused, CROWD)
    const books = await first<{ rows: number }>(
      database.db,
      sql`SELECT count(*)::int AS rows FROM scratch_sold`,
    )
    assert.equal(books?.rows, sold)
    assert.ok(sold > STOCK, `the unguarded design sold ${sold} of ${STOCK}: the crowd did not race`)
  })
})
