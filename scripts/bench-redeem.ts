/**
 * Redemption throughput:
 * `npm run bench:redeem [-- --requests 3000 --concurrency 100 --engines postgres,pglite]`.
 *
 * For PostgreSQL (DATABASE_URL, or postgres://postgres@127.0.0.1:5432/test; a fresh database that
 * is dropped afterwards) and then PGlite (a temporary directory):
 *  - api: POST /api/v1/mall/orders over real HTTP from a load generator in a worker thread
 *    (keep-alive, `concurrency` clients, each request a new Idempotency-Key);
 *  - raw: the same transaction (`redeemItem`) called directly at the same concurrency — what the
 *    database allows without HTTP, routing, sign-in and validation.
 * Many members (those under 北京市总工会), a few items with a big stock. Prints req/s, p50, p99 and
 * api ÷ raw. Figures, not a test: nothing here fails on a slow machine.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { AddressInfo } from 'node:net'
import { sql } from 'drizzle-orm'
import { configFromEnv, type AppConfig } from '../server/config'
import { rows } from '../server/db/sql'
import { createSessions } from '../server/lib/sessions'
import { redeemItem } from '../server/modules/mall/redeem'
import { subtreeOf } from '../server/modules/org/union-tree'
import { startServer, type Started } from '../server/start'
import { freshPostgresDatabase } from '../tests/support/server'

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const REQUESTS = arg('requests', 3000)
const CONCURRENCY = arg('concurrency', 100)
const WARMUP = Math.min(300, REQUESTS)
const ENGINES = (
  process.argv.includes('--engines')
    ? process.argv[process.argv.indexOf('--engines') + 1]
    : 'postgres,pglite'
).split(',')

interface Run {
  requests: number
  seconds: number
  latencies: number[]
  failures: Record<string, number>
}

interface Fixture {
  members: Array<{ id: number; unionId: number; token: string }>
  itemIds: number[]
}

/** Many members with points; items at the root with stock for every run. */
async function prepare(started: Started): Promise<Fixture> {
  const db = started.database.db
  const beijing = sql`(SELECT id FROM unions WHERE name = '北京市总工会')`
  const members = await rows<{ id: number; union_id: number }>(
    db,
    sql`SELECT id, union_id FROM members
        WHERE member_no LIKE 'M%'
          AND union_id IN (SELECT id FROM ${subtreeOf(beijing)} down) ORDER BY id`,
  )
  const items = await rows<{ id: number }>(
    db,
    sql`INSERT INTO mall_items (union_id, name, points_cost, stock, per_member_limit)
        SELECT u.id, '压测商品' || g, 1, 1000000, 999
        FROM unions u, generate_series(1, 4) g WHERE u.name = '北京市总工会'
        RETURNING id`,
  )
  const tokens = await createSessions(
    db,
    members.map((m) => m.id),
    'dev',
    3600,
  )
  return {
    members: members.map((m, i) => ({
      id: m.id,
      unionId: m.union_id,
      token: tokens[i],
    })),
    itemIds: items.map((i) => i.id),
  }
}

/** The load generator: runs in a worker so it does not share the server's event loop. */
const loadGenerator = `
const http = require('node:http')
const { parentPort, workerData } = require('node:worker_threads')
const { port, tokens, itemIds, requests, concurrency, prefix } = workerData
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
const latencies = []
const failures = {}
let next = 0
function one(i) {
  return new Promise((resolve) => {
    const body = JSON.stringify({ itemId: itemIds[i % itemIds.length], quantity: 1 })
    const started = process.hrtime.bigint()
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/mall/orders', agent,
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + tokens[i % tokens.length],
                 'idempotency-key': prefix + '-' + i } }, (res) => {
      res.resume()
      res.on('end', () => {
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6)
        if (res.statusCode !== 201) failures[res.statusCode] = (failures[res.statusCode] || 0) + 1
        resolve()
      })
    })
    req.on('error', (e) => { failures[e.code] = (failures[e.code] || 0) + 1; resolve() })
    req.end(body)
  })
}
async function client() { for (let i = next++; i < requests; i = next++) await one(i) }
const t0 = process.hrtime.bigint()
Promise.all(Array.from({ length: concurrency }, client)).then(() => {
  agent.destroy()
  parentPort.postMessage({ requests, seconds: Number(process.hrtime.bigint() - t0) / 1e9, latencies, failures })
})
`

