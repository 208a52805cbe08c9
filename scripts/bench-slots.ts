/**
 * Legal slot queries (issue #11):
 * `npm run bench:slots [-- --rules 1000 --requests 2000 --concurrency 8 --engines postgres,pglite]`.
 *
 * For PostgreSQL (DATABASE_URL, or postgres://postgres@127.0.0.1:5432/test; a fresh database that
 * is dropped afterwards) and then PGlite (a temporary directory): `rules` weekly availability rules
 * (lawyers × 20 workstations of 北京市总工会, see `seedSlotRules`), then GET /api/v1/legal/slots for
 * 14 days of one service point over real HTTP from a load generator in a child process (keep-alive,
 * `concurrency` clients, members under 北京市总工会, `accept-encoding: gzip, br` like a browser),
 * 3 runs: p50/p99 per run and their spread, and the server process's CPU per request (what the
 * query costs whatever else the machine runs; PostgreSQL's own work not included). Then one unfiltered 14-day query (every visible slot):
 * its time, slot count and size. Goal: p99 ≤ 50 ms. Figures, not a test: nothing fails when slow.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { sql } from 'drizzle-orm'
import { configFromEnv, type AppConfig } from '../server/config'
import type { Db } from '../server/db/client'
import { first, rows } from '../server/db/sql'
import { createSessions } from '../server/lib/sessions'
import { addDays, shanghaiDate } from '../server/lib/time'
import { subtreeOf } from '../server/modules/org/union-tree'
import { startServer, type Started } from '../server/start'
import { freshPostgresDatabase } from '../tests/support/server'

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const RULES = arg('rules', 1000)
const REQUESTS = arg('requests', 2000)
const CONCURRENCY = arg('concurrency', 8)
const RUNS = 3
const WARMUP = Math.min(300, REQUESTS)
const ENGINES = (
  process.argv.includes('--engines')
    ? process.argv[process.argv.indexOf('--engines') + 1]
    : 'postgres,pglite'
).split(',')

/** Three-hour blocks; 7 weekdays × 3 blocks = 21 distinct (weekday, block) pairs per lawyer. */
const blocks = [
  ['09:00', '12:00'],
  ['13:30', '16:30'],
  ['18:00', '21:00'],
] as const

/**
 * `n` weekly availability rules, valid from a week ago: `points` workstations (default 20) of
 * `union` (default 北京市总工会) and ⌈n ÷ points⌉ new lawyer members, each lawyer at every point
 * once. Rule k is lawyer ⌊k ÷ points⌋ at point k mod points, on weekday and block
 * (lawyer + point) mod 21: with at most 21 points a lawyer's rules never overlap, so every rule
 * gives its 6 half-hour slots a week. Reusable by other benches; names carry a fresh tag so it can
 * run more than once on one database. Returns the service points' and lawyers' ids.
 */
