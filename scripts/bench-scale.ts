/**
 * The product at scale: `npm run bench:scale [-- --sizes 10000,100000,300000 --requests 500
 * --concurrency 20 --no-check]`.
 *
 * On PostgreSQL only (DATABASE_URL, or postgres://postgres@127.0.0.1:5432/test; a fresh database,
 * dropped at the end) with the real server in a child process (scripts/bench-scale-server.ts), so
 * that neither the load generator nor the prober shares its event loop. The database grows to each
 * size in turn (each step adds members); per size:
 *  - the new members through the roster import route (CSV made in memory, spread over the
 *    enterprise unions of 北京市总工会), timed to the job's end;
 *  - a points history in SQL that keeps the books (bench-scale-data.ts: 19 ledger entries and 10
 *    lots per new member), then ANALYZE;
 *  - a grant to the whole federation (北京市总工会) through the route, following its job;
 *  - a lot already due for every member (the server's grantBatch), then the expiry job (through
 *    `POST /admin/jobs/expiry/run` when that route exists, else the job's function in the server
 *    process, marked "internal");
 *  - a cooling campaign over the federation, closed through the route (following the close run),
 *    and its packing list as CSV (time and bytes);
 *  - p50/p99 of member reads, redemption, legal slots (14 days, one service point, ~1,000 rules)
 *    and staff lists, closed loop at `concurrency` clients;
 *  - at the largest size: p99 of GET /points for a member outside the federation, sampled by
 *    `concurrency` clients without pause WHILE a grant to every member and then an expiry of every
 *    member's due lot run (goal ≤ 100 ms).
 * Prints a table per size and a markdown summary. Figures, not a test: nothing fails on a slow
 * machine (a broken book or a failed request is reported).
 */
import { fork, type ChildProcess } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { routes } from '../src/contract/routes'
import { openDatabase, type Database } from '../server/db/client'
import { first, rows } from '../server/db/sql'
import { createSessions } from '../server/lib/sessions'
import { freshPostgresDatabase } from '../tests/support/server'
import {
  brokenBooks,
  leafUnionPaths,
  rosterCsv,
  seedDueLots,
  seedHistory,
  seedLegalRules,
} from './bench-scale-data'
import {
  Client,
  closedLoop,
  continuous,
  idempotencyKey,
  type Answer,
  type Latency,
} from './bench-scale-load'

const argValue = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}
const SIZES = (argValue('sizes') ?? '10000,100000,300000')
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0)
  .sort((a, b) => a - b)
const REQUESTS = Number(argValue('requests') ?? 500)
const CONCURRENCY = Number(argValue('concurrency') ?? 20)
const WARMUP = 50
const CHECK = !process.argv.includes('--no-check')
const FEDERATION = '北京市总工会'
/** Members whose tokens the member reads and redemptions spread over. */
const SAMPLE = 1000

const fmt = (n: number) => n.toLocaleString('en-US')
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const msText = (ms: number) => (ms < 10 ? ms.toFixed(1) : ms.toFixed(0))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const loadText = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')

/** Whether the contract has a route with this method and path (routes other work may add). */
const hasRoute = (method: string, p: string) =>
  Object.values(routes).some((r) => r.method === method && r.path === p)

interface Step {
  name: string
  ms: number
  detail: string
  /** What the summary's cell adds to the duration. */
  brief?: string
}
interface Read {
  name: string
  lat: Latency
}
interface SizeResult {
  size: number
  added: number
  steps: Step[]
  reads: Read[]
  during: Read[]
  books: string
  dbBytes: number
  ledgerRows: number
  /** The machine's 1-minute load average when the reads started (2 cores shared). */
  load: number
}

