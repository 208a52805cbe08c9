/**
 * One server process against two on one PostgreSQL:
 * `npm run bench:cluster [-- --requests 3000 --concurrency 64 --rounds 3]`.
 *
 * A fresh database on DATABASE_URL (or postgres://postgres@127.0.0.1:5432/test), dropped
 * afterwards: the demo data, plenty of points for Beijing's members, items with a big stock.
 * Then `server/cluster.ts` with WORKERS=1 and WORKERS=2, alternated 1,2,2,1 per round (so a
 * drift of the machine hits both alike), each run a new cluster: warm-up, then the same load —
 * half GET /api/v1/points, half POST /api/v1/mall/orders — from a load generator in its own
 * process (scripts/bench-load.mjs). Prints req/s, p50 and p99 per run, the median and
 * range per worker count and the ratio of the medians. Figures, not a test.
 */
import { fork, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { configFromEnv } from '../server/config'
import { rows } from '../server/db/sql'
import { createSessions } from '../server/lib/sessions'
import { subtreeOf } from '../server/modules/org/union-tree'
import { startServer } from '../server/start'
import { freePort, httpClient, serverEnv, spawnServer } from '../tests/support/processes'
import { freshPostgresDatabase, TEST_DATA_KEY } from '../tests/support/server'

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const REQUESTS = arg('requests', 3000)
const CONCURRENCY = arg('concurrency', 64)
const ROUNDS = arg('rounds', 3)
const WARMUP = 600

interface Run {
  requests: number
  seconds: number
  p50: number
  p99: number
  failures: Record<string, number>
}

interface Fixture {
  tokens: string[]
  itemIds: number[]
}

/** Migrates and seeds in this process, then gives Beijing's members points and sessions. */
async function prepare(databaseUrl: string): Promise<Fixture> {
  const started = await startServer(
    {
      ...configFromEnv({}),
      databaseUrl,
      dataKey: TEST_DATA_KEY,
      logger: false,
      staticDir: '/nonexistent',
      expiryJobIntervalMs: 0,
    },
    { seed: true },
  )
  try {
    const db = started.database.db
    const beijing = sql`(SELECT id FROM unions WHERE name = '北京市总工会')`
    const members = await rows<{ id: number }>(
      db,
      sql`SELECT id FROM members WHERE member_no LIKE 'M%'
          AND union_id IN (SELECT id FROM ${subtreeOf(beijing)} down) ORDER BY id`,
    )
    const ids = members.map((m) => m.id)
    const { grantPoints } = await import('../server/modules/points/grants')
    const admin = await rows<{ id: number }>(
      db,
      sql`SELECT id FROM members WHERE member_no = 'A0001'`,
    )
    await db.transaction((tx) =>
      grantPoints(tx, {
        actorId: admin[0].id,
        amount: 100_000,
        reason: '压测',
        expiresAt: null,
        memberIds: ids,
      }),
    )
    const items = await rows<{ id: number }>(
      db,
      sql`INSERT INTO mall_items (union_id, name, points_cost, stock, per_member_limit)
          SELECT u.id, '压测商品' || g, 1, 10000000, 999
          FROM unions u, generate_series(1, 4) g WHERE u.name = '北京市总工会'
          RETURNING id`,
    )
    const tokens = await createSessions(db, ids, 'dev', 6 * 3600)
    return { tokens, itemIds: items.map((i) => i.id) }
  } finally {
    await started.close()
  }
}

function send(child: ChildProcess, port: number, f: Fixture, requests: number, prefix: string) {
  return new Promise<Run>((resolve, reject) => {
    child.once('message', (m: Run | { error: string }) =>
      'error' in m ? reject(new Error(m.error)) : resolve(m),
    )
    child.send({ port, ...f, requests, concurrency: CONCURRENCY, prefix, mix: 'points-and-redeem' })
  })
}

/** Starts a cluster of `workers`, waits until every worker answers, runs the load, stops it. */
async function oneRun(url: string, workers: number, child: ChildProcess, f: Fixture) {
  const port = await freePort()
  const cluster = spawnServer(
    'server/cluster.ts',
    port,
    serverEnv(port, { DATABASE_URL: url, WORKERS: String(workers), SEED: '0', DEV_LOGIN: '0' }),
  )
  try {
    await cluster.ready()
    const probe = httpClient(port, { keepAlive: false })
    const seen = new Set<string>()
    for (let i = 0; seen.size < workers; i++) {
      if (i > 2000) throw new Error(`only ${seen.size} of ${workers} workers came up`)
      const res = await probe.request({ method: 'GET', path: '/api/health' })
      if (res.status === 200) seen.add(String(res.headers['x-worker']))
      else await new Promise((r) => setTimeout(r, 50))
    }
    const tag = crypto.randomBytes(4).toString('hex')
    await send(child, port, f, WARMUP, `warm-${tag}`)
    return await send(child, port, f, REQUESTS, `run-${tag}`)
  } finally {
    const { code } = await cluster.stop('SIGTERM')
    if (code !== 0) console.error(`cluster exited ${code}:\n${cluster.output()}`)
  }
}

const rps = (r: Run) => r.requests / r.seconds

function median(v: number[]) {
  const s = [...v].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

async function main() {
  const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'
  process.env.DATABASE_URL = url
  const fresh = await freshPostgresDatabase()
  const child = fork(path.join(__dirname, 'bench-load.mjs'), [], { stdio: 'inherit' })
  console.log(
    `bench:cluster — ${os.availableParallelism()} cores, ${REQUESTS} requests per run ` +
      `(½ GET /points, ½ redemptions), ${CONCURRENCY} connections, ${ROUNDS} rounds of 1,2,2,1 workers`,
  )
  try {
    const f = await prepare(fresh.url)
    const runs: Record<number, Run[]> = { 1: [], 2: [] }
    for (let round = 1; round <= ROUNDS; round++) {
      for (const workers of [1, 2, 2, 1]) {
        const run = await oneRun(fresh.url, workers, child, f)
        runs[workers].push(run)
        const failed = Object.entries(run.failures)
          .map(([k, v]) => `${k}×${v}`)
          .join(' ')
        console.log(
          `round ${round}  workers ${workers}  ${rps(run).toFixed(0).padStart(5)} req/s   ` +
            `p50 ${run.p50.toFixed(1).padStart(6)} ms   p99 ${run.p99.toFixed(1).padStart(6)} ms` +
            (failed ? `   failed: ${failed}` : ''),
        )
      }
    }
    const m: Record<number, number> = {}
    for (const w of [1, 2]) {
      const v = runs[w].map(rps)
      m[w] = median(v)
      console.log(
        `workers ${w}: median ${m[w].toFixed(0)} req/s (min–max ${Math.min(...v).toFixed(0)}–` +
          `${Math.max(...v).toFixed(0)}, ${v.length} runs)`,
      )
    }
    // Per round: its two runs of 2 workers against its two of 1 (they ran side by side in time).
    const perRound = Array.from({ length: ROUNDS }, (_, r) => {
      const mean = (w: number) => (rps(runs[w][2 * r]) + rps(runs[w][2 * r + 1])) / 2
      return mean(2) / mean(1)
    })
    console.log(
      `2 workers ÷ 1 worker (medians): ${(m[2] / m[1]).toFixed(2)}×; per round ` +
        perRound.map((x) => `${x.toFixed(2)}×`).join(', '),
    )
  } finally {
    child.send('exit')
    await fresh.drop()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
