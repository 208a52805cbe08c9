/**
 * The flower moment: `npm run bench:flowers [-- --rounds 3 --engines postgres,pglite]`.
 *
 * For PostgreSQL (DATABASE_URL, or postgres://postgres@127.0.0.1:5432/test; a fresh database that
 * is dropped afterwards) and then PGlite (a temporary directory): an event with 200 checked-in
 * attendees, the flower phase open, then every attendee sends 3 flowers, all 600 requests at once
 * over real HTTP from a load generator in a worker thread (one keep-alive socket per request).
 * Prints the time until all 600 are answered, p50/p99 latency, and the invariant check in SQL
 * (600 flowers, no sender above 3, flowers_left + sent = 3, organiser pairs = mutual pairs).
 * Goal: ≤ 1 s, 0 violations. Figures, not a test.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { AddressInfo } from 'node:net'
import { sql } from 'drizzle-orm'
import { configFromEnv, type AppConfig } from '../server/config'
import { first, rows } from '../server/db/sql'
import { createSessions } from '../server/lib/sessions'
import { startServer, type Started } from '../server/start'
import { freshPostgresDatabase } from '../tests/support/server'

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : fallback
}
const ROUNDS = Number(arg('rounds', '3'))
const ENGINES = arg('engines', 'postgres,pglite').split(',')
const ATTENDEES = 200

interface Run {
  seconds: number
  latencies: number[]
  statuses: Record<string, number>
}

/** 200 members signed up and checked in at a new event whose flower phase is open. */
async function prepare(started: Started) {
  const db = started.database.db
  const staff = await first<{ id: number }>(
    db,
    sql`SELECT id FROM members WHERE member_no = 'S0001'`,
  )
  if (!staff) throw new Error('no S0001')
  const [staffToken] = await createSessions(db, [staff.id], 'dev', 3600)
  const roots = await rows<{ id: number }>(db, sql`SELECT id FROM unions WHERE parent_id IS NULL`)
  const members = await rows<{ id: number }>(
    db,
    sql`SELECT id FROM members WHERE member_no LIKE 'M%' ORDER BY member_no LIMIT ${ATTENDEES}`,
  )
  const inject = async (method: 'POST' | 'GET', url: string, token: string, body?: object) => {
    const res = await started.app.inject({
      method,
      url,
      payload: body,
      headers: { authorization: `Bearer ${token}` },
    })
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
    return res.json() as unknown
  }
  const now = Date.now()
  const created = (await inject('POST', '/api/v1/staff/events', staffToken, {
    title: '压测联谊',
    venue: '压测场地',
    capacity: ATTENDEES,
    hostUnionIds: roots.map((r) => r.id),
    signupOpensAt: new Date(now - 3600_000).toISOString(),
    signupClosesAt: new Date(now + 3600_000).toISOString(),
    startsAt: new Date(now + 7200_000).toISOString(),
    endsAt: new Date(now + 10_800_000).toISOString(),
  })) as { event: { id: number } }
  const eventId = created.event.id
  const attendees: Array<{ token: string; attendeeId: string }> = []
  const tokens = await createSessions(
    db,
    members.map((m) => m.id),
    'dev',
    3600,
  )
  for (const [i, m] of members.entries()) {
    const token = tokens[i]
    const r = (await inject('POST', `/api/v1/events/${eventId}/signup`, token, {
      profile: { nickname: `嘉宾${i}`, gender: i % 2 ? 'female' : 'male', birthYear: 1995 },
    })) as { registration: { attendeeId: string } }
    await inject('POST', `/api/v1/staff/events/${eventId}/checkins`, staffToken, { memberId: m.id })
    attendees.push({ token, attendeeId: r.registration.attendeeId })
  }
  await inject('POST', `/api/v1/staff/events/${eventId}/flower-phase`, staffToken, { open: true })
  // Each attendee: both neighbours (mutual pairs) and one pseudo-random other.
  let seed = 7
  const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
  const sends: Array<{ token: string; path: string; body: string }> = []
  for (let i = 0; i < ATTENDEES; i++) {
    const picks = new Set([(i + 1) % ATTENDEES, (i + ATTENDEES - 1) % ATTENDEES])
    while (picks.size < 3) {
      const j = Math.floor(rand() * ATTENDEES)
      if (j !== i) picks.add(j)
    }
    for (const j of picks) {
      sends.push({
        token: attendees[i].token,
        path: `/api/v1/events/${eventId}/flowers`,
        body: JSON.stringify({ toAttendeeId: attendees[j].attendeeId }),
      })
    }
  }
  return { eventId, staffToken, sends }
}

/** Fires every request at once (one socket each) and waits for all answers. */
const loadGenerator = `
const http = require('node:http')
const { parentPort, workerData } = require('node:worker_threads')
const { port, sends } = workerData
const agent = new http.Agent({ keepAlive: true, maxSockets: sends.length })
const latencies = []
const statuses = {}
const t0 = process.hrtime.bigint()
Promise.all(sends.map((s) => new Promise((resolve) => {
  const started = process.hrtime.bigint()
  const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: s.path, agent,
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + s.token } }, (res) => {
    const chunks = []
    res.on('data', (c) => chunks.push(c))
    res.on('end', () => {
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6)
      const key = res.statusCode === 201 ? '201' : res.statusCode + ' ' + Buffer.concat(chunks).toString().slice(0, 80)
      statuses[key] = (statuses[key] || 0) + 1
      resolve()
    })
  })
  req.on('error', (e) => { statuses[e.code] = (statuses[e.code] || 0) + 1; resolve() })
  req.end(s.body)
}))).then(() => {
  agent.destroy()
  parentPort.postMessage({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, latencies, statuses })
})
`