/** The server in a child process: its port, and the internal jobs it runs on request. */
class ServerProcess {
  private next = 1
  private readonly waiting = new Map<number, (m: { ms?: number; error?: string }) => void>()

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (m: { id?: number; ms?: number; error?: string }) => {
      if (m.id === undefined) return
      this.waiting.get(m.id)?.(m)
      this.waiting.delete(m.id)
    })
  }

  static start(databaseUrl: string): Promise<ServerProcess> {
    const child = fork(path.join(__dirname, 'bench-scale-server.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG: '0' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`server process exited (${code})`)))
      child.once('message', (m: { port: number }) => resolve(new ServerProcess(child, m.port)))
    })
  }

  /** Runs a job's internal function in the server process; its duration there. */
  run(job: 'expiry' | 'close-due-campaigns'): Promise<number> {
    const id = this.next++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (m) => (m.error ? reject(new Error(m.error)) : resolve(m.ms ?? 0)))
      this.child.send({ run: job, id })
    })
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.child.removeAllListeners('exit')
      this.child.once('exit', () => resolve())
      this.child.send({ stop: true })
    })
  }
}

class Bench {
  private federationId = 0
  private adminId = 0
  private admin = ''
  private staff = ''
  private outsider = ''
  private historyAfter = 0
  private itemId = 0
  private servicePointId = 0
  private results: SizeResult[] = []
  private readonly unions = leafUnionPaths(FEDERATION)
  private readonly jobRoutes =
    hasRoute('POST', '/admin/jobs/:name/run') && hasRoute('GET', '/admin/jobs/:id')

  constructor(
    private readonly db: Database,
    private readonly api: Client,
    private readonly server: ServerProcess,
  ) {}

  private async token(memberId: number): Promise<string> {
    const [t] = await createSessions(this.db.db, [memberId], 'dev', 6 * 3600)
    return t
  }

  private async idOf(query: ReturnType<typeof sql>): Promise<number> {
    const row = await first<{ id: number }>(this.db.db, query)
    if (!row) throw new Error('bench: a fixture row is missing')
    return row.id
  }

  async prepare(): Promise<void> {
    const db = this.db.db
    this.federationId = await this.idOf(sql`SELECT id FROM unions WHERE name = ${FEDERATION}`)
    this.adminId = await this.idOf(sql`SELECT id FROM members WHERE member_no = 'A0001'`)
    this.admin = await this.token(this.adminId)
    this.staff = await this.token(
      await this.idOf(sql`SELECT id FROM members WHERE member_no = 'S0001'`),
    )
    // A member outside the federation: nothing the grants and expiries here do touches them.
    this.outsider = await this.token(
      await this.idOf(
        sql`WITH RECURSIVE fed AS (SELECT ${this.federationId}::int AS id
                                   UNION ALL SELECT u.id FROM unions u JOIN fed ON u.parent_id = fed.id)
            SELECT id FROM members WHERE member_no LIKE 'M%' AND union_id NOT IN (SELECT id FROM fed)
            ORDER BY id LIMIT 1`,
      ),
    )
    const item = await this.api.json<{ item: { id: number } }>('POST', '/staff/mall/items', 201, {
      token: this.staff,
      headers: { 'idempotency-key': idempotencyKey() },
      body: {
        unionId: this.federationId,
        name: '规模测试矿泉水',
        pointsCost: 1,
        stock: 1_000_000,
        perMemberLimit: 999,
      },
    })
    this.itemId = item.data.item.id
    const t0 = performance.now()
    const points = await seedLegalRules(db, {
      unionId: this.federationId,
      count: 1000,
      lawyers: 40,
      points: 10,
    })
    this.servicePointId = points[0]
    const rules = await first<{ n: number; here: number }>(
      db,
      sql`SELECT count(*)::int AS n,
                 count(*) FILTER (WHERE service_point_id = ${this.servicePointId})::int AS here
          FROM legal_availability_rules`,
    )
    console.log(
      `legal: ${fmt(rules?.n ?? 0)} availability rules (${rules?.here} at the measured service ` +
        `point) seeded in SQL in ${secs(performance.now() - t0)}`,
    )
  }

