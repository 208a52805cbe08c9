// The periodic jobs an admin runs now (issue #11): `POST /admin/jobs/:name/run` answers 202 with
// a durable job, followed at `GET /admin/jobs/:id` to exact counts; one runs at a time; a job
// interrupted by a restart resumes without counting or expiring twice; two servers on one
// PostgreSQL do the work once.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { periodicJobResponse, type PeriodicJob } from '../../src/contract/admin'
import { routes } from '../../src/contract/routes'
import type { Db } from '../../server/db/client'
import { first, pgErrorCode } from '../../server/db/sql'
import { ORDER_BATCH } from '../../server/modules/admin/periodic'
import { EXPIRY_BATCH } from '../../server/modules/points/expiry'
import { startServer, type Started } from '../../server/start'
import { api, expectError, newKey, parseAnswer } from '../support/api'
import { brokenInvariants, unionIdOf } from '../support/points'
import { engines, startTestServer, type Engine, type TestServer } from '../support/server'

const DAY = 86_400_000

/**
 * `n` members numbered `<prefix>000001…`, each with 19 points: a lot of 10 that never expires
 * and two lots already due (5, then 4 points, the 4 due a day earlier), with their ledger.
 */
async function fillDue(db: Db, prefix: string, n: number): Promise<void> {
  const union = await unionIdOf(db, '四方继保工会')
  const due = new Date(Date.now() - DAY)
  await db.execute(
    sql`INSERT INTO members (member_no, name, union_id, roles)
        SELECT ${prefix} || lpad(k::text, 6, '0'), '到期' || k, ${union}, ARRAY['member']::text[]
        FROM generate_series(1, ${n}) AS k`,
  )
  await db.execute(
    sql`INSERT INTO point_accounts (member_id, balance)
        SELECT id, 19 FROM members WHERE member_no LIKE ${prefix + '%'}`,
  )
  for (const [amount, expires, balanceAfter] of [
    [10, null, 10],
    [5, due, 15],
    [4, new Date(due.getTime() - DAY), 19],
  ] as const) {
    await db.execute(
      sql`WITH lots AS (
            INSERT INTO point_lots (member_id, kind, amount, remaining, expires_at, reason)
            SELECT id, 'grant', ${amount}, ${amount}, ${expires}::timestamptz, '到期测试'
            FROM members WHERE member_no LIKE ${prefix + '%'} ORDER BY id
            RETURNING id, member_id
          )
          INSERT INTO point_ledger (member_id, kind, amount, balance_after, reason, lot_id)
          SELECT member_id, 'grant', ${amount}, ${balanceAfter}, '到期测试', id FROM lots`,
    )
  }
}

interface Expected {
  orders: number
  members: number
  points: number
}

