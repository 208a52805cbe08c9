// Outbox pruning (issue #12): subscribe messages settled (sent, skipped, failed) more than 30 days
// ago are removed in batches by the periodic job `prune-outbox` (hourly, or run now by an admin);
// pending and sending messages, and recent ones, stay.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { periodicJobResponse, type PeriodicJob } from '../../src/contract/admin'
import type { Db } from '../../server/db/client'
import { first, rows } from '../../server/db/sql'
import { OUTBOX_KEEP_DAYS, OUTBOX_PRUNE_BATCH } from '../../server/modules/notifications/prune'
import { expectError } from '../support/api'
import { memberIdOf } from '../support/points'
import { engines, startTestServer, type TestServer } from '../support/server'

const DAY = 86_400_000

/**
 * `n` messages to `memberId` in `status`, due `dueDaysAgo` days ago and (when sent) sent
 * `sentDaysAgo` days ago; their dedupe keys start with `tag`.
 */
async function messages(
  db: Db,
  memberId: number,
  tag: string,
  n: number,
  status: 'pending' | 'sending' | 'sent' | 'skipped' | 'failed',
  dueDaysAgo: number,
  sentDaysAgo: number = dueDaysAgo,
): Promise<void> {
  const due = new Date(Date.now() - dueDaysAgo * DAY)
  const sent = status === 'sent' ? new Date(Date.now() - sentDaysAgo * DAY) : null
  await db.execute(
    sql`INSERT INTO outbox (member_id, key, page, title, body, data, dedupe_key, due_at, status,
                            next_attempt_at, sent_at, created_at)
        SELECT ${memberId}, 'pickup_expiring', 'pages/home/index', '提醒', '正文', '{}'::jsonb,
               ${tag} || ':' || k, ${due}, ${status}, ${due}, ${sent}::timestamptz, ${due}
        FROM generate_series(1, ${n}) AS k`,
  )
}

const countByTag = (db: Db) =>
  rows<{ tag: string; n: number }>(
    db,
    sql`SELECT split_part(dedupe_key, ':', 1) AS tag, count(*)::int AS n
        FROM outbox WHERE dedupe_key LIKE 'prune-%' GROUP BY 1 ORDER BY 1`,
  )

for (const engine of engines()) {
  describe(`outbox pruning on ${engine}`, () => {
    let s: TestServer
    const tok: Record<string, string> = {}
    const run = (no: string) =>
      s.request({ method: 'POST', url: '/api/v1/admin/jobs/prune-outbox/run', token: tok[no] })
    const until = async (id: number): Promise<PeriodicJob> => {
      for (let i = 0; i < 2000; i++) {
        const res = await s.request({
          method: 'GET',
          url: `/api/v1/admin/jobs/${id}`,
          token: tok.A0001,
        })
        assert.equal(res.statusCode, 200, res.body)
        const job = periodicJobResponse.parse(res.json()).job
        if (job.status !== 'running') return job
        await new Promise((r) => setTimeout(r, 20))
      }
      throw new Error(`job ${id} did not end`)
    }

    before(async () => {
      s = await startTestServer(engine)
      for (const no of ['A0001', 'S0001', 'M0001']) tok[no] = await s.login(no)
    })
    after(async () => {
      await s?.close()
    })

    test('only admins run it', async () => {
      expectError(await run('S0001'), 403, 'FORBIDDEN')
      expectError(await run('M0001'), 403, 'FORBIDDEN')
    })

    test('settled messages past 30 days go, in batches; the others stay; a second run finds none', async () => {
      const db = s.database.db
      const member = await memberIdOf(db, 'M0001')
      const old = OUTBOX_KEEP_DAYS + 10
      // Pruned: more than two batches of old sent messages, old skipped and failed ones.
      const many = 2 * OUTBOX_PRUNE_BATCH + 37
      await messages(db, member, 'prune-oldsent', many, 'sent', old)
      await messages(db, member, 'prune-oldskipped', 3, 'skipped', OUTBOX_KEEP_DAYS + 1)
      await messages(db, member, 'prune-oldfailed', 2, 'failed', old)
      // Kept: not settled, settled recently, or sent recently although due long ago.
      await messages(db, member, 'prune-pending', 4, 'pending', old)
      await messages(db, member, 'prune-sending', 1, 'sending', old)
      await messages(db, member, 'prune-newsent', 5, 'sent', OUTBOX_KEEP_DAYS - 1)
      await messages(db, member, 'prune-newfailed', 2, 'failed', OUTBOX_KEEP_DAYS - 1)
      await messages(db, member, 'prune-latesent', 1, 'sent', old, 3)
      const pruned = many + 3 + 2

      const res = await run('A0001')
      assert.equal(res.statusCode, 202, res.body)
      const started = periodicJobResponse.parse(res.json()).job
      assert.equal(started.name, 'prune-outbox')
      const done = await until(started.id)
      assert.equal(done.status, 'done', done.error ?? '')
      assert.equal(done.name, 'prune-outbox')
      assert.deepEqual(done.counts, { messagesPruned: pruned })
      assert.deepEqual([done.done, done.total], [pruned, pruned])

      assert.deepEqual(await countByTag(db), [
        { tag: 'prune-latesent', n: 1 },
        { tag: 'prune-newfailed', n: 2 },
        { tag: 'prune-newsent', n: 5 },
        { tag: 'prune-pending', n: 4 },
        { tag: 'prune-sending', n: 1 },
      ])
      const audit = await first<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM audit_log
            WHERE action = 'job.run' AND entity_id = ${started.id}`,
      )
      assert.equal(audit?.n, 1)

      const again = await run('A0001')
      assert.equal(again.statusCode, 202, again.body)
      const second = periodicJobResponse.parse(again.json()).job
      assert.notEqual(second.id, started.id)
      const over = await until(second.id)
      assert.deepEqual([over.status, over.counts], ['done', { messagesPruned: 0 }])
      assert.equal(
        (await countByTag(db)).reduce((n, r) => n + r.n, 0),
        13,
      )
    })
  })
}
