/**
 * Races on PostgreSQL (PGlite serialises every transaction and would hide them). Each scenario
 * fires at least 100 requests at once over real HTTP, then checks the books in SQL.
 *
 * Is the race real? The server's own `request` events count the requests in flight together
 * (`peak()`); each scenario asserts a peak far above 1, and with a pool of 10 connections up to 10
 * transactions ran side by side in PostgreSQL. That this overlap breaks an unguarded
 * read-check-write of a stock is proven once for all race suites, by
 * tests/api/race-harness.test.ts.
 */
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type { MallOrder, StaffMallItem } from '../../src/contract/mall'
import { openDatabase, type Database } from '../../server/db/client'
import { first, rows } from '../../server/db/sql'
import { runExpiryJobs } from '../../server/jobs'
import { createSessions } from '../../server/lib/sessions'
import { listen, type HttpClient } from '../support/http'
import { balanceOf, brokenInvariants, stockOf, unionIdOf } from '../support/points'
import { startTestServer, type TestServer } from '../support/server'

const onPostgres = Boolean(process.env.DATABASE_URL)
const key = () => `race-${crypto.randomBytes(8).toString('hex')}`

describe('races on PostgreSQL', { skip: !onPostgres && 'DATABASE_URL is not set' }, () => {
  let s: TestServer
  let api: HttpClient
  let root: number
  const tokens = new Map<string, string>()
  const memberIds = new Map<string, number>()
  /** Demo members under 北京市总工会 (the root of the test items), by member number. */
  let beijing: string[] = []

  before(async () => {
    s = await startTestServer('postgres')
    api = await listen(s.app)
    root = await unionIdOf(s.database.db, '北京市总工会')
    const list = await rows<{ id: number; member_no: string }>(
      s.database.db,
      sql`SELECT id, member_no FROM members`,
    )
    const minted = await createSessions(
      s.database.db,
      list.map((m) => m.id),
      'dev',
      3600,
    )
    list.forEach((m, i) => {
      tokens.set(m.member_no, minted[i])
      memberIds.set(m.member_no, m.id)
    })
    const reach = await rows<{ member_no: string }>(
      s.database.db,
      sql`WITH RECURSIVE down(id) AS (
            SELECT ${root}::int UNION ALL SELECT u.id FROM unions u JOIN down ON u.parent_id = down.id
          )
          SELECT member_no FROM members WHERE member_no LIKE 'M%' AND union_id IN (SELECT id FROM down)
          ORDER BY member_no`,
    )
    beijing = reach.map((m) => m.member_no)
    assert.ok(beijing.length >= 220)
  })
  after(async () => {
    api?.close()
    await s?.close()
  })

  const member = (i: number) => beijing[i]

  async function createItem(fields: Record<string, unknown>): Promise<StaffMallItem> {
    const res = await api.request({
      method: 'POST',
      path: '/api/v1/staff/mall/items',
      token: tokens.get('S0001'),
      body: {
        unionId: root,
        name: `抢购${crypto.randomBytes(3).toString('hex')}`,
        pointsCost: 10,
        stock: 10,
        perMemberLimit: 1,
        ...fields,
      },
    })
    assert.equal(res.status, 201, res.body)
    return (JSON.parse(res.body) as { item: StaffMallItem }).item
  }

  function redeem(memberNo: string, itemId: number, idempotencyKey = key(), quantity = 1) {
    return api.request({
      method: 'POST',
      path: '/api/v1/mall/orders',
      token: tokens.get(memberNo),
      body: { itemId, quantity },
      headers: { 'idempotency-key': idempotencyKey },
    })
  }

  const codeOf = (body: string) => (JSON.parse(body) as { error?: { code: string } }).error?.code

  /** Σ quantity of live orders must equal the stock the item lost. */
  async function stockAccounted(itemId: number, initial: number) {
    const held = await first<{ q: number }>(
      s.database.db,
      sql`SELECT coalesce(sum(quantity), 0)::int AS q FROM mall_orders
          WHERE item_id = ${itemId} AND status IN ('awaiting_pickup', 'fulfilled')`,
    )
    assert.equal(initial - (await stockOf(s.database.db, itemId)), held?.q)
  }

  test('(a) a hot item: 150 members at once for 10 pieces → exactly 10 orders', async (t) => {
    const item = await createItem({ stock: 10 })
    // Open the sockets first (the first scenario would otherwise race connection set-up, not
    // redemptions): a crowd of health checks leaves 150 kept-alive sockets in the agent.
    await Promise.all(
      Array.from({ length: 150 }, () => api.request({ method: 'GET', path: '/api/health' })),
    )
    api.resetPeak()
    const answers = await Promise.all(
      Array.from({ length: 150 }, (_, i) => redeem(member(i), item.id)),
    )
    t.diagnostic(`peak in flight: ${api.peak()}`)
    assert.ok(api.peak() >= 50, `peak ${api.peak()}`)
    const created = answers.filter((a) => a.status === 201)
    const refused = answers.filter((a) => a.status === 409 && codeOf(a.body) === 'OUT_OF_STOCK')
    t.diagnostic(`route: ${created.length} created, ${refused.length} OUT_OF_STOCK`)
    assert.equal(created.length, 10)
    assert.equal(refused.length, 140)
    assert.equal(await stockOf(s.database.db, item.id), 0)
    const orders = await first<{ n: number; members: number }>(
      s.database.db,
      sql`SELECT count(*)::int AS n, count(DISTINCT member_id)::int AS members
          FROM mall_orders WHERE item_id = ${item.id}`,
    )
    assert.deepEqual(orders, { n: 10, members: 10 })
    await stockAccounted(item.id, 10)
    assert.deepEqual(await brokenInvariants(s.database.db), [])
  })

  test('(b) one member, 95 points, 120 redeems at once → 9 orders, balance 5, never negative', async (t) => {
    const created = await api.request({
      method: 'POST',
      path: '/api/v1/admin/members',
      token: tokens.get('A0001'),
      body: { memberNo: 'M9001', name: '并发测试', unionId: root },
    })
    assert.equal(created.status, 201, created.body)
    const id = (JSON.parse(created.body) as { member: { id: number } }).member.id
    tokens.set('M9001', (await createSessions(s.database.db, [id], 'dev', 3600))[0])
    const granted = await api.request({
      method: 'POST',
      path: '/api/v1/staff/points/grants',
      token: tokens.get('S0001'),
      body: { amount: 95, reason: '并发测试积分', memberIds: [id] },
    })
    assert.equal(granted.status, 201, granted.body)

    const item = await createItem({ stock: 1000, perMemberLimit: 999, pointsCost: 10 })
    api.resetPeak()
    const answers = await Promise.all(Array.from({ length: 120 }, () => redeem('M9001', item.id)))
    t.diagnostic(`peak in flight: ${api.peak()}`)
    assert.ok(api.peak() >= 50, `peak ${api.peak()}`)
    const ok = answers.filter((a) => a.status === 201)
    const poor = answers.filter((a) => a.status === 409 && codeOf(a.body) === 'INSUFFICIENT_POINTS')
    assert.equal(ok.length, 9)
    assert.equal(poor.length, 111)
    assert.equal(await balanceOf(s.database.db, id), 5)
    const spent = await first<{ n: number; points: number }>(
      s.database.db,
      sql`SELECT count(*)::int AS n, sum(points_spent)::int AS points FROM mall_orders WHERE member_id = ${id}`,
    )
    assert.deepEqual(spent, { n: 9, points: 90 })
    const low = await first<{ min: number }>(
      s.database.db,
      sql`SELECT min(balance_after)::int AS min FROM point_ledger WHERE member_id = ${id}`,
    )
    assert.equal(low?.min, 5)
    await stockAccounted(item.id, 1000)
    assert.deepEqual(await brokenInvariants(s.database.db), [])
  })

  test('(c) 20 keys × 50 identical retries at once → exactly 20 orders, one answer per key', async (t) => {
    const item = await createItem({ stock: 1000, perMemberLimit: 100, pointsCost: 3 })
    // Ten members with two keys each: retries of one key and requests of one member both collide.
    const keys = Array.from({ length: 20 }, (_, i) => ({
      memberNo: member(150 + (i % 10)),
      key: key(),
    }))
    const calls = keys.flatMap((k) => Array.from({ length: 50 }, () => k))
    for (let i = calls.length - 1; i > 0; i--) {
      const j = crypto.randomInt(i + 1)
      ;[calls[i], calls[j]] = [calls[j], calls[i]]
    }
    api.resetPeak()
    const answers = await Promise.all(
      calls.map(async (c) => ({ ...c, answer: await redeem(c.memberNo, item.id, c.key) })),
    )
    t.diagnostic(`peak in flight: ${api.peak()}`)
    assert.ok(api.peak() >= 50, `peak ${api.peak()}`)
    assert.ok(
      answers.every((a) => a.answer.status === 201),
      'every retry answers 201',
    )
    for (const k of keys) {
      const bodies = new Set(answers.filter((a) => a.key === k.key).map((a) => a.answer.body))
      assert.equal(bodies.size, 1, `one answer for key ${k.key}`)
    }
    const orderIds = new Set(
      answers.map((a) => (JSON.parse(a.answer.body) as { order: MallOrder }).order.id),
    )
    assert.equal(orderIds.size, 20)
    const stored = await first<{ n: number }>(
      s.database.db,
      sql`SELECT count(*)::int AS n FROM mall_orders WHERE item_id = ${item.id}`,
    )
    assert.equal(stored?.n, 20)
    assert.equal(await stockOf(s.database.db, item.id), 980)
    assert.deepEqual(await brokenInvariants(s.database.db), [])
  })

  test('(d) 120 cancels racing two expiry jobs → every order refunded exactly once', async (t) => {
    const item = await createItem({ stock: 500, perMemberLimit: 5, pointsCost: 5, pickupDays: 1 })
    const owners = Array.from({ length: 120 }, (_, i) => member(100 + i))
    const balances = new Map<string, number>()
    for (const no of owners)
      balances.set(no, await balanceOf(s.database.db, memberIds.get(no) ?? 0))
    const placed = await Promise.all(owners.map((no) => redeem(no, item.id)))
    assert.ok(placed.every((p) => p.status === 201))
    const orders = placed.map((p, i) => ({
      owner: owners[i],
      order: (JSON.parse(p.body) as { order: MallOrder }).order,
    }))
    const late = new Date(Math.max(...orders.map((o) => Date.parse(o.order.pickupDeadline))) + 1000)

    // The jobs run as another server process would: their own connections to the database.
    const jobs: Database[] = await Promise.all(
      [0, 1].map(() =>
        openDatabase({ dataDir: 'unused', databaseUrl: s.config.databaseUrl, poolSize: 2 }),
      ),
    )
    let runs
    let cancels
    api.resetPeak()
    try {
      ;[runs, cancels] = await Promise.all([
        Promise.all(jobs.map((j) => runExpiryJobs(j.db, late))),
        // Cancels from the newest order down, the jobs from the oldest up: they meet midway.
        Promise.all(
          [...orders].reverse().map((o) =>
            api.request({
              method: 'POST',
              path: `/api/v1/mall/orders/${o.order.id}/cancel`,
              token: tokens.get(o.owner),
            }),
          ),
        ),
      ])
    } finally {
      await Promise.all(jobs.map((j) => j.close()))
    }
    t.diagnostic(`peak in flight: ${api.peak()}`)
    assert.ok(api.peak() >= 50, `peak ${api.peak()}`)
    const cancelled = cancels.filter((c) => c.status === 200).length
    const lost = cancels.filter(
      (c) => c.status === 409 && codeOf(c.body) === 'NOT_CANCELLABLE',
    ).length
    const expired = runs.reduce((n, r) => n + r.ordersExpired, 0)
    t.diagnostic(`cancelled ${cancelled}, expired by the jobs ${expired}, cancels too late ${lost}`)
    assert.equal(cancelled + lost, 120)
    assert.equal(cancelled + expired, 120)
    assert.equal(lost, expired)

    const refunds = await first<{ orders: number; refunds: number; once: number }>(
      s.database.db,
      sql`SELECT count(DISTINCT o.id)::int AS orders, count(l.id)::int AS refunds,
                 count(DISTINCT l.order_id)::int AS once
          FROM mall_orders o LEFT JOIN point_ledger l ON l.order_id = o.id AND l.kind = 'refund'
          WHERE o.item_id = ${item.id}`,
    )
    assert.deepEqual(refunds, { orders: 120, refunds: 120, once: 120 })
    const statuses = await rows<{ status: string; n: number }>(
      s.database.db,
      sql`SELECT status, count(*)::int AS n FROM mall_orders WHERE item_id = ${item.id} GROUP BY status ORDER BY status`,
    )
    assert.equal(
      statuses.reduce((n, r) => n + r.n, 0),
      120,
    )
    assert.ok(statuses.every((r) => r.status === 'cancelled' || r.status === 'expired'))
    assert.equal(await stockOf(s.database.db, item.id), 500)
    for (const no of owners) {
      assert.equal(await balanceOf(s.database.db, memberIds.get(no) ?? 0), balances.get(no), no)
    }
    assert.deepEqual(await brokenInvariants(s.database.db), [])
  })
})
