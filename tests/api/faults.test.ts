/**
 * Faults: server processes killed with SIGKILL in the middle of a burst of writes, and started
 * again. Real processes (`node --import tsx server/main.ts`) over real HTTP:
 *
 * - PostgreSQL: two processes on one database; a burst of redemptions, flowers and legal bookings
 *   spread over both; one is killed once a set number of writes were acknowledged, then started
 *   again on the same port. Then: every acknowledged write is in SQL, the books and the rules hold
 *   in SQL, every idempotency key replays its first answer (or, when its request never got one,
 *   one consistent answer — a write that committed, or a fresh one — and never two writes).
 *   Then a grant job is killed between two batches and finishes once, on another process.
 * - PGlite: one process on a data directory, the same burst, killed, started again on the same
 *   directory (the lock of a dead process does not block it): no acknowledged write is lost.
 *
 * Deterministic: the kill comes after a counted number of acknowledged answers, not after a time.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { LegalSlot, ServicePoint } from '../../src/contract/legal'
import { configFromEnv, type AppConfig } from '../../server/config'
import { openDatabase, type Database, type Db } from '../../server/db/client'
import { first, rows } from '../../server/db/sql'
import { shanghaiDate } from '../../server/modules/legal/slots'
import { GRANT_BATCH } from '../../server/modules/points/grants'
import { startServer } from '../../server/start'
import { brokenEventInvariants, eventTimesAt, openWindows, rootHosts } from '../support/events'
import { brokenInvariants, unionIdOf } from '../support/points'
import {
  freePort,
  httpClient,
  serverEnv,
  spawnServer,
  type RequestOptions,
  type ServerProcess,
} from '../support/processes'
import {
  freshPostgresDatabase,
  memberNosUnder,
  TEST_DATA_KEY,
  tokensForAllMembers,
} from '../support/server'

const onPostgres = Boolean(process.env.DATABASE_URL)
const DAY = 86_400_000
const description = '单位拖欠工资三个月，想咨询如何申请劳动仲裁。'

/** What the burst writes to, set up before the server processes start. */
interface World {
  tokens: Map<string, string>
  /** Items at 北京市总工会: one scarce (runs out in the burst), one plentiful; their first stock. */
  items: Array<{ id: number; stock: number }>
  eventId: number
  /** Checked-in attendees of the event, flower phase open. */
  attendees: Array<{ no: string; attendeeId: string }>
  slots: LegalSlot[]
  /** Beijing members by number: redeemers and bookers come from here. */
  beijing: string[]
  /** Bookings before the burst have ids up to this. */
  bookingsBefore: number
  /** Where the set-up's time went (diagnostics). */
  setupTimes: string
}

type Kind = 'order' | 'flower' | 'booking'

/** One write of the burst: who, what, with which idempotency key. */
interface Write {
  kind: Kind
  who: string
  req: RequestOptions
  /** For a flower: its recipient's attendee id. */
  to?: string
}

type Outcome = { status: number; body: string } | { error: string }

type Answered = { status: number; body: string }

/** Whether a write was acknowledged: answered with a 2xx. */
const ok = (o: Outcome | undefined): boolean =>
  o !== undefined && 'status' in o && o.status >= 200 && o.status < 300

