// Cooling at a federation's scale, on PostgreSQL when DATABASE_URL is set (else PGlite): N members
// (default 100,000) made by SQL under 北京市总工会, six campaigns of that union. Prints figures; not a
// test. (1) the staff overview: the former per-campaign subtree × members count against the
// aggregates per union (EXPLAIN ANALYZE execution times); (2) closing the big campaign as a job in
// batches while a member keeps asking for their campaigns (request latency during the close);
// (3) the packing list: first JSON page, and the CSV streamed (time, heap growth).
import { sql } from 'drizzle-orm'
import { first, rows } from '../server/db/sql'
import { packingListCsv } from '../server/modules/cooling/packing-list'
import { subtreeOf } from '../server/modules/org/union-tree'
import { campaignBody } from '../tests/support/cooling'
import { unionIdOf } from '../tests/support/points'
import { startTestServer } from '../tests/support/server'

const N = Number(process.env.MEMBERS ?? 100_000)
const RUNS = 5
const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite'

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6
const spread = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!
  return `median ${q(0.5).toFixed(1)} ms (min ${s[0]!.toFixed(1)}, p95 ${q(0.95).toFixed(1)}, max ${s.at(-1)!.toFixed(1)}; n=${s.length})`
}

async function main() {
  const s = await startTestServer(engine)
  const db = s.database.db
  try {
    const root = await unionIdOf(db, '北京市总工会')
    const leaves = (
      await rows<{ id: number }>(
        db,
        sql`SELECT id FROM ${subtreeOf(root)} down
            WHERE NOT EXISTS (SELECT 1 FROM unions c WHERE c.parent_id = down.id) ORDER BY id`,
      )
    ).map((u) => u.id)
    let t0 = process.hrtime.bigint()
    await db.execute(
      sql`INSERT INTO members (member_no, name, union_id, roles)
          SELECT 'B' || lpad(n::text, 7, '0'), '规模' || n,
                 (${sql.param(leaves)}::int[])[1 + n % ${leaves.length}], ARRAY['member']::text[]
          FROM generate_series(1, ${N}) AS n`,
    )
    await db.execute(sql`ANALYZE`)
    console.log(`${engine}: ${N} members over ${leaves.length} unions in ${ms(t0).toFixed(0)} ms`)
    const admin = await s.login('A0001')
    const member = await s.login('M0003')
    const ids: number[] = []
    for (let k = 0; k < 6; k++) {
      const res = await s.request({
        method: 'POST',
        url: '/api/v1/staff/cooling/campaigns',
        token: admin,
        body: campaignBody(root, {
          title: `规模活动 ${k + 1}`,
          items: [
            { name: '凉茶', quotaCost: 15, maxPerPack: 3, stock: 1_000_000 },
            { name: '矿泉水', quotaCost: 10, maxPerPack: 4, stock: 1_000_000 },
          ],
          defaultPack: [
            { itemIndex: 0, quantity: 2 },
            { itemIndex: 1, quantity: 2 },
          ],
        }),
      })
      ids.push((res.json() as { campaign: { id: number } }).campaign.id)
    }
    const big = ids[0]!

    // (2) Closing the big campaign as a job, while a member keeps asking for their campaigns.
    const latencies: number[] = []
    let closing = true
    const probe = (async () => {
      while (closing) {
        const t = process.hrtime.bigint()
        await s.request({ method: 'GET', url: '/api/v1/cooling/campaigns', token: member })
        latencies.push(ms(t))
        await new Promise((r) => setTimeout(r, 20))
      }
    })()
    t0 = process.hrtime.bigint()
    const started = await s.request({
      method: 'POST',
      url: `/api/v1/staff/cooling/campaigns/${big}/close`,
      token: admin,
    })
    const answered = ms(t0)
    for (;;) {
      const res = await s.request({
        method: 'GET',
        url: `/api/v1/staff/cooling/campaigns/${big}/close`,
        token: admin,
      })
      if ((res.json() as { close: { status: string } }).close.status !== 'running') break
      await new Promise((r) => setTimeout(r, 100))
    }
    const closeMs = ms(t0)
    closing = false
    await probe
    const packs = await first<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM cooling_packs WHERE campaign_id = ${big}`,
    )
    console.log(
      `close: ${started.statusCode} in ${answered.toFixed(0)} ms; ${packs?.n} default packs in ` +
        `${(closeMs / 1000).toFixed(1)} s (batches of 1,000); member requests meanwhile: ${spread(latencies)}`,
    )
    await db.execute(sql`ANALYZE`)

    // (1) The staff overview: before (a subtree × members count per campaign, all packs grouped)
    // and after (what staffCampaignRows runs now).
    const explain = async (query: ReturnType<typeof sql>) => {
      const [plan] = await rows<{ 'QUERY PLAN': Array<{ 'Execution Time': number }> }>(
        db,
        sql`EXPLAIN (ANALYZE, FORMAT JSON) ${query}`,
      )
      const p = plan!['QUERY PLAN']
      return (typeof p === 'string' ? JSON.parse(p) : p)[0]['Execution Time'] as number
    }
    const before = sql`SELECT c.id,
        (SELECT count(*)::int FROM ${subtreeOf(sql`c.union_id`)} down
         JOIN members m ON m.union_id = down.id WHERE 'member' = ANY(m.roles)) AS members,
        coalesce(pk.chosen, 0), coalesce(pk.defaulted, 0), coalesce(pk.shipped, 0)
      FROM cooling_campaigns c JOIN unions u ON u.id = c.union_id
      LEFT JOIN (SELECT campaign_id, count(*) FILTER (WHERE NOT is_default)::int AS chosen,
                        count(*) FILTER (WHERE is_default)::int AS defaulted,
                        count(*) FILTER (WHERE status IN ('shipped','received'))::int AS shipped
                 FROM cooling_packs GROUP BY campaign_id) pk ON pk.campaign_id = c.id
      WHERE c.union_id = ANY(${sql.param([root])}::int[])
      ORDER BY c.closes_at DESC, c.id DESC`
    const afterPacks = sql`SELECT campaign_id, count(*) FILTER (WHERE NOT is_default)::int,
        count(*) FILTER (WHERE is_default)::int,
        count(*) FILTER (WHERE status IN ('shipped', 'received'))::int,
        count(*) FILTER (WHERE status = 'received')::int
      FROM cooling_packs WHERE campaign_id = ANY(${sql.param(ids)}::int[]) GROUP BY campaign_id`
    const afterMembers = sql`WITH RECURSIVE tree(root, id, depth) AS (
          SELECT id, id, 0 FROM unions WHERE id = ANY(${sql.param([root])}::int[])
          UNION ALL
          SELECT tree.root, u.id, tree.depth + 1 FROM unions u JOIN tree ON u.parent_id = tree.id
          WHERE tree.depth < 64
        ), per_union AS (
          SELECT m.union_id, count(*)::int AS n FROM members m
          WHERE m.union_id IN (SELECT id FROM tree) AND 'member' = ANY(m.roles)
          GROUP BY m.union_id
        )
        SELECT tree.root, coalesce(sum(per_union.n), 0)::int AS n
        FROM (SELECT DISTINCT root, id FROM tree) tree
        JOIN per_union ON per_union.union_id = tree.id GROUP BY tree.root`
    if (engine === 'postgres') {
      const b: number[] = []
      const a: number[] = []
      for (let i = 0; i < RUNS; i++) {
        b.push(await explain(before))
        a.push((await explain(afterPacks)) + (await explain(afterMembers)))
      }
      console.log(`overview SQL before (EXPLAIN ANALYZE): ${spread(b)}`)
      console.log(`overview SQL after  (EXPLAIN ANALYZE): ${spread(a)}`)
    }
    const overview: number[] = []
    for (let i = 0; i < RUNS; i++) {
      t0 = process.hrtime.bigint()
      await s.request({ method: 'GET', url: '/api/v1/staff/cooling/campaigns', token: admin })
      overview.push(ms(t0))
    }
    console.log(`GET /staff/cooling/campaigns (6 campaigns, ${N} members): ${spread(overview)}`)

    // (3) The packing list: the first JSON page, then the CSV streamed from the generator.
    const page: number[] = []
    for (let i = 0; i < RUNS; i++) {
      t0 = process.hrtime.bigint()
      await s.request({
        method: 'GET',
        url: `/api/v1/staff/cooling/campaigns/${big}/packing-list?limit=500`,
        token: admin,
      })
      page.push(ms(t0))
    }
    console.log(`packing list JSON, first page of 500 of ${packs?.n}: ${spread(page)}`)
    global.gc?.()
    const heap0 = process.memoryUsage().heapUsed
    let peak = heap0
    let bytes = 0
    t0 = process.hrtime.bigint()
    const campaign = { id: big }
    for await (const chunk of packingListCsv(db, campaign)) {
      bytes += Buffer.byteLength(chunk)
      peak = Math.max(peak, process.memoryUsage().heapUsed)
    }
    console.log(
      `packing list CSV streamed: ${(bytes / 1e6).toFixed(1)} MB in ${(ms(t0) / 1000).toFixed(2)} s; ` +
        `heap peak +${((peak - heap0) / 1e6).toFixed(1)} MB over the start`,
    )
  } finally {
    await s.close()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
