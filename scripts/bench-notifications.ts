// Times the subscribe-message sender on N messages (default 1,000) against the local fake WeChat,
// on PostgreSQL when DATABASE_URL is set (else PGlite): N members bound to WeChat with one
// subscription each, one outbox row each, then one `sendDue` run. RUNS=3 repeats it on fresh
// data and prints the spread. Prints figures; not a test.
import { sql } from 'drizzle-orm'
import { configFromEnv } from '../server/config'
import { first } from '../server/db/sql'
import { startFakeWechat } from '../tests/support/fake-wechat'
import { unionIdOf } from '../tests/support/points'
import { startTestServer } from '../tests/support/server'

const N = Number(process.env.MESSAGES ?? 1000)
const RUNS = Number(process.env.RUNS ?? 1)
const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite'
const APP = { appId: 'wx-bench', appSecret: 'wx-bench-secret' }

async function once(run: number): Promise<number> {
  const wechat = await startFakeWechat(APP.appId, APP.appSecret)
  const s = await startTestServer(engine, {
    wechat: { ...APP, baseUrl: wechat.baseUrl },
    notifications: { ...configFromEnv({}).notifications, intervalMs: 0 },
    expiryJobIntervalMs: 0,
  })
  try {
    const db = s.database.db
    const union = await unionIdOf(db, '四方继保工会')
    const prefix = `N${run}`
    await db.execute(
      sql`INSERT INTO members (member_no, name, union_id, roles, wechat_openid)
          SELECT ${prefix} || lpad(n::text, 6, '0'), '提醒' || n, ${union}, ARRAY['member']::text[],
                 'bench-openid-' || ${prefix} || n
          FROM generate_series(1, ${N}) AS n`,
    )
    await db.execute(
      sql`INSERT INTO subscriptions (member_id, key, remaining)
          SELECT id, 'pack_shipped', 1 FROM members WHERE member_no LIKE ${`${prefix}%`}`,
    )
    await db.execute(
      sql`INSERT INTO outbox (member_id, key, page, title, body, data, dedupe_key)
          SELECT id, 'pack_shipped', 'pages/home/index', '基准', '基准', '{}'::jsonb,
                 'bench:' || id
          FROM members WHERE member_no LIKE ${`${prefix}%`}`,
    )
    const t0 = performance.now()
    const result = await s.app.notifier.sendDue(new Date(Date.now() + 1000))
    const ms = performance.now() - t0
    const sent = await first<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM outbox WHERE status = 'sent'`,
    )
    if (result.sent !== N || sent?.n !== N || wechat.messages.length !== N) {
      throw new Error(`expected ${N} sent, got ${JSON.stringify(result)} / ${sent?.n}`)
    }
    return ms
  } finally {
    await s.close()
    await wechat.close()
  }
}

async function main() {
  const times: number[] = []
  for (let r = 0; r < RUNS; r++) {
    const ms = await once(r)
    times.push(ms)
    console.log(
      `${engine}: ${N} messages sent in ${ms.toFixed(0)} ms (${((N / ms) * 1000).toFixed(0)}/s)`,
    )
  }
  if (times.length > 1) {
    const rates = times.map((ms) => (N / ms) * 1000).sort((a, b) => a - b)
    console.log(
      `${engine}: rate min ${rates[0].toFixed(0)}/s, median ${rates[Math.floor(rates.length / 2)].toFixed(0)}/s, max ${rates[rates.length - 1].toFixed(0)}/s over ${RUNS} runs`,
    )
  }
}

void main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