function fire(port: number, sends: Array<{ token: string; path: string; body: string }>) {
  return new Promise<Run>((resolve, reject) => {
    const worker = new Worker(loadGenerator, { eval: true, workerData: { port, sends } })
    worker.once('message', (run: Run) => {
      void worker.terminate()
      resolve(run)
    })
    worker.once('error', reject)
  })
}

/** The rules, in SQL and through the organiser's view; the broken ones. */
async function violations(started: Started, eventId: number, staffToken: string) {
  const db = started.database.db
  const out: string[] = []
  const t = await first<{ n: number; over: number; drift: number }>(
    db,
    sql`SELECT (SELECT count(*)::int FROM flowers WHERE event_id = ${eventId}) AS n,
               (SELECT count(*)::int FROM (SELECT sender_id FROM flowers WHERE event_id = ${eventId}
                                           GROUP BY sender_id HAVING count(*) > 3) x) AS over,
               (SELECT count(*)::int FROM flower_allowances a WHERE a.event_id = ${eventId}
                  AND a.flowers_left + (SELECT count(*) FROM flowers f
                                        WHERE f.sender_id = a.registration_id) <> 3)
                 AS drift`,
  )
  if (t?.n !== 600) out.push(`${t?.n} flowers, not 600`)
  if (t?.over) out.push(`${t.over} senders above 3`)
  if (t?.drift) out.push(`${t.drift} registrations with flowers_left + sent ≠ 3`)
  const close = await started.app.inject({
    method: 'POST',
    url: `/api/v1/staff/events/${eventId}/flower-phase`,
    payload: { open: false },
    headers: { authorization: `Bearer ${staffToken}` },
  })
  if (close.statusCode !== 200) out.push(`close: ${close.statusCode}`)
  const seen = await started.app.inject({
    method: 'GET',
    url: `/api/v1/staff/events/${eventId}/matches`,
    headers: { authorization: `Bearer ${staffToken}` },
  })
  const pairs = (seen.json() as { pairs: string[][] }).pairs.map((p) => [...p].sort().join('|'))
  const mutual = await rows<{ a: string; b: string }>(
    db,
    sql`SELECT ra.public_id AS a, rb.public_id AS b FROM flowers f
        JOIN flowers g ON g.sender_id = f.recipient_id AND g.recipient_id = f.sender_id
        JOIN event_registrations ra ON ra.id = f.sender_id
        JOIN event_registrations rb ON rb.id = f.recipient_id
        WHERE f.event_id = ${eventId} AND f.sender_id < f.recipient_id`,
  )
  const expected = mutual.map((m) => [m.a, m.b].sort().join('|'))
  if (pairs.sort().join(',') !== expected.sort().join(',')) {
    out.push(`organiser pairs (${pairs.length}) ≠ mutual pairs in SQL (${expected.length})`)
  }
  return { problems: out, pairs: pairs.length }
}

async function benchEngine(engine: string, overrides: Partial<AppConfig>) {
  const config: AppConfig = {
    ...configFromEnv({}),
    devLogin: false,
    logger: false,
    staticDir: '/nonexistent',
    expiryJobIntervalMs: 0,
    ...overrides,
  }
  const started = await startServer(config)
  const results: Array<{ seconds: number; p99: number }> = []
  try {
    await started.app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = started.app.server.address() as AddressInfo
    for (let round = 0; round <= ROUNDS; round++) {
      const { eventId, staffToken, sends } = await prepare(started)
      const run = await fire(port, sends)
      const sorted = [...run.latencies].sort((a, b) => a - b)
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
      const check = await violations(started, eventId, staffToken)
      const others = Object.entries(run.statuses).filter(([k]) => k !== '201')
      const label = round === 0 ? 'warm-up' : `round ${round}`
      console.log(
        `${engine.padEnd(10)} ${label.padEnd(8)} 600 flowers in ${(run.seconds * 1000).toFixed(0).padStart(5)} ms` +
          `   p50 ${at(0.5).toFixed(0).padStart(4)} ms   p99 ${at(0.99).toFixed(0).padStart(4)} ms` +
          `   accepted ${run.statuses['201'] ?? 0}   pairs ${check.pairs}` +
          `   violations ${check.problems.length}${check.problems.length ? ` (${check.problems.join('; ')})` : ''}` +
          `${others.length ? `   other answers: ${others.map(([k, v]) => `${k} ×${v}`).join(', ')}` : ''}`,
      )
      if (round > 0) results.push({ seconds: run.seconds, p99: at(0.99) })
    }
  } finally {
    await started.close()
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  return {
    seconds: median(results.map((r) => r.seconds)),
    p99: median(results.map((r) => r.p99)),
  }
}

async function main() {
  console.log(
    `flowers: ${ATTENDEES} attendees × 3 at once, ${ROUNDS} rounds after a warm-up, ` +
      `${os.cpus().length} CPUs, Node ${process.versions.node}\n`,
  )
  const summary: string[] = []
  if (ENGINES.includes('postgres')) {
    process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/test'
    const fresh = await freshPostgresDatabase()
    try {
      const r = await benchEngine('postgres', { databaseUrl: fresh.url })
      summary.push(
        `PostgreSQL: median ${(r.seconds * 1000).toFixed(0)} ms for 600, p99 ${r.p99.toFixed(0)} ms (goal ≤ 1000 ms)`,
      )
    } finally {
      await fresh.drop()
    }
  }
  if (ENGINES.includes('pglite')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uss-bench-flowers-'))
    try {
      const r = await benchEngine('pglite', { databaseUrl: undefined, dataDir: dir })
      summary.push(
        `PGlite: median ${(r.seconds * 1000).toFixed(0)} ms for 600, p99 ${r.p99.toFixed(0)} ms (goal ≤ 1000 ms)`,
      )
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
  console.log(`\n${summary.join('\n')}`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