  /** Imports `count` new members from bench number `from` through the route; follows the job. */
  private async importMembers(from: number, count: number): Promise<Step> {
    const file = rosterCsv(from, count, this.unions)
    const t0 = performance.now()
    const started = await this.api.json<{ import: { id: number } }>(
      'POST',
      '/admin/members/imports',
      202,
      { token: this.admin, raw: file, contentType: 'text/csv' },
    )
    for (;;) {
      const got = await this.api.json<{
        import: { status: string; created: number; rejected: number; error?: string | null }
      }>('GET', `/admin/members/imports/${started.data.import.id}`, 200, { token: this.admin })
      const imp = got.data.import
      if (imp.status !== 'running') {
        const ms = performance.now() - t0
        if (imp.status !== 'done' || imp.created !== count) {
          throw new Error(`import ${imp.status}: ${JSON.stringify(imp)}`)
        }
        const rate = `${fmt(Math.round(count / (ms / 1000)))} rows/s`
        return {
          name: 'import new members (route + job)',
          ms,
          detail: `${fmt(count)} rows, ${rate}, ${(file.length / 1e6).toFixed(1)} MB CSV, 202 after ${msText(started.ms)} ms`,
          brief: `${fmt(count)} rows, ${rate}`,
        }
      }
      await sleep(200)
    }
  }

  /** A grant of `amount` to the whole federation through the route, following its job. */
  private async grant(amount: number, reason: string): Promise<{ ms: number; granted: number }> {
    const t0 = performance.now()
    const body = {
      amount,
      reason,
      unionId: this.federationId,
      expiresAt: new Date(Date.now() + 365 * 86_400_000).toISOString(),
    }
    const res = await this.api.json<{
      grant?: { id: number; status: string; granted: number }
      granted?: number
    }>('POST', '/staff/points/grants', [201, 202], {
      token: this.staff,
      headers: { 'idempotency-key': idempotencyKey() },
      body,
    })
    if (res.status === 201) return { ms: performance.now() - t0, granted: res.data.granted ?? 0 }
    const id = res.data.grant?.id ?? 0
    for (;;) {
      const got = await this.api.json<{ grant: { status: string; granted: number } }>(
        'GET',
        `/staff/points/grants/${id}`,
        200,
        { token: this.staff },
      )
      if (got.data.grant.status !== 'running') {
        if (got.data.grant.status !== 'done') throw new Error(`grant ${got.data.grant.status}`)
        return { ms: performance.now() - t0, granted: got.data.grant.granted }
      }
      await sleep(250)
    }
  }

  /** The expiry job, through the admin route when it exists, else in the server process. */
  private async expiry(): Promise<{ ms: number; how: string; detail: string }> {
    if (!this.jobRoutes) {
      return { ms: await this.server.run('expiry'), how: 'internal function', detail: '' }
    }
    const t0 = performance.now()
    const res = await this.api.json<{ job: { id: number } }>(
      'POST',
      '/admin/jobs/expiry/run',
      202,
      {
        token: this.admin,
      },
    )
    for (;;) {
      const got = await this.api.json<{ job: Record<string, unknown> & { status: string } }>(
        'GET',
        `/admin/jobs/${res.data.job.id}`,
        200,
        { token: this.admin },
      )
      if (performance.now() - t0 > 3_600_000) throw new Error('expiry job: no end after an hour')
      if (got.data.job.status === 'done' || got.data.job.status === 'failed') {
        if (got.data.job.status !== 'done')
          throw new Error(`expiry ${JSON.stringify(got.data.job)}`)
        const counts = JSON.stringify(got.data.job.counts ?? {})
        return { ms: performance.now() - t0, how: 'admin route + job', detail: counts }
      }
      await sleep(250)
    }
  }

