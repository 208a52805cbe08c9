import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import pg from 'pg'
import { sql } from 'drizzle-orm'
import { first, rows } from '../../server/db/sql'
import { countMismatches } from '../support/counts'
import { unionIdOf } from '../support/points'
import { engines, startTestServer, type TestServer } from '../support/server'

// The counts the database maintains (migration 0013) by statement triggers: each kind of change
// to members and packs — many rows in one statement, role and union changes, binding, deletes,
// shipping — leaves them equal to a recount, and a change to nothing counted writes no count.
for (const engine of engines()) {
  describe(`maintained counts on ${engine}`, () => {
    let s: TestServer
    let xiaomi: number
    let sifang: number

    before(async () => {
      s = await startTestServer(engine)
      xiaomi = await unionIdOf(s.database.db, '小米工会')
      sifang = await unionIdOf(s.database.db, '四方继保工会')
    })
    after(async () => {
      await s?.close()
    })

    const db = () => s.database.db
    const kept = async (unionId: number) =>
      (await first<{ members: number; role_members: number; bound: number }>(
        db(),
        sql`SELECT members, role_members, bound FROM union_member_counts WHERE union_id = ${unionId}`,
      )) ?? { members: 0, role_members: 0, bound: 0 }

    test('the demo data is counted by the migration', async () => {
      assert.deepEqual(await countMismatches(db()), [])
      const n = await first<{ n: number }>(
        db(),
        sql`SELECT count(*)::int AS n FROM members WHERE union_id = ${sifang}`,
      )
      assert.equal((await kept(sifang)).members, n?.n)
      assert.ok((n?.n ?? 0) > 0)
    })

    test('members inserted, re-roled, moved, bound, renamed and deleted', async () => {
      const before = await kept(xiaomi)
      await db().execute(
        sql`INSERT INTO members (member_no, name, union_id, roles)
            SELECT 'K' || lpad(n::text, 6, '0'), '计数' || n,
                   CASE WHEN n % 2 = 0 THEN ${xiaomi}::int ELSE ${sifang}::int END,
                   CASE WHEN n % 5 = 0 THEN ARRAY['lawyer']::text[] ELSE ARRAY['member']::text[] END
            FROM generate_series(1, 500) AS n`,
      )
      const added = await kept(xiaomi)
      assert.equal(added.members - before.members, 250)
      assert.equal(added.role_members - before.role_members, 200)
      assert.deepEqual(await countMismatches(db()), [])

      // A rename changes nothing counted: the count row is not even written (its xmin stays).
      const xmin = async () =>
        (
          await first<{ x: string }>(
            db(),
            sql`SELECT xmin::text AS x FROM union_member_counts WHERE union_id = ${xiaomi}`,
          )
        )?.x
      const was = await xmin()
      await db().execute(sql`UPDATE members SET name = name || '改' WHERE member_no LIKE 'K%'`)
      assert.equal(await xmin(), was, 'a rename writes no count')

      await db().execute(
        sql`UPDATE members SET roles = ARRAY['member', 'lawyer']::text[]
            WHERE member_no LIKE 'K%' AND 'lawyer' = ANY(roles)`,
      )
      await db().execute(
        sql`UPDATE members SET union_id = ${xiaomi} WHERE member_no IN ('K000001', 'K000003')`,
      )
      await db().execute(
        sql`UPDATE members SET wechat_openid = 'o-count-' || member_no
            WHERE member_no LIKE 'K00001%'`,
      )
      assert.deepEqual(await countMismatches(db()), [])
      const moved = await kept(xiaomi)
      assert.equal(moved.members - before.members, 252)
      assert.equal(moved.role_members - before.role_members, 252)
      assert.equal(moved.bound - before.bound, 5, 'K000010…K000018, the even ones in 小米')

      await db().execute(sql`DELETE FROM members WHERE member_no LIKE 'K%'`)
      assert.deepEqual(await kept(xiaomi), before)
      assert.deepEqual(await countMismatches(db()), [])
    })

    test('a count never goes below zero: the CHECK holds it', async () => {
      await assert.rejects(
        db().execute(sql`UPDATE union_member_counts SET members = -1 WHERE union_id = ${xiaomi}`),
        (e: Error & { cause?: Error }) =>
          /violates check constraint "union_member_counts_/.test(e.cause?.message ?? e.message),
      )
    })

    test('the points ledger is append-only: update, delete and truncate refused', async () => {
      const refused = (e: Error & { cause?: Error }) =>
        /point_ledger is append-only/.test(e.cause?.message ?? e.message)
      await assert.rejects(db().execute(sql`UPDATE point_ledger SET amount = amount + 1`), refused)
      await assert.rejects(db().execute(sql`DELETE FROM point_ledger`), refused)
      await assert.rejects(db().execute(sql`TRUNCATE point_ledger CASCADE`), refused)
      const n = await first<{ n: number }>(db(), sql`SELECT count(*)::int AS n FROM point_ledger`)
      assert.ok((n?.n ?? 0) > 0, 'the demo ledger is still there')
    })

    test('packs created in bulk, shipped, received and deleted', async () => {
      const admin = await first<{ id: number }>(
        db(),
        sql`SELECT id FROM members WHERE 'admin' = ANY(roles) LIMIT 1`,
      )
      const campaign = await first<{ id: number }>(
        db(),
        sql`INSERT INTO cooling_campaigns (union_id, title, opens_at, closes_at, quota, max_items, created_by)
            VALUES (${sifang}, '计数活动', now() - interval '1 day', now() + interval '1 day', 100, 5, ${admin?.id})
            RETURNING id`,
      )
      const c = campaign!.id
      const item = await first<{ id: number }>(
        db(),
        sql`INSERT INTO cooling_items (campaign_id, name, quota_cost, max_per_pack, stock, stock_left, position)
            VALUES (${c}, '凉茶', 10, 3, 1000, 1000, 0) RETURNING id`,
      )
      const members = await rows<{ id: number }>(
        db(),
        sql`SELECT id FROM members WHERE union_id = ${sifang} ORDER BY id LIMIT 20`,
      )
      assert.equal(members.length, 20)
      await db().execute(
        sql`INSERT INTO cooling_packs (campaign_id, member_id, quota_used, quota_limit, delivery_kind, is_default)
            SELECT ${c}, id, 10, 100, 'pickup', (row_number() OVER (ORDER BY id)) % 4 = 0
            FROM members WHERE id = ANY(${sql.param(members.map((m) => m.id))}::int[])`,
      )
      await db().execute(
        sql`INSERT INTO cooling_pack_items (pack_id, item_id, quantity)
            SELECT p.id, ${item!.id}, 1 FROM cooling_packs p WHERE p.campaign_id = ${c}`,
      )
      const sums = async () =>
        first<{ chosen: number; defaulted: number; shipped: number; received: number }>(
          db(),
          sql`SELECT sum(chosen)::int AS chosen, sum(defaulted)::int AS defaulted,
                     sum(shipped)::int AS shipped, sum(received)::int AS received
              FROM cooling_pack_counts WHERE campaign_id = ${c}`,
        )
      assert.deepEqual(await sums(), { chosen: 15, defaulted: 5, shipped: 0, received: 0 })
      const shards = await first<{ n: number }>(
        db(),
        sql`SELECT count(*)::int AS n FROM cooling_pack_counts WHERE campaign_id = ${c}`,
      )
      assert.equal(shards?.n, 16, 'twenty consecutive members fall in all 16 shards')
      await db().execute(
        sql`UPDATE cooling_packs SET status = 'shipped', shipped_at = now()
            WHERE campaign_id = ${c} AND member_id % 2 = 0`,
      )
      await db().execute(
        sql`UPDATE cooling_packs SET status = 'received', received_at = now()
            WHERE campaign_id = ${c} AND member_id % 4 = 0`,
      )
      assert.deepEqual(await sums(), { chosen: 15, defaulted: 5, shipped: 10, received: 5 })
      assert.deepEqual(await countMismatches(db()), [])
      await db().execute(sql`DELETE FROM cooling_pack_items WHERE pack_id IN
                               (SELECT id FROM cooling_packs WHERE campaign_id = ${c})`)
      await db().execute(sql`DELETE FROM cooling_packs WHERE campaign_id = ${c}`)
      assert.deepEqual(await sums(), { chosen: 0, defaulted: 0, shipped: 0, received: 0 })
      assert.deepEqual(await countMismatches(db()), [])
    })
  })
}

