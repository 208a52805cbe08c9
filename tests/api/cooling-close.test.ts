import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import {
  campaignCloseResponse,
  type CampaignClose,
  type StaffCoolingCampaign,
} from '../../src/contract/cooling'
import { routes } from '../../src/contract/routes'
import { first, rows } from '../../server/db/sql'
import {
  CLOSE_BATCH,
  CLOSE_INLINE_MAX,
  CLOSE_JOB,
  closeCampaignStep,
  closeDueCampaigns,
  dueCampaignIds,
} from '../../server/modules/cooling/close'
import { allocateDefaultPacks } from '../../server/modules/cooling/rules'
import { expectError, parseAnswer } from '../support/api'
import { brokenCoolingBooks, coolingFixture } from '../support/cooling'
import { memberIdOf } from '../support/points'
import { engines, type TestServer } from '../support/server'

// Closing at scale (server/modules/cooling/close.ts): more members without a pack than a request
// handles → 202 and a durable job in batches of 1,000, each its own transaction, with the outcome
// of a single pass; a close stopped mid-way resumes and creates nobody twice; pack edits racing
// the close keep the books.
for (const engine of engines()) {
  describe(`cooling close in batches on ${engine}`, () => {
    const f = coolingFixture(engine)
    const { tok, createCampaign, itemId, putPack, staff } = f
    let s: TestServer
    let sifangId: number
    /** Bench members added to 四方继保工会 (with its 28 demo members: 2,528). */
    const ADDED = 2500

    before(async () => {
      ;({ s, sifangId } = f)
      await s.database.db.execute(
        sql`INSERT INTO members (member_no, name, union_id, roles)
            SELECT 'C' || lpad(n::text, 7, '0'), '清凉' || n, ${sifangId}, ARRAY['member']::text[]
            FROM generate_series(1, ${ADDED}) AS n`,
      )
    })

    /** A campaign of 四方 whose default pack (2 凉茶 + 2 矿泉水) covers `packs` members. */
    const bigCampaign = (packs: number) =>
      createCampaign({
        items: [
          { name: '喷雾运动水壶', quotaCost: 40, maxPerPack: 1, stock: 50 },
          { name: '凉茶', quotaCost: 15, maxPerPack: 3, stock: 2 * packs },
          { name: '矿泉水', quotaCost: 10, maxPerPack: 4, stock: 10_000 },
        ],
        defaultPack: [
          { itemIndex: 1, quantity: 2 },
          { itemIndex: 2, quantity: 2 },
        ],
      })

    /** Members of 四方 (the role) without a pack of the campaign, by id. */
    const uncovered = async (campaignId: number) =>
      (
        await rows<{ id: number }>(
          s.database.db,
          sql`SELECT m.id FROM members m WHERE m.union_id = ${sifangId} AND 'member' = ANY(m.roles)
                AND NOT EXISTS (SELECT 1 FROM cooling_packs p
                                WHERE p.campaign_id = ${campaignId} AND p.member_id = m.id)
              ORDER BY m.id`,
        )
      ).map((m) => m.id)

    const defaultPackMembers = async (campaignId: number) =>
      (
        await rows<{ member_id: number }>(
          s.database.db,
          sql`SELECT member_id FROM cooling_packs WHERE campaign_id = ${campaignId} AND is_default
              ORDER BY member_id`,
        )
      ).map((p) => p.member_id)

    const stockOf = async (campaignId: number) =>
      new Map(
        (
          await rows<{ id: number; stock_left: number }>(
            s.database.db,
            sql`SELECT id, stock_left FROM cooling_items WHERE campaign_id = ${campaignId}`,
          )
        ).map((i) => [i.id, i.stock_left]),
      )

    const followClose = async (campaignId: number): Promise<CampaignClose> => {
      const res = await staff('GET', `/campaigns/${campaignId}/close`)
      assert.equal(res.statusCode, 200, res.body)
      return parseAnswer(routes.coolingCampaignClose, res).close
    }

    /** Polls the close until it is no longer running. */
    const untilClosed = async (campaignId: number): Promise<CampaignClose> => {
      for (let i = 0; i < 800; i++) {
        const close = await followClose(campaignId)
        if (close.status !== 'running') return close
        await new Promise((r) => setTimeout(r, 25))
      }
      throw new Error('close did not end')
    }

    const listed = async (campaignId: number): Promise<StaffCoolingCampaign> => {
      const { campaigns } = await f.client.call(routes.staffCoolingCampaigns, {
        token: tok.S0101,
      })
      const c = campaigns.find((x) => x.id === campaignId)
      assert.ok(c)
      return c
    }

    test('above the threshold: 202, a job in batches, the outcome of one pass (packs and stock)', async () => {
      const c = await bigCampaign(2000)
      const [tea, water] = ['凉茶', '矿泉水'].map((n) => itemId(c, n))
      assert.equal((await putPack('M0003', c.id, [[water, 2]])).statusCode, 200)
      assert.equal((await putPack('M0008', c.id, [[tea, 3]])).statusCode, 200)
      const without = await uncovered(c.id)
      assert.ok(without.length > CLOSE_INLINE_MAX)
      // What a single pass would do, from the same stock.
      const expected = allocateDefaultPacks(
        without,
        [
          { itemId: tea, quantity: 2 },
          { itemId: water, quantity: 2 },
        ],
        await stockOf(c.id),
      )
      assert.equal(expected.covered.length, 1998) // 4,000 − 3 凉茶 = 3,997 → 1,998 packs

      const res = await staff('POST', `/campaigns/${c.id}/close`)
      assert.equal(res.statusCode, 202, res.body)
      const started = campaignCloseResponse.parse(res.json()).close
      assert.equal(started.id, c.id)
      assert.equal(started.status, 'running')
      assert.equal(started.total, without.length)
      assert.ok(started.closedAt)
      // Members can no longer change their packs the moment it answers.
      expectError(await putPack('M0003', c.id, [[water, 1]]), 409, 'CAMPAIGN_CLOSED')

      const done = await untilClosed(c.id)
      assert.deepEqual(
        { ...done, notCoveredMembers: done.notCoveredMembers.length },
        {
          id: c.id,
          status: 'done',
          total: without.length,
          done: without.length,
          defaultPacksCreated: expected.covered.length,
          notCovered: expected.notCovered.length,
          notCoveredMembers: Math.min(500, expected.notCovered.length),
          closedAt: started.closedAt,
          error: null,
        },
      )
      assert.deepEqual(
        done.notCoveredMembers.map((m) => m.memberId),
        expected.notCovered.slice(0, 500),
      )
      assert.deepEqual(await defaultPackMembers(c.id), expected.covered)
      const stock = await stockOf(c.id)
      assert.equal(stock.get(tea), 4000 - 3 - 2 * expected.covered.length)
      assert.equal(stock.get(water), 10_000 - 2 - 2 * expected.covered.length)
      const job = await first<{ status: string; total: number; done: number }>(
        s.database.db,
        sql`SELECT j.status, j.total, j.done FROM jobs j
            JOIN cooling_campaigns c ON c.close_job_id = j.id WHERE c.id = ${c.id}`,
      )
      assert.deepEqual(job, { status: 'done', total: without.length, done: without.length })

      const view = await listed(c.id)
      assert.deepEqual(view.close, { status: 'done', total: without.length, done: without.length })
      assert.deepEqual(
        [view.counts.chosen, view.counts.default, view.counts.notChosen],
        [2, expected.covered.length, expected.notCovered.length],
      )
      const list = parseAnswer(
        routes.coolingPackingList,
        await staff('GET', `/campaigns/${c.id}/packing-list?limit=1`),
      )
      assert.equal(list.campaign.final, true)
      assert.equal(list.packCount, 2 + expected.covered.length)

      // Closing again: nothing left to create within stock, answered at once.
      const again = await staff('POST', `/campaigns/${c.id}/close`)
      assert.equal(again.statusCode, 200, again.body)
      assert.deepEqual(
        (({ defaultPacksCreated, notCovered, alreadyClosed }) => ({
          defaultPacksCreated,
          notCovered,
          alreadyClosed,
        }))(parseAnswer(routes.closeCoolingCampaign, again)),
        { defaultPacksCreated: 0, notCovered: expected.notCovered.length, alreadyClosed: true },
      )
      assert.deepEqual(await brokenCoolingBooks(s.database.db), [])
    })

    test('a close stopped after one batch shows as closing, then resumes and creates nobody twice', async () => {
      const c = await bigCampaign(5000)
      const without = await uncovered(c.id)
      assert.deepEqual(await dueCampaignIds(s.database.db, new Date()), [])

      // One batch (as the admin job or a process that then died would run it).
      const first1 = await s.database.db.transaction((tx) =>
        closeCampaignStep(tx, c.id, new Date(), CLOSE_BATCH),
      )
      assert.deepEqual(first1, { created: CLOSE_BATCH, notCovered: 0, finished: false })
      assert.deepEqual(await dueCampaignIds(s.database.db, new Date()), [c.id])
      const closing = await followClose(c.id)
      assert.deepEqual(
        [closing.status, closing.total, closing.done, closing.defaultPacksCreated],
        ['running', without.length, CLOSE_BATCH, CLOSE_BATCH],
      )
      assert.deepEqual((await listed(c.id)).close, {
        status: 'running',
        total: without.length,
        done: CLOSE_BATCH,
      })
      const list = parseAnswer(
        routes.coolingPackingList,
        await staff('GET', `/campaigns/${c.id}/packing-list?limit=1`),
      )
      assert.equal(list.campaign.final, false, 'not final while default packs are handed out')
      expectError(await putPack('M0013', c.id, [[itemId(c, '凉茶'), 1]]), 409, 'CAMPAIGN_CLOSED')

      // A dead worker's job holds the run; once its lease runs out another claim resumes it.
      const admin = await memberIdOf(s.database.db, 'A0001')
      const job = (await first<{ id: number }>(
        s.database.db,
        sql`INSERT INTO jobs (name, payload, created_by, locked_by, locked_until, attempts, total)
            VALUES (${CLOSE_JOB}, ${JSON.stringify({ campaignId: c.id })}::jsonb, ${admin},
                    'dead-worker', now() + interval '1 hour', 1, ${without.length})
            RETURNING id`,
      ))!.id
      await s.database.db.execute(
        sql`UPDATE cooling_campaigns SET close_job_id = ${job} WHERE id = ${c.id}`,
      )
      // Staff closing meanwhile follow the running job rather than starting another.
      const during = await staff('POST', `/campaigns/${c.id}/close`)
      assert.equal(during.statusCode, 202, during.body)
      await s.database.db.execute(
        sql`UPDATE jobs SET locked_until = now() - interval '1 second' WHERE id = ${job}`,
      )
      await s.app.jobQueue.kick()
      const done = await untilClosed(c.id)
      assert.deepEqual(
        [done.status, done.total, done.done, done.defaultPacksCreated, done.notCovered],
        ['done', without.length, without.length, without.length, 0],
      )
      assert.deepEqual(await defaultPackMembers(c.id), without)
      assert.deepEqual(await uncovered(c.id), [])
      const attempts = await first<{ attempts: number; status: string }>(
        s.database.db,
        sql`SELECT attempts, status FROM jobs WHERE id = ${job}`,
      )
      assert.deepEqual(attempts, { attempts: 2, status: 'done' })

      // Over: a step and the background close change nothing more.
      const after = await s.database.db.transaction((tx) =>
        closeCampaignStep(tx, c.id, new Date(), CLOSE_BATCH),
      )
      assert.deepEqual(after, { created: 0, notCovered: 0, finished: true })
      assert.deepEqual(await dueCampaignIds(s.database.db, new Date()), [])
      assert.equal(await closeDueCampaigns(s.database.db, new Date()), 0)
      assert.deepEqual(await brokenCoolingBooks(s.database.db), [])
    })

    test('steps from two processes at once and pack edits racing the close keep the books', async () => {
      const c = await bigCampaign(1500)
      const [tea, water] = ['凉茶', '矿泉水'].map((n) => itemId(c, n))
      const editors = ['M0003', 'M0008', 'M0013', 'M0063']
      // Two workers step the open campaign side by side while members submit packs: each edit
      // lands before the close (a chosen pack) or after it (409), never half-way.
      const worker = async () => {
        for (;;) {
          const step = await s.database.db.transaction((tx) =>
            closeCampaignStep(tx, c.id, new Date(), 500),
          )
          if (step.finished) return
        }
      }
      const [, , ...answers] = await Promise.all([
        worker(),
        worker(),
        ...editors.map((who, n) => putPack(who, c.id, [[n % 2 ? tea : water, 2]])),
      ])
      const saved: number[] = []
      let waterTaken = 0
      for (const [n, a] of answers.entries()) {
        if (a.statusCode !== 200) {
          expectError(a, 409, 'CAMPAIGN_CLOSED')
          continue
        }
        saved.push(await memberIdOf(s.database.db, editors[n]!))
        if (n % 2 === 0) waterTaken += 2
      }
      const chosen = (
        await rows<{ member_id: number }>(
          s.database.db,
          sql`SELECT member_id FROM cooling_packs WHERE campaign_id = ${c.id} AND NOT is_default
              ORDER BY member_id`,
        )
      ).map((p) => p.member_id)
      assert.deepEqual(
        chosen,
        saved.sort((a, b) => a - b),
      )
      // Default packs went to the first members without a chosen pack, in id order, while stock
      // lasted; the rest are not covered.
      const members = (
        await rows<{ id: number }>(
          s.database.db,
          sql`SELECT id FROM members WHERE union_id = ${sifangId} AND 'member' = ANY(roles)
              ORDER BY id`,
        )
      ).map((m) => m.id)
      const others = members.filter((id) => !saved.includes(id))
      const defaults = await defaultPackMembers(c.id)
      assert.deepEqual(defaults, others.slice(0, defaults.length))
      assert.deepEqual(await uncovered(c.id), others.slice(defaults.length))
      const close = await followClose(c.id)
      assert.deepEqual(
        [close.status, close.defaultPacksCreated, close.notCovered, close.done],
        ['done', defaults.length, others.length - defaults.length, others.length],
      )
      const stock = await stockOf(c.id)
      assert.ok(stock.get(tea)! < 2, 'stock ran out on 凉茶')
      assert.equal(stock.get(water), 10_000 - 2 * defaults.length - waterTaken)
      assert.deepEqual(await brokenCoolingBooks(s.database.db), [])
    })
  })
}
