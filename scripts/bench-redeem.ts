/**
 * Redemption throughput: `npm run bench:redeem [-- --runs 3 --requests 10000 --concurrency 100
 * --items 20 --engines postgres,pglite --pgbench-clients 10]`.
 *
 * For PostgreSQL (DATABASE_URL, or postgres://postgres@127.0.0.1:5432/test; a fresh database that
 * is dropped afterwards) and then PGlite (a temporary directory), the server runs in this process:
 *  - api: POST /api/v1/mall/orders over real HTTP from a load generator in a process of its own
 *    (scripts/bench-load.mjs: keep-alive, `concurrency` clients, a random member and item
 *    and a new Idempotency-Key per request);
 *  - in-process: the same database function (`redeem_item`, through `redeemForSession`) called
 *    directly on the server's pool at the same concurrency — what is left without HTTP, routing
 *    and validation;
 *  - pgbench (PostgreSQL only): `pgbench -n -M prepared` running `SELECT redeem_item(…)` with a
 *    random member and item, `--pgbench-clients` connections (default: the server's pool size, the
 *    database concurrency of the two others) — the database's own ceiling for the same SQL.
 * api and in-process alternate in both orders (A B B A A B …), `runs` runs of `requests` each,
 * after one short warm-up of each; every run is printed, then median and min–max per side and the
 * ratios of the medians. Members get a large lot of points and the items a large stock, so that no
 * run runs out of either. Figures, not a test: nothing here fails on a slow machine.
 */
import { execFile, fork, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { promisify } from 'node:util'
import { sql } from 'drizzle-orm'
import { configFromEnv, type AppConfig } from '../server/config'
import { rows } from '../server/db/sql'
import { createSessions, hashToken } from '../server/lib/sessions'
import { redeemForSession } from '../server/modules/mall/redeem'
import { subtreeOf } from '../server/modules/org/union-tree'
import { startServer, type Started } from '../server/start'
import { freshPostgresDatabase } from '../tests/support/server'

const flag = (name: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}
const num = (name: string, fallback: number) => Number(flag(name) ?? fallback)
const RUNS = num('runs', 3)
const REQUESTS = num('requests', 10_000)
const CONCURRENCY = num('concurrency', 100)
const ITEMS = num('items', 20)
const WARMUP = Math.min(1000, REQUESTS)
const ENGINES = (flag('engines') ?? 'postgres,pglite').split(',')

/** What one run of one side measured. */
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

/** Every member under 北京市总工会 with a large lot of points and a session; items with a big stock. */
async function prepare(started: Started): Promise<Fixture> {
  const db = started.database.db
  const beijing = sql`(SELECT id FROM unions WHERE name = '北京市总工会')`
  const members = await rows<{ id: number }>(
    db,
    sql`SELECT id FROM members
        WHERE member_no LIKE 'M%' AND union_id IN (SELECT id FROM ${subtreeOf(beijing)} down)
        ORDER BY id`,
  )
  const ids = sql.param(members.map((m) => m.id))
  // A lot, its ledger entry and the balance: the books stay as the invariants want them.
  await db.execute(
    sql`WITH lot AS (
          INSERT INTO point_lots (member_id, kind, amount, remaining, reason)
          SELECT m, 'adjust', 1000000, 1000000, '压测积分' FROM unnest(${ids}::int[]) AS t(m)
          RETURNING id, member_id
        ), account AS (
          INSERT INTO point_accounts (member_id, balance)
          SELECT member_id, 1000000 FROM lot
          ON CONFLICT (member_id) DO UPDATE SET balance = point_accounts.balance + 1000000
          RETURNING member_id, balance
        )
        INSERT INTO point_ledger (member_id, kind, amount, balance_after, reason, lot_id)
        SELECT a.member_id, 'adjust', 1000000, a.balance, '压测积分', lot.id
        FROM account a JOIN lot ON lot.member_id = a.member_id`,
  )
  const items = await rows<{ id: number }>(
    db,
    sql`INSERT INTO mall_items (union_id, name, points_cost, stock, per_member_limit)
        SELECT u.id, '压测商品' || g, 1, 10000000, 100000
        FROM unions u, generate_series(1, ${ITEMS}::int) g WHERE u.name = '北京市总工会'
        RETURNING id`,
  )
  const tokens = await createSessions(
    db,
    members.map((m) => m.id),
    'dev',
    24 * 3600,
  )
  return { tokens, itemIds: items.map((i) => i.id) }
}

/** The load generator process: one per engine, a message per run. */
function loadGenerator(): ChildProcess {
  return fork(path.join(__dirname, 'bench-load.mjs'), [], { stdio: 'inherit' })
}

function overHttp(
  child: ChildProcess,
  port: number,
  f: Fixture,
  requests: number,
  prefix: string,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    child.once('message', (m: Run | { error: string }) =>
      'error' in m ? reject(new Error(m.error)) : resolve(m),
    )
    child.send({
      port,
      tokens: f.tokens,
      itemIds: f.itemIds,
      requests,
      concurrency: CONCURRENCY,
      prefix,
      mix: 'redeem',
    })
  })
}