  /** A campaign over the federation, closed through the route; its packing list as CSV. */
  private async cooling(size: number): Promise<Step[]> {
    const now = Date.now()
    const created = await this.api.json<{ campaign: { id: number } }>(
      'POST',
      '/staff/cooling/campaigns',
      201,
      {
        token: this.staff,
        headers: { 'idempotency-key': idempotencyKey() },
        body: {
          unionId: this.federationId,
          title: `规模测试 ${fmt(size)} 人`,
          opensAt: new Date(now - 3_600_000).toISOString(),
          closesAt: new Date(now + 7 * 86_400_000).toISOString(),
          quota: 100,
          items: [
            { name: '矿泉水', quotaCost: 10, maxPerPack: 4, stock: 1_000_000 },
            { name: '凉茶', quotaCost: 15, maxPerPack: 3, stock: 1_000_000 },
            { name: '速干毛巾', quotaCost: 20, maxPerPack: 2, stock: 1_000_000 },
          ],
          defaultPack: [
            { itemIndex: 0, quantity: 2 },
            { itemIndex: 1, quantity: 1 },
          ],
        },
      },
    )
    const id = created.data.campaign.id
    const t0 = performance.now()
    const closed = await this.api.json<{
      defaultPacksCreated?: number
      close?: { status: string; defaultPacksCreated: number }
    }>('POST', `/staff/cooling/campaigns/${id}/close`, [200, 202], { token: this.staff })
    let packs = closed.data.defaultPacksCreated ?? 0
    let how = 'route, one request'
    if (closed.status === 202) {
      how = 'route + close job'
      for (;;) {
        const got = await this.api.json<{
          close: { status: string; defaultPacksCreated: number; error: string | null }
        }>('GET', `/staff/cooling/campaigns/${id}/close`, 200, { token: this.staff })
        if (got.data.close.status !== 'running') {
          if (got.data.close.status !== 'done') throw new Error(`close ${JSON.stringify(got.data)}`)
          packs = got.data.close.defaultPacksCreated
          break
        }
        await sleep(250)
      }
    }
    const closeMs = performance.now() - t0
    const csv = await this.api.request(
      'GET',
      `/staff/cooling/campaigns/${id}/packing-list?format=csv`,
      { token: this.staff },
    )
    if (csv.status !== 200)
      throw new Error(`packing list: ${csv.status} ${csv.body.toString().slice(0, 200)}`)
    const lines = csv.body.toString().split('\n').length - 1
    const json = await this.api.request('GET', `/staff/cooling/campaigns/${id}/packing-list`, {
      token: this.staff,
    })
    return [
      {
        name: `cooling close (${how})`,
        ms: closeMs,
        detail: `${fmt(packs)} default packs`,
        brief: `${fmt(packs)} packs`,
      },
      {
        name: 'packing list CSV',
        ms: csv.ms,
        detail: `${(csv.body.length / 1e6).toFixed(1)} MB, ${fmt(lines)} lines`,
        brief: `${(csv.body.length / 1e6).toFixed(1)} MB`,
      },
      {
        name: 'packing list JSON (first answer)',
        ms: json.ms,
        detail: `${json.status}, ${(json.body.length / 1e6).toFixed(2)} MB`,
      },
    ]
  }

  /** p50/p99 of the member reads, redemption, slots and staff lists. */
  private async reads(): Promise<Read[]> {
    const sample = await rows<{ id: number }>(
      this.db.db,
      sql`SELECT id FROM members WHERE member_no LIKE 'Z%' ORDER BY random() LIMIT ${SAMPLE}`,
    )
    const tokens = await createSessions(
      this.db.db,
      sample.map((m) => m.id),
      'dev',
      6 * 3600,
    )
    const member = (i: number) => tokens[i % tokens.length]
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
    const inDays = (n: number) =>
      new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
    const slotsPath = `/legal/slots?from=${today}&to=${inDays(13)}&servicePointId=${this.servicePointId}`
    const cases: Array<[string, number, (i: number) => Promise<Answer>]> = [
      ['GET /me', 200, (i) => this.api.request('GET', '/me', { token: member(i) })],
      ['GET /points', 200, (i) => this.api.request('GET', '/points', { token: member(i) })],
      [
        'GET /points/ledger (first page)',
        200,
        (i) => this.api.request('GET', '/points/ledger', { token: member(i) }),
      ],
      [
        'POST /mall/orders (redeem)',
        201,
        (i) =>
          this.api.request('POST', '/mall/orders', {
            token: member(i),
            headers: { 'idempotency-key': idempotencyKey() },
            body: { itemId: this.itemId, quantity: 1 },
          }),
      ],
      [
        'GET /legal/slots (14 days, 1 point)',
        200,
        (i) => this.api.request('GET', slotsPath, { token: member(i) }),
      ],
      [
        'staff GET /staff/mall/items',
        200,
        () => this.api.request('GET', '/staff/mall/items', { token: this.staff }),
      ],
      [
        'staff GET /staff/cooling/campaigns',
        200,
        () => this.api.request('GET', '/staff/cooling/campaigns', { token: this.staff }),
      ],
      [
        'staff POST grants/preview (federation)',
        200,
        () =>
          this.api.request('POST', '/staff/points/grants/preview', {
            token: this.staff,
            body: { unionId: this.federationId },
          }),
      ],
      [
        'staff GET /staff/stats (federation, this year)',
        200,
        () =>
          this.api.request('GET', `/staff/stats?unionId=${this.federationId}`, {
            token: this.staff,
          }),
      ],
      [
        'staff GET /staff/members (first page)',
        200,
        () => this.api.request('GET', '/staff/members', { token: this.staff }),
      ],
      [
        'staff GET /staff/members?q= (search)',
        200,
        (i) =>
          this.api.request(
            'GET',
            `/staff/members?q=${encodeURIComponent(`规模${((i * 7919) % 9000) + 1000}`)}`,
            {
              token: this.staff,
            },
          ),
      ],
    ]
    const out: Read[] = []
    for (const [name, expect, send] of cases) {
      const lat = await closedLoop(send, {
        requests: REQUESTS,
        concurrency: CONCURRENCY,
        warmup: WARMUP,
        expect,
      })
      out.push({ name, lat })
    }
    return out
  }

