// Times the points expiry on N members (default 20,000) with due lots, on PostgreSQL when
// DATABASE_URL is set (else PGlite): the per-member expiry (one transaction per member, as before)
// against the set-based one (one statement per batch of members), each on its own fresh copy of
// the same data, and checks that both write the same ledger. RUNS=3 repeats the pair (alternating,
// so that the machine's load weighs on both alike) and prints the spread. Prints figures; not a test.
import crypto from 'node:crypto'
import { sql } from 'drizzle-orm'
import { rows } from '../server/db/sql'
import { expirePoints, expirePointsPerMember } from '../server/modules/points/expiry'
import { startTestServer, type TestServer } from '../tests/support/server'
import { brokenInvariants, unionIdOf } from '../tests/support/points'

const N = Number(process.env.MEMBERS ?? 20_000)
const RUNS = Number(process.env.RUNS ?? 1)
const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite'
const DUE = new Date('2030-01-01T00:00:00Z')

/** N members, each with a lot of 10 that never expires and two due lots (5, then 4 points). */
async function fill(s: TestServer): Promise<void> {
  const db = s.database.db
  const union = await unionIdOf(db, '四方继保工会')
  await db.execute(
    sql`INSERT INTO members (member_no, name, union_id, roles)
        SELECT 'X' || lpad(n::text, 6, '0'), '到期' || n, ${union}, ARRAY['member']::text[]
        FROM generate_series(1, ${N}) AS n`,
  )
  await db.execute(
    sql`INSERT INTO point_accounts (member_id, balance)
        SELECT id, 19 FROM members WHERE member_no LIKE 'X%'`,
  )
  for (const [amount, expires, after] of [
    [10, null, 10],
    [5, DUE, 15],
    [4, new Date(DUE.getTime() - 86_400_000), 19],
  ] as const) {
    await db.execute(
      sql`WITH lots AS (
            INSERT INTO point_lots (member_id, kind, amount, remaining, expires_at, reason)
            SELECT id, 'grant', ${amount}, ${amount}, ${expires}::timestamptz, '基准'
            FROM members WHERE member_no LIKE 'X%' ORDER BY id
            RETURNING id, member_id
          )
          INSERT INTO point_ledger (member_id, kind, amount, balance_after, reason, lot_id)
          SELECT member_id, 'grant', ${amount}, ${after}, '基准', id FROM lots ORDER BY member_id`,
    )
  }
  await db.execute(sql`ANALYZE`)
}

/** The expire entries as (member number, lot amount, amount, balance after), in ledger order. */
async function ledgerDigest(s: TestServer): Promise<string> {
  const list = await rows<{ no: string; lot: number; amount: number; after: number }>(
    s.database.db,
    sql`SELECT m.member_no AS no, l.amount AS lot, e.amount, e.balance_after AS after
        FROM point_ledger e JOIN members m ON m.id = e.member_id JOIN point_lots l ON l.id = e.lot_id
        WHERE e.kind = 'expire' ORDER BY e.id`,
  )
  return `${list.length} entries, sha1 ${crypto.createHash('sha1').update(JSON.stringify(list)).digest('hex').slice(0, 12)}`
}

async function time(
  label: string,
  run: (s: TestServer) => Promise<{ members: number; points: number }>,
): Promise<{ ms: number; digest: string }> {
  const s = await startTestServer(engine, { expiryJobIntervalMs: 0 })
  try {
    const t0 = performance.now()
    await fill(s)
    const t1 = performance.now()
    const r = await run(s)
    const ms = performance.now() - t1
    const broken = await brokenInvariants(s.database.db)
    const digest = await ledgerDigest(s)
    console.log(
      `${label.padEnd(22)} ${ms.toFixed(0).padStart(7)} ms  ` +
        `(${r.members} members, ${r.points} points; fill ${(t1 - t0).toFixed(0)} ms; ` +
        `invariants ${broken.length === 0 ? 'ok' : broken.join(', ')}; ledger ${digest})`,
    )
    return { ms, digest }
  } finally {
    await s.close()
  }
}

const spread = (xs: number[], digits = 0) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const f = (x: number) => x.toFixed(digits)
  return `median ${f(sorted[Math.floor(sorted.length / 2)]!)} (min ${f(sorted[0]!)}, max ${f(sorted[sorted.length - 1]!)})`
}

async function main() {
  console.log(`points expiry, ${N} members × 2 due lots, on ${engine}, ${RUNS} run(s)`)
  const at = new Date(DUE.getTime() + 1000)
  const before: number[] = []
  const after: number[] = []
  const ratios: number[] = []
  let same = true
  for (let i = 0; i < RUNS; i++) {
    const b = await time('per member (before)', (s) => expirePointsPerMember(s.database.db, at))
    const a = await time('set-based (after)', (s) => expirePoints(s.database.db, at))
    same &&= a.digest === b.digest
    before.push(b.ms)
    after.push(a.ms)
    ratios.push(b.ms / a.ms)
    console.log(`run ${i + 1}: ${(b.ms / a.ms).toFixed(1)}× faster`)
  }
  console.log(same ? 'same ledger: yes' : 'same ledger: NO')
  if (RUNS > 1) {
    console.log(`per member ms: ${spread(before)}`)
    console.log(`set-based ms:  ${spread(after)}`)
    console.log(`speed-up:      ${spread(ratios, 1)}`)
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