/** A request through `inject` during set-up: fails the test unless it answers `status`. */
async function call(
  app: FastifyInstance,
  status: number,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  token: string | undefined,
  body?: unknown,
): Promise<unknown> {
  const res = await app.inject({
    method,
    url: `/api/v1${url}`,
    payload: body === undefined ? undefined : (body as object),
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(method === 'POST'
        ? { 'idempotency-key': `setup-${Math.random().toString(36).slice(2)}` }
        : {}),
    },
  })
  assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`)
  return res.json()
}

/**
 * Seeds the database in this process (the real server, then closed): points for Beijing's
 * members, two items, an event with 40 attendees in its flower phase, free online legal slots.
 */
async function prepareWorld(config: AppConfig): Promise<World> {
  const clock = stopwatch()
  const started = await startServer(config, { seed: true })
  clock.lap('migrate+seed')
  try {
    const { app } = started
    const db = started.database.db
    const tokens = await tokensForAllMembers(db)
    const tok = (no: string) => tokens.get(no)!
    const bj = await unionIdOf(db, '北京市总工会')
    const beijing = await memberNosUnder(db, bj)
    assert.ok(beijing.length >= 200, `${beijing.length} Beijing members`)
    await call(app, 201, 'POST', '/staff/points/grants', tok('A0001'), {
      amount: 100,
      reason: '故障演练',
      unionId: bj,
    })
    const items = await rows<{ id: number; stock: number }>(
      db,
      sql`INSERT INTO mall_items (union_id, name, points_cost, stock, per_member_limit)
          VALUES (${bj}, '故障演练·限量', 5, 60, 2), (${bj}, '故障演练·充足', 1, 100000, 3)
          RETURNING id, stock`,
    )
    clock.lap('tokens, grant, items')
    const { event } = (await call(app, 201, 'POST', '/staff/events', tok('S0001'), {
      title: '故障演练联谊',
      venue: '场地',
      capacity: 100,
      hostUnionIds: await rootHosts(db),
      ...openWindows(),
    })) as { event: { id: number } }
    const attendees: World['attendees'] = []
    for (const [i, no] of beijing.slice(0, 40).entries()) {
      const { registration } = (await call(
        app,
        201,
        'POST',
        `/events/${event.id}/signup`,
        tok(no),
        {
          profile: {
            nickname: `演练${i}`,
            gender: i % 2 ? 'female' : 'male',
            birthYear: 1995,
            intro: '',
          },
        },
      )) as { registration: { attendeeId: string } }
      attendees.push({ no, attendeeId: registration.attendeeId })
    }
    const ids = await rows<{ id: number; member_no: string }>(
      db,
      sql`SELECT id, member_no FROM members WHERE member_no = ANY(${sql.param(beijing.slice(0, 40))}::text[])`,
    )
    // The day of the mixer: check-in and flowers once it started.
    await call(
      app,
      200,
      'PATCH',
      `/staff/events/${event.id}`,
      tok('S0001'),
      eventTimesAt('started'),
    )
    for (const m of ids) {
      await call(app, 200, 'POST', `/staff/events/${event.id}/checkins`, tok('S0001'), {
        memberId: m.id,
      })
    }
    await call(app, 200, 'POST', `/staff/events/${event.id}/flower-phase`, tok('S0001'), {
      open: true,
    })
    clock.lap('event')
    const { servicePoints } = (await call(
      app,
      200,
      'GET',
      '/legal/service-points',
      tok(beijing[0]),
    )) as { servicePoints: ServicePoint[] }
    const online = servicePoints.filter((p) => p.kind === 'online').map((p) => p.id)
    const from = shanghaiDate(new Date())
    const to = shanghaiDate(new Date(Date.now() + 30 * DAY))
    // 31 days: one query per service point (without one, a query covers at most 14 days).
    const free: LegalSlot[] = []
    for (const point of online) {
      const { slots } = (await call(
        app,
        200,
        'GET',
        `/legal/slots?from=${from}&to=${to}&servicePointId=${point}`,
        tok(beijing[0]),
      )) as { slots: LegalSlot[] }
      free.push(...slots.filter((x) => x.available && Date.parse(x.startsAt) > Date.now() + DAY))
    }
    assert.ok(free.length >= 20, `${free.length} free online slots`)
    const before = await first<{ m: number | null }>(
      db,
      sql`SELECT max(id) AS m FROM legal_bookings`,
    )
    clock.lap('slots')
    return {
      setupTimes: String(clock),
      tokens,
      items,
      eventId: event.id,
      attendees,
      slots: free.slice(0, 40),
      beijing,
      bookingsBefore: before?.m ?? 0,
    }
  } finally {
    await started.close()
  }
}

/** A fixed shuffle (a small LCG), so every run sends the same mix in the same order. */
function shuffled<T>(list: T[], seed = 20_240_611): T[] {
  const out = [...list]
  let x = seed
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31
    const j = x % (i + 1)
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

/**
 * The burst, at `scale` 1: 240 redemptions (one item runs out), 160 flower attempts (40
 * attendees × 4: the fourth is refused) and 120 booking attempts (30 members, 4 tries each, over
 * the free slots: slots are taken and members reach their limit). Each its own idempotency key.
 */
function planBurst(w: World, tag: string, scale = 1): Write[] {
  const tok = (no: string) => w.tokens.get(no)!
  const writes: Write[] = []
  for (let i = 0; i < 240 * scale; i++) {
    const who = w.beijing[50 + (i % 120)]
    writes.push({
      kind: 'order',
      who,
      req: {
        method: 'POST',
        path: '/api/v1/mall/orders',
        token: tok(who),
        body: { itemId: w.items[i % 3 === 0 ? 0 : 1].id, quantity: 1 },
        headers: { 'idempotency-key': `${tag}-order-${i}` },
      },
    })
  }
  w.attendees.slice(0, Math.round(40 * scale)).forEach((a, s) => {
    for (let k = 1; k <= 4; k++) {
      const to = w.attendees[(s + k) % w.attendees.length].attendeeId
      writes.push({
        kind: 'flower',
        who: a.no,
        to,
        req: {
          method: 'POST',
          path: `/api/v1/events/${w.eventId}/flowers`,
          token: tok(a.no),
          body: { toAttendeeId: to },
          headers: { 'idempotency-key': `${tag}-flower-${s}-${k}` },
        },
      })
    }
  })
  for (let j = 0; j < 120 * scale; j++) {
    const who = w.beijing[170 + (j % 30)]
    writes.push({
      kind: 'booking',
      who,
      req: {
        method: 'POST',
        path: '/api/v1/legal/bookings',
        token: tok(who),
        body: {
          slotId: w.slots[j % w.slots.length].id,
          topicId: 2,
          phone: '13900139000',
          description,
        },
        headers: { 'idempotency-key': `${tag}-booking-${j}` },
      },
    })
  }
  return shuffled(writes)
}

type Port = ReturnType<typeof httpClient>

/**
 * Sends every write (24 at a time), write `i` to `ports[(i + shift) % ports.length]`; calls
 * `onAck` after each acknowledged (2xx) answer with the count so far. Answers by index.
 */
async function send(
  writes: Write[],
  ports: Port[],
  shift: number,
  onAck?: (acks: number) => void,
): Promise<Outcome[]> {
  const out: Outcome[] = new Array(writes.length)
  let next = 0
  let acks = 0
  const worker = async () => {
    for (let i = next++; i < writes.length; i = next++) {
      try {
        const a = await ports[(i + shift) % ports.length].request(writes[i].req)
        out[i] = { status: a.status, body: a.body }
        if (ok(out[i])) onAck?.(++acks)
      } catch (err) {
        out[i] = { error: (err as NodeJS.ErrnoException).code ?? String(err) }
      }
    }
  }
  await Promise.all(Array.from({ length: 24 }, worker))
  return out
}

/** Business refusals a write may meet in the burst (a 4xx with one of these codes). */
const refusals = new Set([
  'OUT_OF_STOCK',
  'LIMIT_EXCEEDED',
  'INSUFFICIENT_POINTS',
  'NO_FLOWERS_LEFT',
  'ALREADY_SENT',
  'SLOT_TAKEN',
  'TOO_MANY_BOOKINGS',
])

const errorCode = (o: { body: string }) =>
  (JSON.parse(o.body) as { error?: { code?: string } }).error?.code ?? '?'

/**
 * Replays every key and checks the answers: an acknowledged write replays its first answer
 * exactly; any other write answers a success or a business refusal, and a success replays
 * itself. Returns the final answer of each write (the first when acknowledged).
 */
async function replayAll(
  writes: Write[],
  firsts: Outcome[],
  ports: Port[],
): Promise<Array<{ status: number; body: string }>> {
  const again = await send(writes, ports, 1)
  const finals = writes.map((w, i) => {
    const a = again[i]
    assert.ok('status' in a, `${w.kind} ${w.req.headers!['idempotency-key']}: no answer on replay`)
    const was = firsts[i] as Answered
    if (ok(was)) {
      assert.equal(a.status, was.status, a.body)
      assert.deepEqual(JSON.parse(a.body), JSON.parse(was.body), 'the first answer again')
      return was
    }
    if (!ok(a)) {
      assert.ok(a.status >= 400 && a.status < 500, `${w.kind}: ${a.status} ${a.body}`)
      assert.ok(refusals.has(errorCode(a)), `${w.kind}: ${a.body}`)
    }
    return a
  })
  // Answers that were not acknowledged the first time: a success now is stored too.
  const unacked = writes.map((_, i) => i).filter((i) => !ok(firsts[i]) && ok(finals[i]))
  const third = await send(
    unacked.map((i) => writes[i]),
    ports,
    0,
  )
  unacked.forEach((i, k) => {
    const a = third[k]
    assert.ok(ok(a), `${writes[i].kind}: ${JSON.stringify(a)}`)
    assert.deepEqual(JSON.parse((a as Answered).body), JSON.parse(finals[i].body))
  })
  return finals
}

/** In SQL: every successful write is there, nothing else is, and every rule holds. */
async function checkInSql(
  db: Db,
  w: World,
  writes: Write[],
  firsts: Outcome[],
  finals: Array<{ status: number; body: string }>,
) {
  const success = (kind: Kind) =>
    writes.map((x, i) => ({ x, i })).filter(({ x, i }) => x.kind === kind && ok(finals[i]))
  const acked = (kind: Kind) => success(kind).filter(({ i }) => ok(firsts[i]))

  // Orders: one per successful key, the one it was told (id, pickup code).
  const orders = await rows<{ id: number; pickup_code: string; member_no: string }>(
    db,
    sql`SELECT o.id, o.pickup_code, m.member_no FROM mall_orders o JOIN members m ON m.id = o.member_id
        WHERE o.item_id = ANY(${sql.param(w.items.map((i) => i.id))}::int[])`,
  )
  const byId = new Map(orders.map((o) => [o.id, o]))
  const told = success('order').map(({ x, i }) => ({
    who: x.who,
    order: (JSON.parse(finals[i].body) as { order: { id: number; pickupCode: string } }).order,
  }))
  for (const t of told) {
    const row = byId.get(t.order.id)
    assert.ok(row, `order ${t.order.id} answered but not in SQL`)
    assert.deepEqual([row.pickup_code, row.member_no], [t.order.pickupCode, t.who])
  }
  assert.equal(new Set(told.map((t) => t.order.id)).size, told.length, 'one order per key')
  assert.equal(orders.length, told.length, 'no order without a key that answered it')

  // Flowers: exactly the successful sends.
  const flowers = await rows<{ sender: string; recipient: string }>(
    db,
    sql`SELECT m.member_no AS sender, t.public_id AS recipient FROM flowers f
        JOIN event_registrations s ON s.id = f.sender_id JOIN members m ON m.id = s.member_id
        JOIN event_registrations t ON t.id = f.recipient_id
        WHERE f.event_id = ${w.eventId}`,
  )
  const sent = success('flower').map(({ x }) => `${x.who}→${x.to}`)
  assert.deepEqual(flowers.map((f) => `${f.sender}→${f.recipient}`).sort(), [...sent].sort())

  // Bookings: one per successful key, the one it was told.
  const bookings = await rows<{ id: number; member_no: string; status: string }>(
    db,
    sql`SELECT b.id, m.member_no, b.status FROM legal_bookings b JOIN members m ON m.id = b.member_id
        WHERE b.id > ${w.bookingsBefore}`,
  )
  const booked = success('booking').map(({ x, i }) => ({
    who: x.who,
    id: (JSON.parse(finals[i].body) as { booking: { id: number } }).booking.id,
  }))
  const bookingById = new Map(bookings.map((b) => [b.id, b]))
  for (const b of booked) {
    assert.deepEqual(
      [bookingById.get(b.id)?.member_no, bookingById.get(b.id)?.status],
      [b.who, 'booked'],
    )
  }
  assert.equal(new Set(booked.map((b) => b.id)).size, booked.length, 'one booking per key')
  assert.equal(bookings.length, booked.length, 'no booking without a key that answered it')

  // The rules.
  assert.deepEqual(await brokenInvariants(db), [])
  assert.deepEqual(await brokenEventInvariants(db), [])
  for (const item of w.items) {
    const row = await first<{ stock: number; held: number }>(
      db,
      sql`SELECT i.stock, (SELECT coalesce(sum(quantity), 0)::int FROM mall_orders o
                           WHERE o.item_id = i.id AND o.status NOT IN ('cancelled', 'expired')) AS held
          FROM mall_items i WHERE i.id = ${item.id}`,
    )
    assert.ok(row && row.stock >= 0, `item ${item.id}: stock ${row?.stock}`)
    assert.equal(row.stock + row.held, item.stock, `item ${item.id}: stock + held = initial`)
  }
  const overbooked = await rows(
    db,
    sql`SELECT lawyer_id, starts_at FROM legal_bookings WHERE status <> 'cancelled'
        GROUP BY 1, 2 HAVING count(*) > 1`,
  )
  assert.deepEqual(overbooked, [], 'no slot booked twice')
  const tooMany = await rows(
    db,
    sql`SELECT member_id FROM legal_bookings WHERE status = 'booked' AND starts_at > now()
        GROUP BY 1 HAVING count(*) > 2`,
  )
  assert.deepEqual(tooMany, [], 'at most 2 upcoming bookings per member')
  const senders = await rows(db, sql`SELECT sender_id FROM flowers GROUP BY 1 HAVING count(*) > 3`)
  assert.deepEqual(senders, [], 'at most 3 flowers per sender')
  return { acked: ['order', 'flower', 'booking'].map((k) => acked(k as Kind).length) }
}

/** Milliseconds since the last call, labelled: where a test's time goes (diagnostics only). */
function stopwatch() {
  let t = Date.now()
  const laps: string[] = []
  return {
    lap(label: string) {
      const now = Date.now()
      laps.push(`${label} ${now - t} ms`)
      t = now
    },
    toString: () => laps.join(', '),
  }
}

/** A one-line summary of a burst's answers, for the test's diagnostics. */
function summary(out: Outcome[]): string {
  const counts = new Map<string, number>()
  for (const o of out) {
    const k = 'error' in o ? o.error : ok(o) ? String(o.status) : `${o.status} ${errorCode(o)}`
    counts.set(k, (counts.get(k) ?? 0) + 1)
  }
  return [...counts].map(([k, n]) => `${k}×${n}`).join(', ')
}

describe(
  'faults on PostgreSQL: two processes, one killed mid-burst',
  { skip: !onPostgres && 'DATABASE_URL is not set' },
  () => {
    let fresh: Awaited<ReturnType<typeof freshPostgresDatabase>>
    let database: Database
    let world: World
    const procs: ServerProcess[] = []
    let env: NodeJS.ProcessEnv
    const ports: number[] = []

    let clock = stopwatch()

    before(async () => {
      clock = stopwatch()
      fresh = await freshPostgresDatabase()
      world = await prepareWorld({
        ...configFromEnv({}),
        databaseUrl: fresh.url,
        devLogin: true,
        dataKey: TEST_DATA_KEY,
        logger: false,
        staticDir: '/nonexistent',
      })
      clock.lap('set-up')
      database = await openDatabase({ databaseUrl: fresh.url, dataDir: 'memory://', poolSize: 2 })
      ports.push(await freePort(), await freePort())
      // Each its own port; both start at once (migrations and seed under their advisory locks).
      // A grant to more than 500 members is a job (the job test's union has 1.5 batches).
      env = serverEnv(0, { DATABASE_URL: fresh.url, GRANT_JOB_THRESHOLD: '500' })
      await Promise.all([0, 1].map(spawnAt))
      clock.lap('two processes up')
    })
    /** Starts process `i` on its port (again, after a kill) and waits until it answers. */
    const spawnAt = (i: number) => {
      const p = spawnServer('server/main.ts', ports[i], { ...env, PORT: String(ports[i]) })
      procs[i] = p
      return p.ready()
    }
    after(async () => {
      for (const p of procs) {
        const { code, signal } = await p.stop('SIGTERM')
        assert.deepEqual({ code, signal }, { code: 0, signal: null }, p.output())
      }
      await database?.close()
      await fresh?.drop()
    })

    test('every acknowledged write survives a SIGKILL; books, rules and keys hold', async (t) => {
      const writes = planBurst(world, 'pg')
      const KILL_AFTER = 150
      const clients = ports.map((p) => httpClient(p))
      let killed: Promise<unknown> | undefined
      const firsts = await send(writes, clients, 0, (acks) => {
        if (acks !== KILL_AFTER) return
        const victim = procs[0]
        victim.child.kill('SIGKILL')
        killed = victim.exited.then(() => spawnAt(0))
      })
      assert.ok(killed, `the kill came (${KILL_AFTER} acknowledged)`)
      clock.lap('burst')
      await killed
      clock.lap('restart')
      t.diagnostic(`burst: ${summary(firsts)}`)
      assert.ok(
        firsts.every((o) => 'error' in o || o.status < 500),
        'no 5xx: ' + summary(firsts),
      )
      assert.ok(
        firsts.some((o) => 'error' in o),
        'some requests met the dead process (the kill was mid-burst)',
      )
      const fresh2 = ports.map((p) => httpClient(p))
      const finals = await replayAll(writes, firsts, fresh2)
      clock.lap('replays')
      const { acked } = await checkInSql(database.db, world, writes, firsts, finals)
      clock.lap('SQL checks')
      t.diagnostic(`acknowledged orders/flowers/bookings: ${acked.join('/')}`)
      t.diagnostic(`set-up: ${world.setupTimes}; ${String(clock)}`)
      for (const c of [...clients, ...fresh2]) c.close()
    })

    test('a grant job killed between two batches finishes once on the other process', async (t) => {
      const db = database.db
      const union = await unionIdOf(db, '四方继保工会')
      // Half a batch more members than one batch under one union: the job runs in two batches.
      await db.execute(
        sql`INSERT INTO members (member_no, name, union_id)
          SELECT 'J' || lpad(g::text, 6, '0'), '任务会员' || g, ${union}
          FROM generate_series(1, ${GRANT_BATCH + GRANT_BATCH / 2}) g`,
      )
      const reached = (
        await rows<{ id: number }>(
          db,
          sql`SELECT id FROM members WHERE union_id = ${union} ORDER BY id`,
        )
      ).map((m) => m.id)
      assert.ok(reached.length > GRANT_BATCH && reached.length < 2 * GRANT_BATCH)
      // Hold a member of the second batch: the job commits its first batch and waits in the second.
      const blocker = reached[GRANT_BATCH + 10]
      await db.execute(
        sql`INSERT INTO point_accounts (member_id, balance) VALUES (${blocker}, 0) ON CONFLICT DO NOTHING`,
      )
      const lock = await openDatabase({ databaseUrl: fresh.url, dataDir: 'memory://', poolSize: 1 })
      let release!: () => void
      const released = new Promise<void>((r) => (release = r))
      const holding = lock.raw.transaction(async (c) => {
        await c.query('SELECT 1 FROM point_accounts WHERE member_id = $1 FOR UPDATE', [blocker])
        await released
      })
      try {
        const admin = httpClient(ports[1])
        const res = await admin.request({
          method: 'POST',
          path: '/api/v1/staff/points/grants',
          token: world.tokens.get('A0001'),
          body: { amount: 7, reason: '中断演练', unionId: union },
          headers: { 'idempotency-key': 'fault-grant-1' },
        })
        assert.equal(res.status, 202, res.body)
        const grantId = (JSON.parse(res.body) as { grant: { id: number } }).grant.id
        admin.close()
        // Wait (counted, not timed) until the first batch committed and the second waits on us.
        let job: { id: number; locked_by: string; done: number } | undefined
        for (let i = 0; i < 600; i++) {
          job = await first(
            db,
            sql`SELECT j.id, j.locked_by, j.done FROM jobs j JOIN point_grants g ON g.job_id = j.id
              WHERE g.id = ${grantId}`,
          )
          const waiting = await first<{ n: number }>(
            db,
            sql`SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          )
          if (job && job.done === GRANT_BATCH && (waiting?.n ?? 0) > 0) break
          await new Promise((r) => setTimeout(r, 50))
        }
        assert.equal(job?.done, GRANT_BATCH, 'the first batch committed')
        const pid = Number(job.locked_by.split(':')[1])
        const victim = procs.findIndex((p) => p.pid === pid)
        assert.ok(victim >= 0, `the job runs in one of our processes (${job.locked_by})`)
        t.diagnostic(`job ${job.id} held by process ${victim} (pid ${pid}) — killing it mid-job`)
        procs[victim].child.kill('SIGKILL')
        await procs[victim].exited
        release()
        await holding
        // The lease (60 s) of the dead process runs out: time passes at once here.
        await db.execute(
          sql`UPDATE jobs SET locked_until = now() - interval '1 second' WHERE id = ${job.id}`,
        )
        await spawnAt(victim)
        let status = ''
        for (let i = 0; i < 600 && status !== 'done'; i++) {
          status =
            (await first<{ status: string }>(db, sql`SELECT status FROM jobs WHERE id = ${job.id}`))
              ?.status ?? ''
          if (status !== 'done') await new Promise((r) => setTimeout(r, 50))
        }
        assert.equal(status, 'done')
        const lots = await rows<{ member_id: number; n: number }>(
          db,
          sql`SELECT member_id, count(*)::int AS n FROM point_lots WHERE grant_id = ${grantId}
            GROUP BY 1 ORDER BY 1`,
        )
        assert.deepEqual(
          lots.map((l) => l.member_id),
          reached,
        )
        assert.ok(
          lots.every((l) => l.n === 1),
          'every member exactly once',
        )
        const row = await first<{ attempts: number; granted: number }>(
          db,
          sql`SELECT j.attempts, g.granted FROM jobs j JOIN point_grants g ON g.job_id = j.id
            WHERE j.id = ${job.id}`,
        )
        assert.deepEqual(row, { attempts: 2, granted: reached.length })
        assert.deepEqual(await brokenInvariants(db), [])
      } finally {
        release()
        await holding.catch(() => undefined)
        await lock.close()
      }
    })
  },
)