  /** GET /points of the outsider from `CONCURRENCY` clients without pause while `work` runs. */
  private async probeWhile<T>(work: () => Promise<T>): Promise<{ lat: Latency; result: T }> {
    const probe = continuous(
      () => this.api.request('GET', '/points', { token: this.outsider }),
      CONCURRENCY,
      200,
    )
    try {
      const result = await work()
      return { lat: await probe.stop(), result }
    } catch (err) {
      await probe.stop()
      throw err
    }
  }

  private async during(size: number): Promise<Read[]> {
    const idle = await this.probeWhile(() => sleep(5000))
    const grant = await this.probeWhile(() => this.grant(1, '规模测试：并发发放'))
    const t0 = performance.now()
    const due = await seedDueLots(this.db.db, {
      actorId: this.adminId,
      unionId: this.federationId,
      amount: 3,
    })
    console.log(`  (${fmt(due)} more due lots in ${secs(performance.now() - t0)})`)
    const expiry = await this.probeWhile(() => this.expiry())
    return [
      { name: 'GET /points, outsider, idle (5 s)', lat: idle.lat },
      {
        name: `… while grant to ${fmt(grant.result.granted)} runs (${secs(grant.result.ms)})`,
        lat: grant.lat,
      },
      {
        name: `… while expiry of ${fmt(size)} runs (${secs(expiry.result.ms)}, ${expiry.result.how})`,
        lat: expiry.lat,
      },
    ]
  }

  async grow(size: number, have: number, largest: boolean): Promise<SizeResult> {
    const db = this.db.db
    const added = size - have
    const steps: Step[] = []
    const step = (s: Step) => {
      steps.push(s)
      console.log(`  ${s.name.padEnd(46)} ${secs(s.ms).padStart(9)}  ${s.detail}`)
    }
    const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
      const t0 = performance.now()
      const value = await run()
      return [value, performance.now() - t0]
    }
    console.log(`\n── growing to ${fmt(size)} members (+${fmt(added)}), load ${loadText()} ──`)
    step(await this.importMembers(have + 1, added))

    const [history, historyMs] = await timed(() =>
      seedHistory(db, {
        afterId: this.historyAfter,
        actorId: this.adminId,
        unionId: this.federationId,
      }),
    )
    this.historyAfter = history.lastId
    step({
      name: 'ledger history (SQL, not the product)',
      ms: historyMs,
      detail: `${fmt(history.entries)} entries for ${fmt(history.members)} members`,
    })
    const [, analyzeMs] = await timed(() => db.execute(sql`ANALYZE`))
    step({ name: 'ANALYZE', ms: analyzeMs, detail: '' })

    const grant = await this.grant(10, `规模测试：全市发放 ${fmt(size)}`)
    const grantRate = `${fmt(Math.round(grant.granted / (grant.ms / 1000)))} members/s`
    step({
      name: `grant to ${FEDERATION} (route + job)`,
      ms: grant.ms,
      detail: `${fmt(grant.granted)} members, ${grantRate}`,
      brief: grantRate,
    })