export async function seedSlotRules(
  db: Db,
  n: number,
  opts: { union?: string; points?: number } = {},
): Promise<{ servicePointIds: number[]; lawyerIds: number[] }> {
  const pointCount = Math.max(1, Math.min(opts.points ?? 20, n))
  const lawyerCount = Math.ceil(n / pointCount)
  const tag = Math.random().toString(36).slice(2, 8)
  return db.transaction(async (tx) => {
    const union = await first<{ id: number }>(
      tx,
      sql`SELECT id FROM unions WHERE name = ${opts.union ?? '北京市总工会'}`,
    )
    if (!union) throw new Error(`bench: union ${opts.union ?? '北京市总工会'} is missing`)
    const points = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO legal_service_points (union_id, name, kind, address)
          SELECT ${union.id}, '压测工作站 ' || ${tag} || '-' || g, 'workstation',
                 '北京市压测路 ' || g || ' 号'
          FROM generate_series(1, ${pointCount}) g ORDER BY g
          RETURNING id`,
    )
    const lawyers = await rows<{ id: number }>(
      tx,
      sql`WITH m AS (
            INSERT INTO members (member_no, name, union_id, roles)
            SELECT 'BS' || ${tag} || lpad(g::text, 6, '0'), '压测律师' || g, ${union.id},
                   ARRAY['member', 'lawyer']::text[]
            FROM generate_series(1, ${lawyerCount}) g ORDER BY g
            RETURNING id
          )
          INSERT INTO legal_lawyers (member_id, firm) SELECT id, '压测律师事务所' FROM m ORDER BY id
          RETURNING id`,
    )
    const rule = { lawyer: [] as number[], point: [] as number[], weekday: [] as number[] }
    const times = { start: [] as string[], end: [] as string[] }
    for (let k = 0; k < n; k++) {
      const li = Math.floor(k / pointCount)
      const pi = k % pointCount
      const pair = (li + pi) % 21
      rule.lawyer.push(lawyers[li].id)
      rule.point.push(points[pi].id)
      rule.weekday.push((pair % 7) + 1)
      times.start.push(blocks[Math.floor(pair / 7)][0])
      times.end.push(blocks[Math.floor(pair / 7)][1])
    }
    const validFrom = addDays(shanghaiDate(new Date()), -7)
    await tx.execute(
      sql`INSERT INTO legal_availability_rules (lawyer_id, service_point_id, weekday, start_time,
                                                end_time, slot_minutes, valid_from)
          SELECT r.lawyer, r.point, r.weekday, r.s, r.e, 30, ${validFrom}::date
          FROM unnest(${sql.param(rule.lawyer)}::int[], ${sql.param(rule.point)}::int[],
                      ${sql.param(rule.weekday)}::int[], ${sql.param(times.start)}::text[],
                      ${sql.param(times.end)}::text[]) AS r(lawyer, point, weekday, s, e)`,
    )
    return { servicePointIds: points.map((p) => p.id), lawyerIds: lawyers.map((l) => l.id) }
  })
}

interface Run {
  seconds: number
  latencies: number[]
  bytes: number
  failures: Record<string, number>
}

/**
 * The load generator: a child process, so that it shares neither the server's event loop nor its
 * CPU account (`process.cpuUsage()` of this process is the server's, PGlite included).
 */
const loadGenerator = `
const http = require('node:http')
process.once('message', (workerData) => {
const { port, tokens, paths, requests, concurrency } = workerData
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
const latencies = []
const failures = {}
let bytes = 0
let next = 0
function one(i) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint()
    const req = http.request({ host: '127.0.0.1', port, method: 'GET', path: paths[i % paths.length], agent,
      headers: { authorization: 'Bearer ' + tokens[i % tokens.length], 'accept-encoding': 'gzip, br' } }, (res) => {
      res.on('data', (c) => { bytes += c.length })
      res.on('end', () => {
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6)
        if (res.statusCode !== 200) failures[res.statusCode] = (failures[res.statusCode] || 0) + 1
        resolve()
      })
    })
    req.on('error', (e) => { failures[e.code] = (failures[e.code] || 0) + 1; resolve() })
    req.end()
  })
}
async function client() { for (let i = next++; i < requests; i = next++) await one(i) }
const t0 = process.hrtime.bigint()
Promise.all(Array.from({ length: concurrency }, client)).then(() => {
  agent.destroy()
  process.send({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, latencies, bytes, failures }, () => process.exit(0))
})
})
`

function overHttp(port: number, tokens: string[], paths: string[], requests: number) {
  return new Promise<Run & { cpuMs: number }>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', loadGenerator], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const cpu = process.cpuUsage()
    child.once('message', (run: Run) => {
      const used = process.cpuUsage(cpu)
      resolve({ ...run, cpuMs: (used.user + used.system) / 1000 })
    })
    child.once('error', reject)
    child.send({ port, tokens, paths, requests, concurrency: CONCURRENCY })
  })
}

/** One plain request (no compression): its time, status and body. */
function once(port: number, token: string, url: string) {
  return new Promise<{ ms: number; status: number; body: string }>((resolve, reject) => {
    const started = process.hrtime.bigint()
    const req = http.get(
      { host: '127.0.0.1', port, path: url, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            ms: Number(process.hrtime.bigint() - started) / 1e6,
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
      },
    )
    req.on('error', reject)
  })
}

function percentiles(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] }
}

const ms = (x: number) => `${x.toFixed(1).padStart(6)} ms`
const spread = (xs: number[]) =>
  `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)} ms (±${((Math.max(...xs) - Math.min(...xs)) / 2).toFixed(1)})`

async function benchEngine(engine: string, overrides: Partial<AppConfig>) {
  const config: AppConfig = {
    ...configFromEnv({}),
    devLogin: false,
    logger: false,
    staticDir: '/nonexistent',
    expiryJobIntervalMs: 0,
    ...overrides,
  }
  const started: Started = await startServer(config)
  try {
    const db = started.database.db
    const t0 = performance.now()
    const { servicePointIds } = await seedSlotRules(db, RULES)
    const seeded = performance.now() - t0
    const total = await first<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM legal_availability_rules`,
    )
    const beijing = sql`(SELECT id FROM unions WHERE name = '北京市总工会')`
    const members = await rows<{ id: number }>(
      db,
      sql`SELECT id FROM members WHERE member_no LIKE 'M%'
            AND union_id IN (SELECT id FROM ${subtreeOf(beijing)} down)
          ORDER BY id LIMIT 200`,
    )
    const tokens = await createSessions(
      db,
      members.map((m) => m.id),
      'dev',
      3600,
    )
    await started.app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = started.app.server.address() as AddressInfo
    const today = shanghaiDate(new Date())
    const range = `from=${today}&to=${addDays(today, 13)}`
    const onePoint = `/api/v1/legal/slots?${range}&servicePointId=${servicePointIds[0]}`
    const probe = await once(port, tokens[0], onePoint)
    if (probe.status !== 200) throw new Error(`slots: ${probe.status} ${probe.body}`)
    const perQuery = (JSON.parse(probe.body) as { slots: unknown[] }).slots.length
    console.log(
      `${engine}: ${total?.n} rules (${RULES} seeded in ${(seeded / 1000).toFixed(1)} s), ` +
        `one point 14 days = ${perQuery} slots, ${(probe.body.length / 1024).toFixed(0)} KiB`,
    )
    await overHttp(port, tokens, [onePoint], WARMUP) // JIT, prepared statements; not counted
    const p50s: number[] = []
    const p99s: number[] = []
    for (let r = 1; r <= RUNS; r++) {
      const run = await overHttp(port, tokens, [onePoint], REQUESTS)
      const p = percentiles(run.latencies)
      p50s.push(p.p50)
      p99s.push(p.p99)
      const failed = Object.entries(run.failures)
        .map(([k, v]) => `${k}×${v}`)
        .join(' ')
      console.log(
        `${engine.padEnd(9)} run ${r}  ${REQUESTS} req  ${(REQUESTS / run.seconds).toFixed(0).padStart(5)} req/s` +
          `  p50 ${ms(p.p50)}  p99 ${ms(p.p99)}  max ${ms(p.max)}` +
          `  server CPU ${(run.cpuMs / REQUESTS).toFixed(2)} ms/req` +
          `  ${(run.bytes / REQUESTS / 1024).toFixed(1)} KiB/answer compressed` +
          (failed ? `  failed: ${failed}` : ''),
      )
    }
    console.log(`${engine.padEnd(9)} p50 ${spread(p50s)}   p99 ${spread(p99s)}`)
    const unfiltered: number[] = []
    let size = 0
    let count = 0
    for (let i = 0; i < 3; i++) {
      const res = await once(port, tokens[0], `/api/v1/legal/slots?${range}`)
      if (res.status !== 200) throw new Error(`slots: ${res.status} ${res.body}`)
      unfiltered.push(res.ms)
      size = Buffer.byteLength(res.body)
      count = (JSON.parse(res.body) as { slots: unknown[] }).slots.length
    }
    console.log(
      `${engine.padEnd(9)} unfiltered 14 days: ${count} slots, ${(size / 1024 / 1024).toFixed(2)} MiB ` +
        `uncompressed, ${unfiltered.map((x) => x.toFixed(0)).join(' / ')} ms (3 queries)\n`,
    )
    return { p99: Math.max(...p99s) }
  } finally {
    await started.close()
  }
}

async function main() {
  console.log(
    `legal slots: ${RULES} rules, ${RUNS} runs × ${REQUESTS} requests, ${CONCURRENCY} concurrent ` +
      `clients, ${os.cpus().length} CPUs, load ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}, Node ${process.versions.node}\n`,
  )
  const summary: string[] = []
  if (ENGINES.includes('postgres')) {
    process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/test'
    const fresh = await freshPostgresDatabase()
    try {
      const pg = await benchEngine('postgres', { databaseUrl: fresh.url })
      summary.push(`PostgreSQL worst p99 ${pg.p99.toFixed(1)} ms (goal ≤ 50)`)
    } finally {
      await fresh.drop()
    }
  }
  if (ENGINES.includes('pglite')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uss-bench-'))
    try {
      const lite = await benchEngine('pglite', { databaseUrl: undefined, dataDir: dir })
      summary.push(`PGlite worst p99 ${lite.p99.toFixed(1)} ms (goal ≤ 50)`)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
  console.log(summary.join('\n'))
}

// Run only as a script: other benches import `seedSlotRules`.
if (path.basename(process.argv[1] ?? '') === 'bench-slots.ts') {
  main().catch((err) => {
    console.error(err)
    process.exit(1)
  })
}