describe('faults on PGlite: one process killed mid-burst, restarted on its directory', () => {
  let dir: string
  let world: World
  let proc: ServerProcess
  let port: number
  let env: NodeJS.ProcessEnv

  let clock = stopwatch()

  before(async () => {
    clock = stopwatch()
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-pglite-'))
    world = await prepareWorld({
      ...configFromEnv({}),
      dataDir: dir,
      devLogin: true,
      dataKey: TEST_DATA_KEY,
      logger: false,
      staticDir: '/nonexistent',
    })
    clock.lap('set-up')
    port = await freePort()
    env = serverEnv(port, { DATA_DIR: dir })
    proc = spawnServer('server/main.ts', port, env)
    await proc.ready()
    clock.lap('process up')
  })
  after(async () => {
    await proc?.stop('SIGKILL')
    fs.rmSync(dir, { recursive: true, force: true })
  })

  test('no acknowledged write is lost; keys replay; books and rules hold', async (t) => {
    // Half the burst: PGlite runs one transaction at a time, and the machine may be small.
    const writes = planBurst(world, 'lite', 0.5)
    const KILL_AFTER = 75
    const client = httpClient(port)
    let killed: Promise<unknown> | undefined
    const firsts = await send(writes, [client], 0, (acks) => {
      if (acks !== KILL_AFTER) return
      proc.child.kill('SIGKILL')
      killed = proc.exited
    })
    assert.ok(killed, `the kill came (${KILL_AFTER} acknowledged)`)
    await killed
    clock.lap('burst')
    client.close()
    t.diagnostic(`burst: ${summary(firsts)}`)
    assert.ok(
      firsts.every((o) => 'error' in o || o.status < 500),
      summary(firsts),
    )
    // The lock file of the killed process is still there; the restart takes it over.
    assert.ok(fs.existsSync(path.join(dir, 'server.lock')))
    proc = spawnServer('server/main.ts', port, env)
    await proc.ready()
    clock.lap('restart')
    const again = httpClient(port)
    const finals = await replayAll(writes, firsts, [again])
    again.close()
    clock.lap('replays')
    const { code } = await proc.stop('SIGTERM')
    assert.equal(code, 0, proc.output())
    const database = await openDatabase({ dataDir: dir })
    try {
      const { acked } = await checkInSql(database.db, world, writes, firsts, finals)
      clock.lap('SQL checks')
      t.diagnostic(`acknowledged orders/flowers/bookings: ${acked.join('/')}`)
      t.diagnostic(`set-up: ${world.setupTimes}; ${String(clock)}`)
    } finally {
      await database.close()
    }
  })
})