async function inProcess(
  started: Started,
  f: Fixture,
  requests: number,
  prefix: string,
): Promise<Run> {
  const hashes = f.tokens.map(hashToken)
  const latencies = new Float64Array(requests)
  const failures: Record<string, number> = {}
  let next = 0
  const client = async () => {
    for (let i = next++; i < requests; i = next++) {
      const t = process.hrtime.bigint()
      try {
        await redeemForSession(started.database, {
          tokenHash: hashes[Math.floor(Math.random() * hashes.length)],
          itemId: f.itemIds[Math.floor(Math.random() * f.itemIds.length)],
          quantity: 1,
          idempotencyKey: `${prefix}-${i}`,
        })
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'error'
        failures[code] = (failures[code] ?? 0) + 1
      }
      latencies[i] = Number(process.hrtime.bigint() - t) / 1e6
    }
  }
  const t0 = process.hrtime.bigint()
  await Promise.all(Array.from({ length: CONCURRENCY }, client))
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  const sorted = [...latencies].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  return { requests, seconds, p50: at(0.5), p99: at(0.99), failures }
}

/**
 * pgbench on the same database and the same SQL function: a random member's session (its token
 * hash from a side table, by primary key) and a random item, a fresh key per transaction.
 */
async function pgbench(
  started: Started,
  url: string,
  f: Fixture,
  requests: number,
  clients: number,
): Promise<Run> {
  const db = started.database.db
  await db.execute(
    sql`CREATE TABLE IF NOT EXISTS bench_tokens (i int PRIMARY KEY, token_hash text NOT NULL)`,
  )
  await db.execute(sql`TRUNCATE bench_tokens`)
  await db.execute(
    sql`INSERT INTO bench_tokens SELECT n - 1, h
        FROM unnest(${sql.param(f.tokens.map(hashToken))}::text[]) WITH ORDINALITY AS t(h, n)`,
  )
  const items = sql.param(f.itemIds)
  await db.execute(
    sql`CREATE TABLE IF NOT EXISTS bench_items (i int PRIMARY KEY, item_id int NOT NULL)`,
  )
  await db.execute(sql`TRUNCATE bench_items`)
  await db.execute(
    sql`INSERT INTO bench_items SELECT n - 1, id
        FROM unnest(${items}::int[]) WITH ORDINALITY AS t(id, n)`,
  )
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uss-pgbench-'))
  const file = path.join(dir, 'redeem.sql')
  fs.writeFileSync(
    file,
    [
      `\\set m random(0, ${f.tokens.length - 1})`,
      `\\set it random(0, ${f.itemIds.length - 1})`,
      `\\set k random(1, 1000000000000)`,
      `SELECT redeem_item((SELECT token_hash FROM bench_tokens WHERE i = :m), ` +
        `(SELECT item_id FROM bench_items WHERE i = :it), 1, ` +
        `'pgb-' || :client_id::text || '-' || :k::text, 'pgbench');`,
      '',
    ].join('\n'),
  )
  try {
    const perClient = Math.max(1, Math.round(requests / clients))
    const { stdout } = await promisify(execFile)(
      'pgbench',
      ['-n', '-M', 'prepared', '-c', String(clients), '-j', '2', '-t', String(perClient)].concat([
        '-f',
        file,
        '-r',
        url,
      ]),
      { maxBuffer: 16 * 1024 * 1024 },
    )
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1])
    const latency = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1])
    const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0)
    const done = perClient * clients
    return {
      requests: done,
      seconds: done / tps,
      p50: latency,
      p99: NaN,
      failures: failed ? { failed } : {},
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const rps = (r: Run) => r.requests / r.seconds

function line(engine: string, mode: string, run: Run) {
  const failed = Object.entries(run.failures)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ')
  const p99 = Number.isNaN(run.p99) ? '     —' : run.p99.toFixed(1).padStart(6)
  const p50 = `${mode === 'pgbench' ? 'avg' : 'p50'} ${run.p50.toFixed(1).padStart(6)}`
  console.log(
    `${engine.padEnd(8)} ${mode.padEnd(10)} ${String(run.requests).padStart(6)} req ` +
      `${rps(run).toFixed(0).padStart(6)} req/s   ${p50} ms   p99 ${p99} ms` +
      (failed ? `   failed: ${failed}` : ''),
  )
}

/** Median and range of the runs' req/s. */
function summary(runs: Run[]) {
  const v = runs.map(rps).sort((a, b) => a - b)
  const mid = Math.floor(v.length / 2)
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2
  return { median, min: v[0], max: v[v.length - 1] }
}

function summaryLine(engine: string, mode: string, runs: Run[]) {
  const s = summary(runs)
  console.log(
    `${engine.padEnd(8)} ${mode.padEnd(10)} median ${s.median.toFixed(0).padStart(6)} req/s ` +
      `(min–max ${s.min.toFixed(0)}–${s.max.toFixed(0)}, ${runs.length} runs)`,
  )
  return s.median
}

async function benchEngine(engine: 'postgres' | 'pglite', overrides: Partial<AppConfig>) {
  const config: AppConfig = {
    ...configFromEnv({}),
    devLogin: false,
    logger: false,
    staticDir: '/nonexistent',
    expiryJobIntervalMs: 0,
    ...overrides,
  }
  const started = await startServer(config)
  const child = loadGenerator()
  try {
    const fixture = await prepare(started)
    await started.app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = started.app.server.address() as AddressInfo
    const tag = crypto.randomBytes(4).toString('hex')
    // Warm both sides up (JIT, prepared statements, plan caches); not counted.
    await overHttp(child, port, fixture, WARMUP, `warm-api-${tag}`)
    await inProcess(started, fixture, WARMUP, `warm-in-${tag}`)
    const api: Run[] = []
    const direct: Run[] = []
    const sides = {
      api: async (r: number) => {
        const run = await overHttp(child, port, fixture, REQUESTS, `api-${tag}-${r}`)
        line(engine, 'api', run)
        api.push(run)
      },
      direct: async (r: number) => {
        const run = await inProcess(started, fixture, REQUESTS, `in-${tag}-${r}`)
        line(engine, 'in-process', run)
        direct.push(run)
      },
    }
    // A B, B A, A B, …: neither side always runs on the warmer (or fuller) database.
    for (let r = 0; r < RUNS; r++) {
      const order = r % 2 === 0 ? (['api', 'direct'] as const) : (['direct', 'api'] as const)
      for (const side of order) await sides[side](r)
    }
    const pgRuns: Run[] = []
    if (engine === 'postgres' && overrides.databaseUrl) {
      const clients = num('pgbench-clients', config.poolSize)
      for (let r = 0; r < RUNS; r++) {
        const run = await pgbench(started, overrides.databaseUrl, fixture, REQUESTS, clients)
        line(engine, `pgbench/${clients}`, run)
        pgRuns.push(run)
      }
    }
    console.log('')
    const a = summaryLine(engine, 'api', api)
    const d = summaryLine(engine, 'in-process', direct)
    const out = [`${engine}: api ÷ in-process = ${(a / d).toFixed(2)} (goal ≥ 0.8)`]
    if (pgRuns.length) {
      const p = summaryLine(engine, 'pgbench', pgRuns)
      out.push(`${engine}: api ÷ pgbench = ${(a / p).toFixed(2)} (goal ≥ 0.5)`)
    }
    console.log(`${out.join('\n')}\n`)
    return out
  } finally {
    child.send('exit')
    await started.close()
  }
}

async function main() {
  console.log(
    `redemption: ${RUNS} runs × ${REQUESTS} requests per side, ${CONCURRENCY} concurrent clients, ` +
      `${ITEMS} items, ${os.cpus().length} CPUs, Node ${process.versions.node}\n`,
  )
  const results: string[] = []
  if (ENGINES.includes('postgres')) {
    process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/test'
    const fresh = await freshPostgresDatabase()
    try {
      results.push(...(await benchEngine('postgres', { databaseUrl: fresh.url })))
    } finally {
      await fresh.drop()
    }
  }
  if (ENGINES.includes('pglite')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uss-bench-'))
    try {
      results.push(...(await benchEngine('pglite', { databaseUrl: undefined, dataDir: dir })))
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
  console.log(results.join('\n'))
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
