/**
 * Cooling-pack races, on PostgreSQL only: PGlite runs one transaction at a time and would hide
 * them (TOOLCHAIN.md). Every scenario fires all its requests at once over real HTTP (the app on
 * a port, one keep-alive socket per request) and then checks the books in SQL.
 *
 * Is the race real? The server's own `request` events count the requests in flight together;
 * each scenario asserts a peak far above 1, so the handlers overlapped, and with a pool of 10
 * connections up to 10 transactions ran side by side in PostgreSQL. That this overlap breaks a
 * design without the conditional update is proven once for all race suites, by
 * tests/api/race-harness.test.ts.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type {
  CloseCampaignResponse,
  CoolingPack,
  CoolingSite,
  StaffCoolingCampaign,
} from '../../src/contract/cooling'
import { first, rows } from '../../server/db/sql'
import { brokenCoolingBooks, campaignBody } from '../support/cooling'
import { unionIdOf } from '../support/points'
import { listen, type HttpAnswer, type HttpClient } from '../support/http'
import {
  memberNosUnder,
  startTestServer,
  tokensForAllMembers,
  type TestServer,
} from '../support/server'

const onPostgres = Boolean(process.env.DATABASE_URL)

describe('cooling races on PostgreSQL', { skip: !onPostgres && 'DATABASE_URL is not set' }, () => {
  let s: TestServer
  let api: HttpClient
  let tokens = new Map<string, string>()
  /** Demo members under 北京市总工会, by member number. */
  let beijing: string[] = []
  let root: number

  before(async () => {
    s = await startTestServer('postgres')
    api = await listen(s.app, 512)
    root = await unionIdOf(s.database.db, '北京市总工会')
    tokens = await tokensForAllMembers(s.database.db)
    beijing = await memberNosUnder(s.database.db, root)
    assert.ok(beijing.length >= 200, `${beijing.length} Beijing members`)
  })
  after(async () => {
    api?.close()
    try {
      if (s) assert.deepEqual(await brokenCoolingBooks(s.database.db), [])
    } finally {
      await s?.close()
    }
  })

  function request(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    who: string,
    body?: unknown,
  ): Promise<HttpAnswer> {
    return api.request({ method, path: `/api/v1${path}`, token: tokens.get(who), body })
  }

  /** Runs `fire` with the in-flight peak reset; returns the answers and that peak. */
  async function storm<T>(fire: () => Promise<T>): Promise<{ result: T; peak: number }> {
    api.resetPeak()
    const result = await fire()
    return { result, peak: api.peak() }
  }

  async function createCampaign(
    items: Array<{ name: string; quotaCost: number; maxPerPack: number; stock: number }>,
    defaultPack = [{ itemIndex: items.length - 1, quantity: 1 }],
  ): Promise<StaffCoolingCampaign> {
    const res = await request(
      'POST',
      '/staff/cooling/campaigns',
      'S0001',
      campaignBody(root, { items, defaultPack }),
    )
    assert.equal(res.status, 201, res.body)
    return (JSON.parse(res.body) as { campaign: StaffCoolingCampaign }).campaign
  }

  const code = (a: HttpAnswer) => (JSON.parse(a.body) as { error?: { code: string } }).error?.code

  test('200 members submit at once against 50 in stock: exactly 50 reserved, never more', async (t) => {
    const c = await createCampaign([
      { name: '限量水壶', quotaCost: 40, maxPerPack: 1, stock: 50 },
      { name: '矿泉水', quotaCost: 10, maxPerPack: 4, stock: 10_000 },
    ])
    const [bottle, water] = c.items.map((i) => i.id)
    const members = beijing.slice(0, 200)
    const { result: answers, peak: overlap } = await storm(() =>
      Promise.all(
        members.map((no) =>
          request('PUT', `/cooling/campaigns/${c.id}/pack`, no, {
            items: [
              { itemId: bottle, quantity: 1 },
              { itemId: water, quantity: 2 },
            ],
            delivery: { kind: 'pickup' },
          }),
        ),
      ),
    )
    const ok = answers.filter((a) => a.status === 200)
    const refused = answers.filter((a) => a.status === 409 && code(a) === 'OUT_OF_STOCK')
    assert.deepEqual([ok.length, refused.length], [50, 150], JSON.stringify(answers.slice(0, 3)))
    t.diagnostic(
      `200 submits: ${ok.length} × 200, ${refused.length} × 409, peak ${overlap} in flight`,
    )
    assert.ok(overlap >= 50, `only ${overlap} requests overlapped`)

    const items = await rows<{ id: number; stock: number; stock_left: number; packed: number }>(
      s.database.db,
      sql`SELECT i.id, i.stock, i.stock_left,
                 (SELECT coalesce(sum(quantity), 0)::int FROM cooling_pack_items WHERE item_id = i.id) AS packed
          FROM cooling_items i WHERE i.campaign_id = ${c.id} ORDER BY i.id`,
    )
    assert.deepEqual(
      items.map((i) => [i.id, i.stock - i.stock_left, i.packed, i.stock_left >= 0]),
      [
        [bottle, 50, 50, true],
        [water, 100, 100, true],
      ],
    )
    const packs = await first<{ n: number }>(
      s.database.db,
      sql`SELECT count(*)::int AS n FROM cooling_packs WHERE campaign_id = ${c.id}`,
    )
    assert.equal(packs?.n, 50, 'refused members are left without a pack')
    assert.deepEqual(await brokenCoolingBooks(s.database.db), [])
  })

  test('one member fires 60 different edits at once: one pack, stock matching it exactly', async (t) => {
    const c = await createCampaign([
      { name: '凉茶', quotaCost: 15, maxPerPack: 3, stock: 500 },
      { name: '风油精', quotaCost: 5, maxPerPack: 3, stock: 500 },
      { name: '防晒棒球帽', quotaCost: 30, maxPerPack: 1, stock: 500 },
    ])
    const [tea, balm, cap] = c.items.map((i) => i.id)
    const sites = (
      JSON.parse((await request('GET', '/cooling/sites', 'M0003')).body) as { sites: CoolingSite[] }
    ).sites
    // Two members: one without a pack yet (racing first submits), one who has one already.
    assert.equal(
      (
        await request('PUT', `/cooling/campaigns/${c.id}/pack`, 'M0008', {
          items: [{ itemId: cap, quantity: 1 }],
          delivery: { kind: 'pickup' },
        })
      ).status,
      200,
    )
    for (const who of ['M0003', 'M0008']) {
      const contents = Array.from({ length: 60 }, (_, i) => ({
        items: [
          { itemId: tea, quantity: 1 + (i % 3) },
          { itemId: balm, quantity: Math.floor(i / 3) % 4 },
          { itemId: cap, quantity: i % 2 },
        ],
        delivery: {
          kind: 'site',
          siteId: sites[i % sites.length].id,
          recipient: `收件人${i}`,
          phone: `138${String(i).padStart(8, '0')}`,
        },
      }))
      const { result: answers, peak: overlap } = await storm(() =>
        Promise.all(
          contents.map((body) => request('PUT', `/cooling/campaigns/${c.id}/pack`, who, body)),
        ),
      )
      assert.deepEqual(
        answers.filter((a) => a.status !== 200),
        [],
      )
      t.diagnostic(`${who}: 60 edits, peak ${overlap} in flight`)
      assert.ok(overlap >= 30, `only ${overlap} requests overlapped`)

      const packs = await rows<{ id: number; recipient: string }>(
        s.database.db,
        sql`SELECT p.id, p.recipient FROM cooling_packs p JOIN members m ON m.id = p.member_id
            WHERE p.campaign_id = ${c.id} AND m.member_no = ${who}`,
      )
      assert.equal(packs.length, 1)
      // The pack is exactly one of the contents sent: the edit that committed last.
      const final = JSON.parse((await request('GET', `/cooling/campaigns/${c.id}/pack`, who)).body)
        .pack as CoolingPack
      const i = Number(packs[0].recipient.replace('收件人', ''))
      assert.deepEqual(
        final.items.map((l) => [l.itemId, l.quantity]),
        contents[i].items.filter((l) => l.quantity > 0).map((l) => [l.itemId, l.quantity]),
      )
      assert.equal(
        final.delivery.kind === 'site' && final.delivery.phone,
        contents[i].delivery.phone,
      )
    }
    const items = await rows<{ reserved: number; packed: number }>(
      s.database.db,
      sql`SELECT i.stock - i.stock_left AS reserved,
                 (SELECT coalesce(sum(quantity), 0)::int FROM cooling_pack_items WHERE item_id = i.id) AS packed
          FROM cooling_items i WHERE i.campaign_id = ${c.id}`,
    )
    assert.ok(
      items.every((i) => i.reserved === i.packed),
      JSON.stringify(items),
    )
    assert.deepEqual(await brokenCoolingBooks(s.database.db), [])
  })

  test('closing while members submit: a pack is either chosen before the close or the default', async (t) => {
    const c = await createCampaign(
      [
        { name: '凉茶', quotaCost: 15, maxPerPack: 3, stock: 2_000 },
        { name: '矿泉水', quotaCost: 10, maxPerPack: 4, stock: 2_000 },
      ],
      [{ itemIndex: 1, quantity: 2 }],
    )
    const [tea] = c.items.map((i) => i.id)
    const members = beijing.slice(0, 150)
    const put = (no: string) =>
      request('PUT', `/cooling/campaigns/${c.id}/pack`, no, {
        items: [{ itemId: tea, quantity: 2 }],
        delivery: { kind: 'pickup' },
      })
    // Half the submits and two staff closes at once; once 40 of those submits were answered, a
    // second wave of 40 races the close; once both closes have answered, the last 35 go out and
    // must all find the campaign closed. Ordered by answers, not by time.
    const { result, peak: overlap } = await storm(async () => {
      let answered = 0
      let trigger = () => {}
      const forty = new Promise<void>((resolve) => (trigger = resolve))
      const early = members.slice(0, 75).map((no) =>
        put(no).then((a) => {
          if (++answered === 40) trigger()
          return a
        }),
      )
      const closing = Promise.all([
        request('POST', `/staff/cooling/campaigns/${c.id}/close`, 'S0001'),
        request('POST', `/staff/cooling/campaigns/${c.id}/close`, 'A0001'),
      ])
      await forty
      const racing = members.slice(75, 115).map(put)
      const closes = await closing
      const late = members.slice(115).map(put)
      return [await Promise.all([...early, ...racing, ...late]), closes] as const
    })
    const [puts, closes] = result
    t.diagnostic(
      `close during 150 submits: ${puts.filter((a) => a.status === 200).length} chosen before it, ` +
        `${puts.filter((a) => a.status === 409).length} refused as closed, peak ${overlap} in flight`,
    )
    assert.ok(overlap >= 30, `only ${overlap} requests overlapped`)
    assert.ok(puts.every((a) => a.status === 200 || code(a) === 'CAMPAIGN_CLOSED'))
    assert.deepEqual(
      puts.slice(115).map(code),
      Array.from({ length: 35 }, () => 'CAMPAIGN_CLOSED'),
      'every submit after the close is refused',
    )
    const closed = closes.map((a) => JSON.parse(a.body) as CloseCampaignResponse)
    assert.deepEqual(
      closed.map((x) => x.alreadyClosed).sort(),
      [false, true],
      'one close closed it, the other found it closed',
    )
    assert.deepEqual(
      closed.map((x) => x.notCovered),
      [0, 0],
    )

    const packs = await rows<{ member_no: string; is_default: boolean; tea: number }>(
      s.database.db,
      sql`SELECT m.member_no, p.is_default,
                 coalesce((SELECT quantity FROM cooling_pack_items WHERE pack_id = p.id AND item_id = ${tea}), 0) AS tea
          FROM cooling_packs p JOIN members m ON m.id = p.member_id WHERE p.campaign_id = ${c.id}`,
    )
    const byMember = new Map(packs.map((p) => [p.member_no, p]))
    members.forEach((no, i) => {
      const pack = byMember.get(no)
      // Told 200: their chosen pack stands. Told closed: they got the default.
      if (puts[i].status === 200) assert.deepEqual([pack?.is_default, pack?.tea], [false, 2], no)
      else assert.deepEqual([pack?.is_default, pack?.tea], [true, 0], no)
    })
    const total = await first<{ n: number }>(
      s.database.db,
      sql`WITH RECURSIVE down(id) AS (
            SELECT ${root}::int UNION ALL SELECT u.id FROM unions u JOIN down ON u.parent_id = down.id
          )
          SELECT count(*)::int AS n FROM members
          WHERE union_id IN (SELECT id FROM down) AND 'member' = ANY(roles)`,
    )
    assert.equal(packs.length, total?.n, 'every member is covered exactly once')
    assert.equal(
      closed.reduce((n, x) => n + x.defaultPacksCreated, 0),
      packs.filter((p) => p.is_default).length,
    )
    assert.deepEqual(await brokenCoolingBooks(s.database.db), [])
  })
})