    const [due, dueMs] = await timed(() =>
      seedDueLots(db, { actorId: this.adminId, unionId: this.federationId, amount: 5 }),
    )
    step({
      name: 'due lots (grantBatch from here, not the product)',
      ms: dueMs,
      detail: `${fmt(due)} members`,
    })
    const expiry = await this.expiry()
    step({
      name: `expiry (${expiry.how})`,
      ms: expiry.ms,
      detail: `${fmt(due)} members with a due lot ${expiry.detail}`.trim(),
      brief: `${fmt(Math.round(due / (expiry.ms / 1000)))} members/s`,
    })
    for (const s of await this.cooling(size)) step(s)

    const load = os.loadavg()[0]
    const reads = await this.reads()
    const during = largest ? await this.during(size) : []

    let books = 'not checked'
    if (CHECK) {
      const [broken, checkMs] = await timed(() => brokenBooks(db))
      books = `${broken.length === 0 ? 'ok' : broken.join('; ')} (checked in ${secs(checkMs)})`
    }
    const stats = await first<{ bytes: number; ledger: number }>(
      db,
      sql`SELECT pg_database_size(current_database())::bigint AS bytes,
                 (SELECT count(*) FROM point_ledger)::bigint AS ledger`,
    )
    const result: SizeResult = {
      size,
      added,
      steps,
      reads,
      during,
      books,
      dbBytes: stats?.bytes ?? 0,
      ledgerRows: stats?.ledger ?? 0,
      load,
    }
    this.results.push(result)
    printSize(result)
    return result
  }

  summary(): void {
    printSummary(this.results)
  }
}

const latRow = (r: Read) => {
  const failed = Object.entries(r.lat.failed)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ')
  return (
    `  ${r.name.padEnd(46)} ${String(r.lat.n).padStart(6)} ${msText(r.lat.p50).padStart(7)} ` +
    `${msText(r.lat.p99).padStart(7)} ${msText(r.lat.min).padStart(7)} ${msText(r.lat.max).padStart(7)}` +
    (failed ? `  failed ${failed}` : '')
  )
}

function printSize(r: SizeResult): void {
  console.log(
    `\n${fmt(r.size)} members — database ${(r.dbBytes / 1e9).toFixed(2)} GB, ` +
      `${fmt(r.ledgerRows)} ledger entries (${(r.ledgerRows / r.size).toFixed(1)} per member); books ${r.books}; load ${r.load.toFixed(1)}`,
  )
  console.log(`  ${'step'.padEnd(46)} ${'time'.padStart(9)}  detail`)
  for (const s of r.steps)
    console.log(`  ${s.name.padEnd(46)} ${secs(s.ms).padStart(9)}  ${s.detail}`)
  console.log(
    `  ${`request (${CONCURRENCY} concurrent)`.padEnd(46)} ${'n'.padStart(6)} ${'p50 ms'.padStart(7)} ` +
      `${'p99 ms'.padStart(7)} ${'min'.padStart(7)} ${'max'.padStart(7)}`,
  )
  for (const read of r.reads) console.log(latRow(read))
  for (const read of r.during) console.log(latRow(read))
}

