// A grant to many members as a durable job (202, batches, exact total, resumes after a crash
// without granting twice), who may follow it; and the set-based expiry on many members.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { first, rows } from '../../server/db/sql'
import { expirePoints, expirePointsPerMember } from '../../server/modules/points/expiry'
import { GRANT_BATCH, GRANT_JOB } from '../../server/modules/points/grants'
import {
  grantJobResponse,
  grantPreviewResponse,
  grantResponse,
  type GrantJob,
} from '../../src/contract/points'
import { engines, startTestServer, type TestServer } from '../support/server'
import { brokenInvariants, memberIdOf, unionIdOf } from '../support/points'

const SIFANG = '四方继保工会'
const XIAOMI = '小米工会'
/** Members added under 四方继保工会, so that a grant to it runs several batches. */
const EXTRA = 2 * GRANT_BATCH + 250

for (const engine of engines()) {
  describe(`points jobs on ${engine}`, () => {
    let s: TestServer
    const tok: Record<string, string> = {}

    before(async () => {
      // A small threshold: any grant to more than 5 members is a job.
      s = await startTestServer(engine, { grantJobThreshold: 5 })
      for (const no of ['A0001', 'S0001', 'S0101']) tok[no] = await s.login(no)
      const sifang = await unionIdOf(s.database.db, SIFANG)
      await s.database.db.execute(
        sql`INSERT INTO members (member_no, name, union_id, roles)
            SELECT 'G' || lpad(n::text, 5, '0'), '批量' || n, ${sifang}, ARRAY['member']::text[]
            FROM generate_series(1, ${EXTRA}) AS n`,
      )
    })
    after(async () => {
      await s?.close()
    })

    const grant = (token: string, body: object) =>
      s.request({ method: 'POST', url: '/api/v1/staff/points/grants', token, body })
    const follow = (token: string, id: number) =>
      s.request({ method: 'GET', url: `/api/v1/staff/points/grants/${id}`, token })

    /** Polls the grant until its job is over. */
    const until = async (token: string, id: number): Promise<GrantJob> => {
      for (let i = 0; i < 400; i++) {
        const res = await follow(token, id)
        assert.equal(res.statusCode, 200, res.body)
        const g = grantJobResponse.parse(res.json()).grant
        if (g.status !== 'running') return g
        await new Promise((r) => setTimeout(r, 25))
      }
      throw new Error('grant did not end')
    }

    /** Members of the grant's lots, with how many lots each (each must be 1). */
    const lotsOf = (grantId: number) =>
      rows<{ member_id: number; n: number }>(
        s.database.db,
        sql`SELECT member_id, count(*)::int AS n FROM point_lots WHERE grant_id = ${grantId}
            GROUP BY member_id ORDER BY member_id`,
      )
    const membersUnder = async (union: string) => {
      const id = await unionIdOf(s.database.db, union)
      return (
        await rows<{ id: number }>(
          s.database.db,
          sql`WITH RECURSIVE down AS (SELECT id FROM unions WHERE id = ${id}
                UNION ALL SELECT u.id FROM unions u JOIN down d ON u.parent_id = d.id)
              SELECT id FROM members WHERE union_id IN (SELECT id FROM down) ORDER BY id`,
        )
      ).map((m) => m.id)
    }

    test('a grant to many members answers 202 and a job grants each member once, in batches', async () => {
      const union = await unionIdOf(s.database.db, SIFANG)
      const reached = await membersUnder(SIFANG)
      assert.ok(reached.length > 2 * GRANT_BATCH)
      const res = await grant(tok.S0101!, { amount: 7, reason: '批量发放测试', unionId: union })
      assert.equal(res.statusCode, 202, res.body)
      const started = grantJobResponse.parse(res.json()).grant
      assert.equal(started.status, 'running')
      assert.equal(started.total, reached.length)
      const done = await until(tok.S0101!, started.id)
      assert.deepEqual(done, {
        id: started.id,
        status: 'done',
        total: reached.length,
        granted: reached.length,
      })
      const lots = await lotsOf(started.id)
      assert.deepEqual(
        lots.map((l) => l.member_id),
        reached,
      )
      assert.ok(lots.every((l) => l.n === 1))
      const ledger = await first<{ n: number; sum: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n, sum(e.amount)::int AS sum FROM point_ledger e
            JOIN point_lots l ON l.id = e.lot_id WHERE l.grant_id = ${started.id} AND e.kind = 'grant'`,
      )
      assert.deepEqual(ledger, { n: reached.length, sum: 7 * reached.length })
      const job = await first<{ status: string; total: number; done: number }>(
        s.database.db,
        sql`SELECT j.status, j.total, j.done FROM jobs j
            JOIN point_grants g ON g.job_id = j.id WHERE g.id = ${started.id}`,
      )
      assert.deepEqual(job, { status: 'done', total: reached.length, done: reached.length })
      assert.deepEqual(await brokenInvariants(s.database.db), [])
    })

    test('listed members above the threshold are a job too; below it the grant answers 201', async () => {
      const listed = (await membersUnder(XIAOMI)).slice(0, 8)
      assert.equal(listed.length, 8)
      const res = await grant(tok.S0001!, { amount: 3, reason: '名单发放', memberIds: listed })
      assert.equal(res.statusCode, 202, res.body)
      const started = grantJobResponse.parse(res.json()).grant
      const done = await until(tok.S0001!, started.id)
      assert.deepEqual([done.status, done.total, done.granted], ['done', 8, 8])
      assert.deepEqual(
        (await lotsOf(started.id)).map((l) => l.member_id),
        listed,
      )
      const small = await grant(tok.S0001!, {
        amount: 3,
        reason: '名单发放',
        memberIds: listed.slice(0, 5),
      })
      assert.equal(small.statusCode, 201, small.body)
      assert.equal(grantResponse.parse(small.json()).granted, 5)
      assert.deepEqual(await brokenInvariants(s.database.db), [])
    })

    test('a job whose worker died mid-way resumes after its last batch and grants nobody twice', async () => {
      const admin = await memberIdOf(s.database.db, 'A0001')
      const union = await unionIdOf(s.database.db, SIFANG)
      const reached = await membersUnder(SIFANG)
      // As if a dead worker had started the job and committed its first batch.
      const job = (await first<{ id: number }>(
        s.database.db,
        sql`INSERT INTO jobs (name, created_by, locked_by, locked_until, attempts, total)
            VALUES (${GRANT_JOB}, ${admin}, 'dead-worker', now() + interval '1 hour', 1,
                    ${reached.length})
            RETURNING id`,
      ))!.id
      const grantId = (await first<{ id: number }>(
        s.database.db,
        sql`INSERT INTO point_grants (actor_id, amount, reason, union_id, member_count, status, job_id)
            VALUES (${admin}, 11, '中断续跑', ${union}, ${reached.length}, 'running', ${job})
            RETURNING id`,
      ))!.id
      await s.database.db.execute(
        sql`UPDATE jobs SET payload = ${JSON.stringify({ grantId })}::jsonb WHERE id = ${job}`,
      )
      const { grantBatch } = await import('../../server/modules/points/grants')
      await s.database.db.transaction((tx) =>
        grantBatch(
          tx,
          { id: grantId, amount: 11, reason: '中断续跑', expiresAt: null },
          reached.slice(0, GRANT_BATCH),
        ),
      )
      // The lease is alive: nobody else touches the job.
      await s.app.jobQueue.kick()
      const held = await follow(tok.A0001!, grantId)
      assert.deepEqual(grantJobResponse.parse(held.json()).grant, {
        id: grantId,
        status: 'running',
        total: reached.length,
        granted: GRANT_BATCH,
      })
      // The lease runs out: the job is claimed again and resumes.
      await s.database.db.execute(
        sql`UPDATE jobs SET locked_until = now() - interval '1 second' WHERE id = ${job}`,
      )
      await s.app.jobQueue.kick()
      const done = await until(tok.A0001!, grantId)
      assert.deepEqual(
        [done.status, done.total, done.granted],
        ['done', reached.length, reached.length],
      )
      const lots = await lotsOf(grantId)
      assert.deepEqual(
        lots.map((l) => l.member_id),
        reached,
      )
      assert.ok(
        lots.every((l) => l.n === 1),
        'every member exactly once',
      )
      const attempts = await first<{ attempts: number; status: string }>(
        s.database.db,
        sql`SELECT attempts, status FROM jobs WHERE id = ${job}`,
      )
      assert.deepEqual(attempts, { attempts: 2, status: 'done' })
      // A batch run again on members who already hold the lot grants nothing.
      const again = await s.database.db.transaction((tx) =>
        grantBatch(
          tx,
          { id: grantId, amount: 11, reason: '中断续跑', expiresAt: null },
          reached.slice(0, 10),
        ),
      )
      assert.equal(again, 0)
      assert.deepEqual(await brokenInvariants(s.database.db), [])
    })

    test('only staff over the grant’s union, its maker and admins may follow it', async () => {
      const union = await unionIdOf(s.database.db, XIAOMI)
      const res = await grant(tok.S0001!, { amount: 1, reason: '范围测试', unionId: union })
      assert.equal(res.statusCode, 202, res.body)
      const id = grantJobResponse.parse(res.json()).grant.id
      await until(tok.S0001!, id)
      assert.equal((await follow(tok.A0001!, id)).statusCode, 200)
      // 石景山 staff has no say over 小米工会.
      assert.equal((await follow(tok.S0101!, id)).statusCode, 403)
      const member = await s.login('M0001')
      assert.equal((await follow(member, id)).statusCode, 403)
      assert.equal((await follow(tok.A0001!, 999_999)).statusCode, 404)
      // A listed grant: its maker (and admins) only.
      const listed = (await membersUnder(XIAOMI)).slice(0, 6)
      const byList = await grant(tok.S0001!, { amount: 1, reason: '范围测试', memberIds: listed })
      const listId = grantJobResponse.parse(byList.json()).grant.id
      await until(tok.S0001!, listId)
      assert.equal((await follow(tok.A0001!, listId)).statusCode, 200)
      assert.equal((await follow(tok.S0101!, listId)).statusCode, 403)
    })

    test('the preview of a union of thousands counts them all and names the first five by number', async () => {
      const sjs = await unionIdOf(s.database.db, '石景山区总工会')
      const reached = await membersUnder('石景山区总工会')
      assert.ok(reached.length > 2 * GRANT_BATCH)
      const first5 = await rows<{ id: number; member_no: string }>(
        s.database.db,
        sql`SELECT id, member_no FROM members WHERE id = ANY(${sql.param(reached)}::int[])
            ORDER BY member_no LIMIT 5`,
      )
      const res = await s.request({
        method: 'POST',
        url: '/api/v1/staff/points/grants/preview',
        token: tok.S0101,
        body: { unionId: sjs },
      })
      assert.equal(res.statusCode, 200, res.body)
      const p = grantPreviewResponse.parse(res.json())
      assert.equal(p.memberCount, reached.length)
      assert.deepEqual(
        p.sample.map((m) => [m.id, m.memberNo]),
        first5.map((m) => [m.id, m.member_no]),
      )
      // A list: its own members, first by number.
      const listed = reached.slice(-7)
      const byList = await s.request({
        method: 'POST',
        url: '/api/v1/staff/points/grants/preview',
        token: tok.S0101,
        body: { memberIds: listed },
      })
      const q = grantPreviewResponse.parse(byList.json())
      assert.equal(q.memberCount, 7)
      assert.equal(q.sample.length, 5)
      assert.ok(q.sample.every((m) => listed.includes(m.id)))
    })

    test('set-based expiry writes the same ledger as the per-member expiry', async () => {
      // Two grants with expiries to the same members, partly spent: run the old expiry on a copy
      // of the lots' state and compare the ledgers entry by entry (order within each member).
      const members = (await membersUnder(SIFANG)).slice(0, 300)
      const admin = await memberIdOf(s.database.db, 'A0001')
      const soon = new Date(Date.now() + 86_400_000)
      const later = new Date(Date.now() + 2 * 86_400_000)
      const { grantPoints } = await import('../../server/modules/points/grants')
      await s.database.db.transaction(async (tx) => {
        await grantPoints(tx, {
          actorId: admin,
          amount: 5,
          reason: 'A',
          expiresAt: later,
          memberIds: members,
        })
        await grantPoints(tx, {
          actorId: admin,
          amount: 4,
          reason: 'B',
          expiresAt: soon,
          memberIds: members.filter((m) => m % 2 === 0),
        })
      })
      const cut = await first<{ id: number }>(
        s.database.db,
        sql`SELECT coalesce(max(id), 0)::int AS id FROM point_ledger`,
      )
      const at = new Date(later.getTime() + 1000)
      const a = await expirePoints(s.database.db, at)
      assert.equal(a.members >= members.length, true)
      const setBased = await rows<{ member_id: number; amount: number; balance_after: number }>(
        s.database.db,
        sql`SELECT member_id, amount, balance_after FROM point_ledger
            WHERE id > ${cut!.id} AND member_id = ANY(${sql.param(members)}::int[])
            ORDER BY member_id, id`,
      )
      assert.equal(await expirePointsPerMember(s.database.db, at).then((r) => r.points), 0)
      // Each member: the earlier lot first, down to zero.
      for (const m of members) {
        const mine = setBased.filter((e) => e.member_id === m)
        const expected =
          m % 2 === 0
            ? [
                { member_id: m, amount: -4, balance_after: mine[0]!.balance_after },
                { member_id: m, amount: -5, balance_after: mine[0]!.balance_after - 5 },
              ]
            : [{ member_id: m, amount: -5, balance_after: mine[0]!.balance_after }]
        assert.deepEqual(mine, expected)
      }
      assert.deepEqual(await brokenInvariants(s.database.db), [])
    })
  })
}