/** What an expiry now must do, read in SQL before it runs. */
async function expectedExpiry(db: Db): Promise<Expected> {
  const now = new Date()
  const orders = await first<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM mall_orders
        WHERE status = 'awaiting_pickup' AND pickup_deadline <= ${now}`,
  )
  const lots = await first<{ members: number; points: number }>(
    db,
    sql`SELECT count(DISTINCT member_id)::int AS members, coalesce(sum(remaining), 0)::int AS points
        FROM point_lots WHERE expired_at IS NULL AND expires_at <= ${now}`,
  )
  return { orders: orders!.n, members: lots!.members, points: lots!.points }
}

/** What the ledger and the lots say the expiry did (each lot expires once, by the index too). */
async function expiredInSql(db: Db, since: Date) {
  return first<{ entries: number; points: number; twice: number }>(
    db,
    sql`SELECT (SELECT count(*)::int FROM point_ledger
                WHERE kind = 'expire' AND created_at >= ${since}) AS entries,
               (SELECT coalesce(-sum(amount), 0)::int FROM point_ledger
                WHERE kind = 'expire' AND created_at >= ${since}) AS points,
               (SELECT count(*)::int FROM (SELECT lot_id FROM point_ledger WHERE kind = 'expire'
                                           GROUP BY lot_id HAVING count(*) > 1) d) AS twice`,
  )
}

type Inject = TestServer['request']

const run = (request: Inject, token: string, name: string) =>
  request({ method: 'POST', url: `/api/v1/admin/jobs/${name}/run`, token })

const view = (request: Inject, token: string, id: number) =>
  request({ method: 'GET', url: `/api/v1/admin/jobs/${id}`, token })

/** Polls the job until it is over. */
async function until(request: Inject, token: string, id: number): Promise<PeriodicJob> {
  for (let i = 0; i < 2000; i++) {
    const res = await view(request, token, id)
    assert.equal(res.statusCode, 200, res.body)
    const job = periodicJobResponse.parse(res.json()).job
    if (job.status !== 'running') return job
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`job ${id} did not end`)
}

/** An order of M0001 (an item of 12 points) whose pickup deadline has passed. */
async function overdueOrder(s: TestServer, tok: Record<string, string>): Promise<number> {
  const client = api(s)
  const { item } = await client.call(routes.createItem, {
    token: tok.S0001,
    body: {
      unionId: await unionIdOf(s.database.db, '中关村科学城工会'),
      name: `到期测试商品${newKey().slice(-6)}`,
      pointsCost: 12,
      stock: 10,
      perMemberLimit: 5,
    },
  })
  const res = await client.callRaw(routes.createOrder, {
    token: tok.M0001,
    body: { itemId: item.id, quantity: 1 },
    idempotencyKey: newKey(),
  })
  const { order } = parseAnswer(routes.createOrder, res)
  await s.database.db.execute(
    sql`UPDATE mall_orders SET pickup_deadline = now() - interval '1 hour' WHERE id = ${order.id}`,
  )
  return order.id
}

for (const engine of engines()) {
  describe(`periodic jobs on ${engine}`, () => {
    let s: TestServer
    const tok: Record<string, string> = {}

    before(async () => {
      s = await startTestServer(engine)
      for (const no of ['A0001', 'S0001', 'M0001']) tok[no] = await s.login(no)
    })
    after(async () => {
      try {
        if (s) assert.deepEqual(await brokenInvariants(s.database.db), [])
      } finally {
        await s?.close()
      }
    })

    test('the admin runs expiry: 202, then batches to exact counts; a run after finds nothing', async () => {
      await fillDue(s.database.db, 'E', EXPIRY_BATCH + 300)
      const order = await overdueOrder(s, tok)
      const expected = await expectedExpiry(s.database.db)
      assert.ok(expected.members > EXPIRY_BATCH, 'several member batches')
      assert.equal(expected.orders, 1)
      const since = new Date(Date.now() - 1000)

      const res = await run(s.request, tok.A0001!, 'expiry')
      assert.equal(res.statusCode, 202, res.body)
      const started = periodicJobResponse.parse(res.json()).job
      assert.equal(started.name, 'expiry')
      assert.equal(started.status, 'running')
      assert.equal(started.finishedAt, null)

      const done = await until(s.request, tok.A0001!, started.id)
      assert.equal(done.status, 'done', done.error ?? '')
      assert.deepEqual(done.counts, {
        ordersExpired: 1,
        membersWithExpiredPoints: expected.members,
        pointsExpired: expected.points,
      })
      assert.equal(done.total, expected.orders + expected.members)
      assert.equal(done.done, done.total)
      assert.ok(done.finishedAt && done.finishedAt >= done.createdAt)
      const status = await first<{ status: string }>(
        s.database.db,
        sql`SELECT status FROM mall_orders WHERE id = ${order}`,
      )
      assert.equal(status?.status, 'expired')
      const books = await expiredInSql(s.database.db, since)
      assert.equal(books?.twice, 0)
      // Each E member lost two lots (9 points); the order's points came back (not expired).
      assert.equal(books?.points, expected.points)
      assert.deepEqual(await brokenInvariants(s.database.db), [])

      const again = await run(s.request, tok.A0001!, 'expiry')
      assert.equal(again.statusCode, 202, again.body)
      const second = periodicJobResponse.parse(again.json()).job
      assert.notEqual(second.id, started.id)
      const over = await until(s.request, tok.A0001!, second.id)
      assert.deepEqual(
        [over.status, over.counts],
        ['done', { ordersExpired: 0, membersWithExpiredPoints: 0, pointsExpired: 0 }],
      )
    })

    test('while a job of that name runs, a second start answers that job; the index holds it', async () => {
      const at = new Date().toISOString()
      // As if another process were running it (its lease is alive).
      const held = (await first<{ id: number }>(
        s.database.db,
        sql`INSERT INTO jobs (name, payload, locked_by, locked_until, attempts)
            VALUES ('close-due-campaigns', ${JSON.stringify({ at })}::jsonb, 'other-process',
                    now() + interval '1 hour', 1)
            RETURNING id`,
      ))!.id
      const res = await run(s.request, tok.A0001!, 'close-due-campaigns')
      assert.equal(res.statusCode, 202, res.body)
      const job = periodicJobResponse.parse(res.json()).job
      assert.deepEqual([job.id, job.name, job.status], [held, 'close-due-campaigns', 'running'])
      await assert.rejects(
        s.database.db.execute(
          sql`INSERT INTO jobs (name, payload) VALUES ('close-due-campaigns', '{}'::jsonb)`,
        ),
        (err: unknown) => pgErrorCode(err) === '23505',
      )
      // Still held: nothing ran it here.
      const still = periodicJobResponse.parse((await view(s.request, tok.A0001!, held)).json()).job
      assert.deepEqual([still.status, still.done], ['running', 0])

      // The other process died: its lease runs out and the next start runs that same job.
      await s.database.db.execute(
        sql`UPDATE jobs SET locked_until = now() - interval '1 second' WHERE id = ${held}`,
      )
      const resumed = await run(s.request, tok.A0001!, 'close-due-campaigns')
      assert.equal(periodicJobResponse.parse(resumed.json()).job.id, held)
      const done = await until(s.request, tok.A0001!, held)
      assert.equal(done.status, 'done', done.error ?? '')
      assert.equal(done.name, 'close-due-campaigns')
      assert.equal(done.total, done.done)
    })

    test('only admins run and follow periodic jobs; unknown names and other jobs are refused', async () => {
      for (const who of ['S0001', 'M0001']) {
        expectError(await run(s.request, tok[who]!, 'expiry'), 403, 'FORBIDDEN')
      }
      const any = await first<{ id: number }>(
        s.database.db,
        sql`SELECT id FROM jobs WHERE name = 'expiry' ORDER BY id LIMIT 1`,
      )
      expectError(await view(s.request, tok.S0001!, any!.id), 403, 'FORBIDDEN')
      const anon = await s.request({ method: 'POST', url: '/api/v1/admin/jobs/expiry/run' })
      assert.equal(anon.statusCode, 401)
      const unknown = await run(s.request, tok.A0001!, 'vacuum')
      assert.equal(unknown.statusCode, 400, unknown.body)
      assert.match(unknown.body, /expiry、close-due-campaigns 或 prune-outbox/)
      // A job of another kind (a grant) is not a periodic job.
      const other = await first<{ id: number }>(
        s.database.db,
        sql`INSERT INTO jobs (name, status, finished_at) VALUES ('points-grant', 'done', now())
            RETURNING id`,
      )
      expectError(await view(s.request, tok.A0001!, other!.id), 404, 'NOT_FOUND')
      expectError(await view(s.request, tok.A0001!, 999_999), 404, 'NOT_FOUND')
    })
  })

  describe(`an expiry job interrupted by a restart on ${engine}`, () => {
    let s: TestServer
    let restarted: Started | undefined
    let dataDir: string | undefined

    before(async () => {
      if (engine === 'pglite') dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'admin-jobs-'))
      s = await startTestServer(engine, dataDir ? { dataDir } : {})
    })
    after(async () => {
      await restarted?.close()
      // The first process's app is closed already; this drops the PostgreSQL database.
      await s?.close().catch(() => undefined)
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
    })

    test('closing the server pauses the job after a batch; the restart resumes it to exact counts', async () => {
      const admin = await s.login('A0001')
      await fillDue(s.database.db, 'R', 3 * EXPIRY_BATCH + 100)
      const expected = await expectedExpiry(s.database.db)
      const since = new Date(Date.now() - 1000)
      const res = await run(s.request, admin, 'expiry')
      assert.equal(res.statusCode, 202, res.body)
      const id = periodicJobResponse.parse(res.json()).job.id

      // The server closes at once: the job stops after the batch in hand (the count, the orders,
      // the first members) and is handed back.
      await s.app.close()
      const paused = await first<{
        status: string
        done: number
        total: number
        locked_by: string | null
      }>(s.database.db, sql`SELECT status, done, total, locked_by FROM jobs WHERE id = ${id}`)
      assert.ok(paused)
      assert.deepEqual(
        [paused.status, paused.total, paused.locked_by],
        ['running', expected.orders + expected.members, null],
      )
      assert.ok(paused.done >= EXPIRY_BATCH && paused.done < paused.total, `done ${paused.done}`)
      if (engine === 'pglite') await s.database.close()
      // The restarted server's tick finds the job running and resumes it.
      const reopened = await startServer(s.config, { seed: false })
      restarted = reopened
      const request: Inject = (opts) =>
        reopened.app.inject({
          method: opts.method,
          url: opts.url,
          headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
        })
      const done = await until(request, admin, id)
      assert.equal(done.status, 'done', done.error ?? '')
      assert.deepEqual(done.counts, {
        ordersExpired: expected.orders,
        membersWithExpiredPoints: expected.members,
        pointsExpired: expected.points,
      })
      assert.equal(done.done, expected.orders + expected.members)
      const attempts = await first<{ attempts: number }>(
        reopened.database.db,
        sql`SELECT attempts FROM jobs WHERE id = ${id}`,
      )
      // Claimed by the first process, then by the restarted one.
      assert.equal(attempts?.attempts, 2)
      const books = await expiredInSql(reopened.database.db, since)
      assert.equal(books?.twice, 0)
      assert.equal(books?.points, expected.points)
      assert.equal(books?.entries, 2 * (3 * EXPIRY_BATCH + 100))
      assert.deepEqual(await brokenInvariants(reopened.database.db), [])
      // The ledger is the one a run without interruption writes: every due lot, in spending
      // order, each with the balance after it (19 → 15 → 10).
      const ledger = await first<{ wrong: number }>(
        reopened.database.db,
        sql`SELECT count(*)::int AS wrong FROM point_ledger e JOIN point_lots l ON l.id = e.lot_id
            WHERE e.kind = 'expire' AND e.created_at >= ${since}
              AND NOT ((l.amount = 4 AND e.balance_after = 15) OR (l.amount = 5 AND e.balance_after = 10))`,
      )
      assert.equal(ledger?.wrong, 0)
    })
  })
}

describe(
  'two servers on one PostgreSQL',
  { skip: !process.env.DATABASE_URL && 'DATABASE_URL is not set' },
  () => {
    let s: TestServer
    const others: Started[] = []

    before(async () => {
      s = await startTestServer('postgres' satisfies Engine)
    })
    after(async () => {
      for (const o of others) await o.close()
      await s?.close()
    })

    test('servers starting at once start one round; admins kicking at once do the work once', async () => {
      others.push(...(await Promise.all([1, 2].map(() => startServer(s.config, { seed: false })))))
      const rounds = await first<{ expiry: number; close: number }>(
        s.database.db,
        sql`SELECT count(*) FILTER (WHERE name = 'expiry')::int AS expiry,
                 count(*) FILTER (WHERE name = 'close-due-campaigns')::int AS close
          FROM jobs WHERE created_by IS NULL`,
      )
      assert.deepEqual(rounds, { expiry: 1, close: 1 })

      const admin = await s.login('A0001')
      await fillDue(s.database.db, 'P', 2 * EXPIRY_BATCH + ORDER_BATCH)
      const expected = await expectedExpiry(s.database.db)
      const since = new Date(Date.now() - 1000)
      const requests: Inject[] = others.map(
        (o) => (opts) =>
          o.app.inject({
            method: opts.method,
            url: opts.url,
            headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
          }),
      )
      const answers = await Promise.all(requests.map((r) => run(r, admin, 'expiry')))
      const ids = answers.map((a) => {
        assert.equal(a.statusCode, 202, a.body)
        return periodicJobResponse.parse(a.json()).job.id
      })
      assert.equal(ids[0], ids[1], 'one job for both')
      // Both queues look for work at once too.
      await Promise.all(others.map((o) => o.app.jobQueue.kick()))
      const done = await until(requests[1]!, admin, ids[0]!)
      assert.equal(done.status, 'done', done.error ?? '')
      assert.deepEqual(done.counts, {
        ordersExpired: expected.orders,
        membersWithExpiredPoints: expected.members,
        pointsExpired: expected.points,
      })
      const books = await expiredInSql(s.database.db, since)
      assert.equal(books?.twice, 0)
      assert.equal(books?.entries, 2 * (2 * EXPIRY_BATCH + ORDER_BATCH))
      assert.deepEqual(await brokenInvariants(s.database.db), [])
    })
  },
)