function printSummary(results: SizeResult[]): void {
  const lines = [
    `| | ${results.map((r) => `${fmt(r.size)} members`).join(' | ')} |`,
    `| --- | ${results.map(() => '---').join(' | ')} |`,
  ]
  const stepNames = [...new Set(results.flatMap((r) => r.steps.map((s) => s.name)))]
  for (const name of stepNames) {
    const cells = results.map((r) => {
      const s = r.steps.find((x) => x.name === name)
      return s ? `${secs(s.ms)}${s.brief ? ` (${s.brief})` : ''}` : '—'
    })
    lines.push(`| ${name} | ${cells.join(' | ')} |`)
  }
  for (const name of results[0]?.reads.map((r) => r.name) ?? []) {
    const cells = results.map((r) => {
      const read = r.reads.find((x) => x.name === name)
      if (!read) return '—'
      const failed = Object.values(read.lat.failed).reduce((a, b) => a + b, 0)
      return `${msText(read.lat.p50)} / ${msText(read.lat.p99)} ms${failed ? ` (${failed} failed)` : ''}`
    })
    lines.push(`| ${name} p50 / p99 | ${cells.join(' | ')} |`)
  }
  lines.push(
    `| database size, ledger entries per member | ${results
      .map((r) => `${(r.dbBytes / 1e9).toFixed(2)} GB, ${(r.ledgerRows / r.size).toFixed(1)}`)
      .join(' | ')} |`,
  )
  lines.push(
    `| points books (set-based check) | ${results.map((r) => r.books.split(' (')[0]).join(' | ')} |`,
  )
  lines.push(
    `| load average when reads began | ${results.map((r) => r.load.toFixed(1)).join(' | ')} |`,
  )
  const last = results[results.length - 1]
  console.log(
    `\n### Scale (\`npm run bench:scale\`, PostgreSQL, ${os.cpus().length} cores, ` +
      `${REQUESTS} requests per read at ${CONCURRENCY} concurrent)\n`,
  )
  console.log(lines.join('\n'))
  if (last && last.during.length > 0) {
    console.log(
      `\nGET /points of a member outside the federation at ${fmt(last.size)} members, ` +
        `${CONCURRENCY} clients without pause (goal p99 ≤ 100 ms):\n`,
    )
    console.log('| while | requests | p50 | p99 | max | goal |')
    console.log('| --- | --- | --- | --- | --- | --- |')
    for (const d of last.during) {
      console.log(
        `| ${d.name.replace(/^… /, '')} | ${fmt(d.lat.n)} | ${msText(d.lat.p50)} ms | ` +
          `**${msText(d.lat.p99)} ms** | ${msText(d.lat.max)} ms | ${d.lat.p99 <= 100 ? '✓' : '✗'} |`,
      )
    }
  }
}

/** Tables the benchmark's jobs fill while they run. */
const busyTables = sql`cooling_packs, cooling_pack_items, point_lots, point_ledger, point_accounts,
  point_grants, members, mall_orders, sessions`

/**
 * Test servers often run with autovacuum off (this one does); production runs it on, and its
 * ANALYZE keeps the planner's row counts close while jobs add rows. Without it the cooling close
 * job's plans go quadratic (see the README notes). So when autovacuum is off, the busy tables are
 * analyzed every 30 s, as autovacuum would (naptime 1 min); returns the stop function.
 */
async function autoanalyzeIfOff(db: Database): Promise<() => void> {
  const [setting] = await rows<{ on: string }>(
    db.db,
    sql`SELECT current_setting('autovacuum') AS on`,
  )
  if (setting?.on !== 'off') return () => {}
  console.log('autovacuum is off on this server: ANALYZE of the busy tables every 30 s stands in')
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    db.db
      .execute(sql`ANALYZE ${busyTables}`)
      .catch(() => {})
      .finally(() => (running = false))
  }, 30_000)
  return () => clearInterval(timer)
}

async function main() {
  if (SIZES.length === 0)
    throw new Error('--sizes: a comma list of member counts, e.g. 10000,100000')
  process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/test'
  const fresh = await freshPostgresDatabase()
  let server: ServerProcess | undefined
  let db: Database | undefined
  let api: Client | undefined
  let stopAnalyze = () => {}
  try {
    const t0 = performance.now()
    server = await ServerProcess.start(fresh.url)
    db = await openDatabase({ databaseUrl: fresh.url, dataDir: '', poolSize: 4 })
    const [version] = await rows<{ v: string }>(
      db.db,
      sql`SELECT current_setting('server_version') AS v`,
    )
    console.log(
      `bench:scale — sizes ${SIZES.map(fmt).join(' → ')}, PostgreSQL ${version?.v}, ` +
        `${os.cpus().length} CPUs, Node ${process.versions.node}; server in a child process ` +
        `(started, migrated and seeded in ${secs(performance.now() - t0)})`,
    )
    api = new Client(server.port)
    stopAnalyze = await autoanalyzeIfOff(db)
    const bench = new Bench(db, api, server)
    await bench.prepare()
    let have = 0
    for (const size of SIZES) {
      await bench.grow(size, have, size === SIZES[SIZES.length - 1])
      have = size
    }
    bench.summary()
  } finally {
    stopAnalyze()
    api?.close()
    await db?.close()
    await server?.stop()
    await fresh.drop()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
