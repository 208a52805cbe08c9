/**
 * The staff lines of an existing large database:
 * `DATABASE_URL=… npm run bench:staff [-- N] [--probe]`.
 *
 * Runs the real server on that PostgreSQL database in its own process (scripts/bench-scale-server.ts,
 * as `npm run bench:scale` does; the database must hold the demo roles S0001, A0001 and
 * 北京市总工会, as one grown by bench:scale does) and prints p50/p99 of the staff lists — cooling
 * campaigns, the federation's grant preview, members (first page and search) and the 数据看板 —
 * at 20 concurrent clients, N requests each (default 300). With `--probe`, then the p99 of
 * `GET /points` of a member outside the federation, from 20 clients without pause, idle for 5 s,
 * while a grant to the whole federation runs and while the expiry of a due lot of every member of
 * it runs (goal ≤ 100 ms). It writes to the database (sessions, a grant, due lots, their expiry).
 * Figures, not a test.
 */
import { fork } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'drizzle-orm'
import { openDatabase } from '../server/db/client'
import { first } from '../server/db/sql'
import { createSessions } from '../server/lib/sessions'
import { seedDueLots } from './bench-scale-data'
import { Client, closedLoop, continuous, idempotencyKey, type Latency } from './bench-scale-load'

const CONCURRENCY = 20
const REQUESTS = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 300)
const PROBE = process.argv.includes('--probe')

const ms = (x: number) => `${Math.round(x)} ms`
const line = (name: string, lat: Latency) =>
  console.log(
    `${name.padEnd(58)} n ${String(lat.n).padStart(6)}  p50 ${ms(lat.p50).padStart(7)}  p99 ${ms(lat.p99).padStart(7)}  max ${ms(lat.max).padStart(7)}${Object.keys(lat.failed).length ? `  failed ${JSON.stringify(lat.failed)}` : ''}`,
  )

async function main() {
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) throw new Error('DATABASE_URL: the database to measure')
  const child = fork(path.join(__dirname, 'bench-scale-server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, LOG: '0' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server process exited (${code})`)))
    child.once('message', (m: { port: number }) => resolve(m.port))
  })
  const db = await openDatabase({ databaseUrl, dataDir: '', poolSize: 2 })
  try {
    const api = new Client(port)
    const id = async (q: ReturnType<typeof sql>) => {
      const row = await first<{ id: number }>(db.db, q)
      if (!row) throw new Error('bench: a fixture row is missing')
      return row.id
    }
    const token = async (memberNo: string) =>
      (
        await createSessions(
          db.db,
          [await id(sql`SELECT id FROM members WHERE member_no = ${memberNo}`)],
          'dev',
          6 * 3600,
        )
      )[0]!
    const fed = await id(sql`SELECT id FROM unions WHERE name = '北京市总工会'`)
    const staff = await token('S0001')
    const admin = await token('A0001')
    const n = await first<{ n: number }>(db.db, sql`SELECT count(*)::int AS n FROM members`)
    const load = () =>
      os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')
    console.log(`bench:staff — ${n?.n} members, ${CONCURRENCY} concurrent, load ${load()}`)
    const cases: Array<[string, (i: number) => ReturnType<Client['request']>]> = [
      [
        'staff GET /staff/cooling/campaigns',
        () => api.request('GET', '/staff/cooling/campaigns', { token: staff }),
      ],
      [
        'staff POST grants/preview (federation)',
        () =>
          api.request('POST', '/staff/points/grants/preview', {
            token: staff,
            body: { unionId: fed },
          }),
      ],
      [
        'staff GET /staff/members (first page)',
        () => api.request('GET', '/staff/members', { token: staff }),
      ],
      [
        'staff GET /staff/members?q= (search)',
        (i) =>
          api.request(
            'GET',
            `/staff/members?q=${encodeURIComponent(`规模${((i * 7919) % 9000) + 1000}`)}`,
            { token: staff },
          ),
      ],
      [
        'staff GET /staff/stats (federation, this year)',
        () => api.request('GET', `/staff/stats?unionId=${fed}`, { token: staff }),
      ],
    ]
    for (const [name, send] of cases) {
      line(
        name,
        await closedLoop(send, {
          requests: REQUESTS,
          concurrency: CONCURRENCY,
          warmup: 20,
          expect: 200,
        }),
      )
    }
    if (!PROBE) return

    const outsider = await createSessions(
      db.db,
      [
        await id(
          sql`WITH RECURSIVE fed AS (SELECT ${fed}::int AS id
                UNION ALL SELECT u.id FROM unions u JOIN fed ON u.parent_id = fed.id)
              SELECT id FROM members WHERE member_no LIKE 'M%' AND union_id NOT IN (SELECT id FROM fed)
              ORDER BY id LIMIT 1`,
        ),
      ],
      'dev',
      6 * 3600,
    )
    const probeWhile = async <T>(work: () => Promise<T>) => {
      const probe = continuous(
        () => api.request('GET', '/points', { token: outsider[0] }),
        CONCURRENCY,
        200,
      )
      const t0 = performance.now()
      const result = await work()
      return { lat: await probe.stop(), result, took: performance.now() - t0 }
    }
    /** Follows a job-like answer until it is no longer running. */
    const follow = async (url: string, tok: string, key: 'grant' | 'job') => {
      for (;;) {
        const res = await api.request('GET', url, { token: tok })
        const body = JSON.parse(res.body.toString()) as Record<string, { status: string }>
        if (body[key]?.status !== 'running') return body[key]
        await sleep(250)
      }
    }
    line('GET /points, outsider, idle (5 s)', (await probeWhile(() => sleep(5000))).lat)
    const grant = await probeWhile(async () => {
      const res = await api.request('POST', '/staff/points/grants', {
        token: staff,
        headers: { 'idempotency-key': idempotencyKey() },
        body: { amount: 1, reason: '规模测试：探测发放', unionId: fed },
      })
      const body = JSON.parse(res.body.toString()) as { grant?: { id: number } }
      if (res.status === 202)
        return follow(`/staff/points/grants/${body.grant!.id}`, staff, 'grant')
      return body
    })
    line(`… while a grant to 北京市总工会 runs (${(grant.took / 1000).toFixed(1)} s)`, grant.lat)
    const adminId = await id(sql`SELECT id FROM members WHERE member_no = 'A0001'`)
    const due = await seedDueLots(db.db, { actorId: adminId, unionId: fed, amount: 3 })
    const expiry = await probeWhile(async () => {
      const res = await api.request('POST', '/admin/jobs/expiry/run', { token: admin })
      const body = JSON.parse(res.body.toString()) as { job: { id: number } }
      return follow(`/admin/jobs/${body.job.id}`, admin, 'job')
    })
    line(
      `… while expiry of ${due} members' due lots runs (${(expiry.took / 1000).toFixed(1)} s)`,
      expiry.lat,
    )
    console.log(`load at the end ${load()}`)
  } finally {
    await db.close()
    child.send({ stop: true })
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