// Many statements at once on PostgreSQL: 20 connections, 400 transactions that each add members
// to two unions in opposite orders, move one across, bind and unbind, and insert and ship packs
// over every shard. No deadlock (count rows are locked in key order), no lost update.
describe(
  'maintained counts under concurrent writes on PostgreSQL',
  {
    skip: !process.env.DATABASE_URL && 'DATABASE_URL is not set',
  },
  () => {
    let s: TestServer
    after(async () => {
      await s?.close()
    })

    test('400 racing transactions leave every count equal to a recount', async () => {
      s = await startTestServer('postgres')
      const pool = new pg.Pool({ connectionString: s.config.databaseUrl, max: 20 })
      pool.on('error', () => {
        /* an idle client cut off when the test database is dropped */
      })
      try {
        const xiaomi = await unionIdOf(s.database.db, '小米工会')
        const sifang = await unionIdOf(s.database.db, '四方继保工会')
        const admin = await first<{ id: number }>(
          s.database.db,
          sql`SELECT id FROM members WHERE 'admin' = ANY(roles) LIMIT 1`,
        )
        const campaign = await first<{ id: number }>(
          s.database.db,
          sql`INSERT INTO cooling_campaigns (union_id, title, opens_at, closes_at, quota, max_items, created_by)
            VALUES (${sifang}, '并发计数', now() - interval '1 day', now() + interval '1 day', 100, 5, ${admin?.id})
            RETURNING id`,
        )
        let inFlight = 0
        let peak = 0
        const failures: string[] = []
        await Promise.all(
          Array.from({ length: 400 }, async (_, i) => {
            const c = await pool.connect()
            inFlight++
            peak = Math.max(peak, inFlight)
            try {
              await c.query('BEGIN')
              const [a, b] = i % 2 === 0 ? [xiaomi, sifang] : [sifang, xiaomi]
              const added = await c.query<{ id: number }>(
                `INSERT INTO members (member_no, name, union_id, roles)
               VALUES ($1, '并发', $2, ARRAY['member']), ($3, '并发', $4, ARRAY['member', 'lawyer'])
               RETURNING id`,
                [`R${i}a`, a, `R${i}b`, b],
              )
              // Swap the first one's union and bind it only on every third.
              await c.query(
                `UPDATE members SET union_id = $2,
                 wechat_openid = CASE WHEN $3 THEN 'o-race-' || member_no END WHERE id = $1`,
                [added.rows[0].id, b, i % 3 === 0],
              )
              await c.query(
                `INSERT INTO cooling_packs (campaign_id, member_id, quota_used, quota_limit, delivery_kind, is_default)
               SELECT $1, id, 0, 100, 'pickup', id % 2 = 0 FROM members WHERE id = ANY($2::int[])`,
                [campaign!.id, added.rows.map((r) => r.id)],
              )
              await c.query(
                `UPDATE cooling_packs SET status = 'shipped', shipped_at = now()
               WHERE campaign_id = $1 AND member_id = $2`,
                [campaign!.id, added.rows[1].id],
              )
              await c.query('COMMIT')
            } catch (err) {
              failures.push(String(err))
              await c.query('ROLLBACK')
            } finally {
              inFlight--
              c.release()
            }
          }),
        )
        assert.deepEqual(failures, [])
        assert.ok(peak >= 15, `transactions overlapped (peak ${peak})`)
        assert.deepEqual(await countMismatches(s.database.db), [])
        const packs = await first<{ chosen: number; defaulted: number; shipped: number }>(
          s.database.db,
          sql`SELECT sum(chosen)::int AS chosen, sum(defaulted)::int AS defaulted,
                   sum(shipped)::int AS shipped
            FROM cooling_pack_counts WHERE campaign_id = ${campaign!.id}`,
        )
        assert.equal(packs!.chosen + packs!.defaulted, 800)
        assert.equal(packs!.shipped, 400)
      } finally {
        await pool.end()
      }
    })
  },
)