function overHttp(port: number, f: Fixture, requests: number, prefix: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(loadGenerator, {
      eval: true,
      workerData: {
        port,
        tokens: f.members.map((m) => m.token),
        itemIds: f.itemIds,
        requests,
        concurrency: CONCURRENCY,
        prefix,
      },
    })
    worker.once('message', (run: Run) => {
      void worker.terminate()
      resolve(run)
    })
    worker.once('error', reject)
  })
}

async function direct(
  started: Started,
  f: Fixture,
  requests: number,
  prefix: string,
): Promise<Run> {
  const latencies: number[] = []
  const failures: Record<string, number> = {}
  let next = 0
  const client = async () => {
    for (let i = next++; i < requests; i = next++) {
      const m = f.members[i % f.members.length]
      const t = process.hrtime.bigint()
      try {
        await redeemItem(started.database, {
          memberId: m.id,
          unionId: m.unionId,
          itemId: f.itemIds[i % f.itemIds.length],
          quantity: 1,
          idempotencyKey: `${prefix}-${i}`,
        })
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'error'
        failures[code] = (failures[code] ?? 0) + 1
      }
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6)
    }
  }
  const t0 = process.hrtime.bigint()
  await Promise.all(Array.from({ length: CONCURRENCY }, client))
  return { requests, seconds: Number(process.hrtime.bigint() - t0) / 1e9, latencies, failures }
}

function stats(run: Run) {
  const sorted = [...run.latencies].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  return { rps: run.requests / run.seconds, p50: at(0.5), p99: at(0.99) }
}

function line(engine: string, mode: string, run: Run) {
  const s = stats(run)
  const failed = Object.entries(run.failures)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ')
  console.log(
    `${engine.padEnd(10)} ${mode.padEnd(4)} ${String(run.requests).padStart(6)} req ` +
      `${s.rps.toFixed(0).padStart(6)} req/s   p50 ${s.p50.toFixed(1).padStart(6)} ms   ` +
      `p99 ${s.p99.toFixed(1).padStart(6)} ms${failed ? `   failed: ${failed}` : ''}`,
  )
  return s
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
  try {
    const fixture = await prepare(started)
    await started.app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = started.app.server.address() as AddressInfo
    const run = crypto.randomBytes(4).toString('hex')
    // Warm both paths up (JIT, prepared statements, caches); not counted.
    await overHttp(port, fixture, WARMUP, `warm-api-${run}`)
    await direct(started, fixture, WARMUP, `warm-raw-${run}`)
    const api = line(engine, 'api', await overHttp(port, fixture, REQUESTS, `api-${run}`))
    const raw = line(engine, 'raw', await direct(started, fixture, REQUESTS, `raw-${run}`))
    console.log(`${engine.padEnd(10)} api ÷ raw = ${(api.rps / raw.rps).toFixed(2)}\n`)
    return { api, raw }
  } finally {
    await started.close()
  }
}

async function main() {
  console.log(
    `redemption: ${REQUESTS} requests, ${CONCURRENCY} concurrent clients, ${os.cpus().length} CPUs, ` +
      `Node ${process.versions.node}\n`,
  )
  const summary: string[] = []
  if (ENGINES.includes('postgres')) {
    process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/test'
    const fresh = await freshPostgresDatabase()
    try {
      const pg = await benchEngine('postgres', { databaseUrl: fresh.url })
      summary.push(`PostgreSQL api ÷ raw = ${(pg.api.rps / pg.raw.rps).toFixed(2)} (goal ≥ 0.5)`)
    } finally {
      await fresh.drop()
    }
  }
  if (ENGINES.includes('pglite')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uss-bench-'))
    try {
      const pglite = await benchEngine('pglite', { databaseUrl: undefined, dataDir: dir })
      summary.push(`PGlite api ${pglite.api.rps.toFixed(0)} redemptions/s (goal ≥ 1000)`)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
  console.log(summary.join('\n'))
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
