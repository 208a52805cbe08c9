import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type { LegalSlot } from '../../src/contract/legal'
import type { TemplateKey } from '../../src/contract/notifications'
import { routes } from '../../src/contract/routes'
import { configFromEnv } from '../../server/config'
import { first, rows } from '../../server/db/sql'
import { shipPacks } from '../../server/modules/cooling/packs'
import { writeMessages } from '../../server/modules/notifications/outbox'
import {
  claimDue,
  MAX_SEND_ATTEMPTS,
  RETRY_BASE_MS,
  SENDING_LEASE_MS,
} from '../../server/modules/notifications/sender'
import { api, expectError, newKey, type ApiClient } from '../support/api'
import { campaignBody } from '../support/cooling'
import {
  checkInByStaff,
  createEvent,
  moveEventTo,
  rootHosts,
  setPhase,
  signUp,
} from '../support/events'
import { startFakeWechat } from '../support/fake-wechat'
import { memberIdOf, unionIdOf } from '../support/points'
import { engines, startTestServer, type TestServer } from '../support/server'

const APP = { appId: 'wx-test-app', appSecret: 'wx-test-secret' }
const HOUR = 3600_000
const DAY = 24 * HOUR

interface OutboxRow {
  id: number
  member_id: number
  key: TemplateKey
  page: string
  status: string
  attempts: number
  next_attempt_at: Date
  last_error: string | null
}

for (const engine of engines()) {
  describe(`subscribe messages on ${engine}`, () => {
    let s: TestServer
    let client: ApiClient
    let wechat: Awaited<ReturnType<typeof startFakeWechat>>
    const tok: Record<string, string> = {}
    const ids: Record<string, number> = {}
    const login = async (no: string) => {
      tok[no] ??= await s.login(no)
      ids[no] ??= await memberIdOf(s.database.db, no)
      return tok[no]
    }
    const db = () => s.database.db
    const outboxOf = (where: ReturnType<typeof sql>) =>
      rows<OutboxRow>(
        db(),
        sql`SELECT id, member_id, key, page, status, attempts, next_attempt_at, last_error
            FROM outbox WHERE ${where} ORDER BY id`,
      )
    const subscribe = (no: string, templates: Array<{ key: TemplateKey; accepted: boolean }>) =>
      client.call(routes.recordSubscriptions, { token: tok[no], body: { templates } })
    const bindWechat = (no: string) =>
      db().execute(
        sql`UPDATE members SET wechat_openid = ${`openid-${no}`} WHERE member_no = ${no}`,
      )
    /** A message of `key` to `no`, written directly (the sender's tests). */
    let msgNo = 0
    const message = async (no: string, key: TemplateKey = 'pack_shipped') => {
      const dedupeKey = `test:${++msgNo}`
      await writeMessages(db(), [
        {
          memberId: ids[no],
          key,
          page: 'pages/home/index',
          title: '测试消息',
          body: '测试正文',
          data: { thing1: { value: '测试' } },
          dedupeKey,
        },
      ])
      const [row] = await outboxOf(sql`dedupe_key = ${dedupeKey}`)
      return row
    }
    const rowById = async (id: number) => (await outboxOf(sql`id = ${id}`))[0]
    const remaining = async (no: string, key: TemplateKey) =>
      (
        await first<{ remaining: number }>(
          db(),
          sql`SELECT remaining FROM subscriptions WHERE member_id = ${ids[no]} AND key = ${key}`,
        )
      )?.remaining ?? 0

    before(async () => {
      wechat = await startFakeWechat(APP.appId, APP.appSecret)
      s = await startTestServer(engine, {
        wechat: { ...APP, baseUrl: wechat.baseUrl },
        notifications: { ...configFromEnv({}).notifications, intervalMs: 0 },
      })
      client = api(s)
      for (const no of ['M0001', 'M0003', 'M0008', 'M0013', 'S0001', 'S0101']) await login(no)
    })
    after(async () => {
      await s?.close()
      await wechat?.close()
    })

    test('subscriptions: each accept allows one message; rejects change nothing; bad input 400', async () => {
      const first1 = await subscribe('M0013', [
        { key: 'pickup_expiring', accepted: true },
        { key: 'legal_reminder', accepted: false },
        // The same template twice in one answer is one accept.
        { key: 'pickup_expiring', accepted: true },
      ])
      assert.deepEqual(first1.counts, {
        pickup_expiring: 1,
        legal_reminder: 0,
        waitlist_promoted: 0,
        flowers_result: 0,
        pack_shipped: 0,
      })
      const second = await subscribe('M0013', [
        { key: 'pickup_expiring', accepted: true },
        { key: 'pack_shipped', accepted: true },
      ])
      assert.deepEqual([second.counts.pickup_expiring, second.counts.pack_shipped], [2, 1])
      const bad = (body: unknown) =>
        client.callRaw(routes.recordSubscriptions, { token: tok.M0013, body })
      expectError(await bad({ templates: [] }), 400, 'BAD_REQUEST')
      expectError(await bad({ templates: [{ key: 'nope', accepted: true }] }), 400, 'BAD_REQUEST')
      expectError(
        await bad({ templates: [{ key: 'pack_shipped', accepted: 'yes' }] }),
        400,
        'BAD_REQUEST',
      )
      assert.equal(await remaining('M0013', 'pickup_expiring'), 2)
    })

    test('waitlist promoted: written with the cancellation that frees the place, shown in the app', async () => {
      const roots = await rootHosts(db())
      const e = await createEvent(s, tok.S0001, { hostUnionIds: roots, capacity: 2 })
      const who = ['M0021', 'M0022', 'M0023']
      for (const no of who) await login(no)
      const regs = []
      for (const no of who) regs.push(await signUp(s, tok[no], e.id, 'female', no))
      assert.equal(regs[2].status, 'waitlisted')
      assert.deepEqual(await outboxOf(sql`key = 'waitlist_promoted'`), [])
      const cancelled = await client.callRaw(routes.cancelSignup, {
        token: tok.M0021,
        params: { id: e.id },
      })
      assert.equal(cancelled.statusCode, 200, cancelled.body)
      const rowsNow = await outboxOf(sql`key = 'waitlist_promoted'`)
      assert.deepEqual(
        rowsNow.map((r) => [r.member_id, r.page, r.status]),
        [[ids.M0023, `packages/events/pages/event?id=${e.id}`, 'pending']],
      )
      const { reminders } = await client.call(routes.myReminders, { token: tok.M0023 })
      assert.deepEqual(
        reminders.map((r) => [r.key, r.title, r.page]),
        [['waitlist_promoted', '候补成功', `packages/events/pages/event?id=${e.id}`]],
      )
      assert.match(reminders[0].body, /测试联谊/)
      assert.deepEqual((await client.call(routes.myReminders, { token: tok.M0022 })).reminders, [])
    })

    test('flowers result: every checked-in attendee, when the phase closes, once', async () => {
      const roots = await rootHosts(db())
      const e = await createEvent(s, tok.S0001, { hostUnionIds: roots, capacity: 50 })
      const who = ['M0031', 'M0032', 'M0033']
      for (const no of who) {
        await login(no)
        await signUp(s, tok[no], e.id, no === 'M0032' ? 'male' : 'female', no)
      }
      // The mixer on its day (check-in and the flower phase only after the start).
      await moveEventTo(s, tok.S0001, e.id, 'started')
      // M0033 never checks in: no result for them.
      await checkInByStaff(s, tok.S0001, e.id, ids.M0031)
      await checkInByStaff(s, tok.S0001, e.id, ids.M0032)
      await setPhase(s, tok.S0001, e.id, true)
      assert.deepEqual(await outboxOf(sql`key = 'flowers_result'`), [])
      await setPhase(s, tok.S0001, e.id, false)
      await setPhase(s, tok.S0001, e.id, false)
      const written = await outboxOf(sql`key = 'flowers_result'`)
      assert.deepEqual(
        written.map((r) => [r.member_id, r.page]).sort(),
        [
          [ids.M0031, `packages/events/pages/flowers?id=${e.id}`],
          [ids.M0032, `packages/events/pages/flowers?id=${e.id}`],
        ].sort(),
      )
    })

    test('pack shipped: with the ship; a rolled-back ship writes nothing', async () => {
      const sifang = await unionIdOf(db(), '四方继保工会')
      const { campaign: c } = await client.call(routes.createCoolingCampaign, {
        token: tok.S0101,
        body: campaignBody(sifang),
      })
      const water = c.items.find((i) => i.name === '矿泉水')!.id
      const saved = await client.call(routes.saveCoolingPack, {
        token: tok.M0003,
        params: { id: c.id },
        body: { items: [{ itemId: water, quantity: 2 }], delivery: { kind: 'pickup' } },
      })
      const closed = await s.request({
        method: 'POST',
        url: `/api/v1/staff/cooling/campaigns/${c.id}/close`,
        token: tok.S0101,
      })
      assert.equal(closed.statusCode, 200, closed.body)
      const other = await first<{ id: number }>(
        db(),
        sql`SELECT id FROM cooling_packs WHERE campaign_id = ${c.id} AND member_id = ${ids.M0008}`,
      )
      // The change fails after the ship: neither the ship nor its message stays.
      await assert.rejects(
        db().transaction(async (tx) => {
          assert.deepEqual(await shipPacks(tx, sql`p.id = ${other!.id}`, ids.S0101, new Date()), [
            other!.id,
          ])
          throw new Error('rolled back')
        }),
        /rolled back/,
      )
      assert.deepEqual(await outboxOf(sql`key = 'pack_shipped'`), [])
      const shipped = await s.request({
        method: 'POST',
        url: `/api/v1/staff/cooling/packs/${saved.pack.id}/shipped`,
        token: tok.S0101,
      })
      assert.equal(shipped.statusCode, 200, shipped.body)
      const written = await outboxOf(sql`key = 'pack_shipped'`)
      assert.deepEqual(
        written.map((r) => [r.member_id, r.page]),
        [[ids.M0003, `packages/cooling/pages/campaign?id=${c.id}`]],
      )
    })

    test('pickup expiring: written by the reminders run within 24 h of the deadline, once', async () => {
      const zgc = await unionIdOf(db(), '中关村科学城工会')
      const { item } = await client.call(routes.createItem, {
        token: tok.S0001,
        body: { unionId: zgc, name: '提醒测试商品', pointsCost: 1, stock: 10, perMemberLimit: 5 },
      })
      const redeemed = await client.callRaw(routes.createOrder, {
        token: tok.M0001,
        body: { itemId: item.id, quantity: 1 },
        idempotencyKey: newKey(),
      })
      assert.equal(redeemed.statusCode, 201, redeemed.body)
      const order = await first<{ id: number; pickup_deadline: Date }>(
        db(),
        sql`SELECT id, pickup_deadline FROM mall_orders
            WHERE member_id = ${ids.M0001} AND item_id = ${item.id}`,
      )
      const deadline = new Date(order!.pickup_deadline).getTime()
      const mine = sql`dedupe_key = ${`pickup_expiring:order:${order!.id}`}`
      await s.app.notifier.writeReminders(new Date(deadline - 25 * HOUR))
      assert.deepEqual(await outboxOf(mine), [])
      await s.app.notifier.writeReminders(new Date(deadline - 23 * HOUR))
      await s.app.notifier.writeReminders(new Date(deadline - 22 * HOUR))
      const written = await outboxOf(mine)
      assert.deepEqual(
        written.map((r) => [r.member_id, r.key, r.page]),
        [[ids.M0001, 'pickup_expiring', 'packages/mall/pages/orders']],
      )
      // Past the deadline (the order expires): no reminder for it any more.
      assert.equal(await s.app.notifier.writeReminders(new Date(deadline + HOUR)), 0)
    })

    test('legal reminder: the day before; a booking that fails leaves nothing', async () => {
      const res = await s.request({
        method: 'GET',
        url: `/api/v1/legal/slots?from=${new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10)}&to=${new Date(Date.now() + 9 * DAY).toISOString().slice(0, 10)}`,
        token: tok.M0003,
      })
      assert.equal(res.statusCode, 200, res.body)
      const slot = (res.json() as { slots: LegalSlot[] }).slots.find((x) => x.available)!
      const body = {
        slotId: slot.id,
        topicId: 2,
        phone: '13800138000',
        description: '公司拖欠我三个月工资，想咨询如何申请劳动仲裁。',
      }
      const book = (no: string) =>
        s.request({
          method: 'POST',
          url: '/api/v1/legal/bookings',
          token: tok[no],
          body,
          headers: { 'idempotency-key': newKey() },
        })
      const ok = await book('M0003')
      assert.equal(ok.statusCode, 201, ok.body)
      // The same slot again: refused, rolled back, and no reminder ever comes of it.
      assert.ok((await book('M0008')).statusCode >= 400)
      const starts = Date.parse(slot.startsAt)
      // Two days before: not yet; the evening before (Shanghai): due.
      await s.app.notifier.writeReminders(new Date(starts - 2 * DAY))
      assert.deepEqual(await outboxOf(sql`key = 'legal_reminder'`), [])
      await s.app.notifier.writeReminders(new Date(starts - DAY))
      await s.app.notifier.writeReminders(new Date(starts - DAY + HOUR))
      const written = await outboxOf(sql`key = 'legal_reminder'`)
      assert.equal(written.length, 1)
      assert.equal(written[0].member_id, ids.M0003)
      assert.match(written[0].page, /^packages\/legal\/pages\/booking\?id=\d+$/)
    })

    test('sender: sent with the template, skipped without a subscription or WeChat binding', async () => {
      await bindWechat('M0003')
      const before0 = wechat.messages.length
      await subscribe('M0003', [{ key: 'pack_shipped', accepted: true }])
      // Everything written so far goes out or is skipped; this one goes.
      await s.app.notifier.sendDue(new Date())
      const m = await message('M0003')
      const sent0 = wechat.messages.length
      const run = await s.app.notifier.sendDue(new Date())
      assert.equal(run.sent, 0) // the earlier run used M0003's only pack_shipped subscription
      assert.equal((await rowById(m.id)).status, 'skipped')
      assert.equal((await rowById(m.id)).last_error, '未订阅该消息')
      assert.equal(wechat.messages.length, sent0)
      assert.ok(sent0 - before0 <= 1)

      await subscribe('M0003', [{ key: 'pack_shipped', accepted: true }])
      const m2 = await message('M0003')
      assert.deepEqual(await s.app.notifier.sendDue(new Date()), {
        sent: 1,
        skipped: 0,
        retried: 0,
        failed: 0,
      })
      const got = wechat.messages[wechat.messages.length - 1]
      assert.deepEqual(got.body, {
        touser: 'openid-M0003',
        template_id: 'demo-pack_shipped',
        page: 'pages/home/index',
        data: { thing1: { value: '测试' } },
        miniprogram_state: 'formal',
        lang: 'zh_CN',
      })
      assert.equal((await rowById(m2.id)).status, 'sent')
      assert.equal(await remaining('M0003', 'pack_shipped'), 0)

      // Not bound to WeChat: skipped, whatever was accepted; the app still lists it.
      await subscribe('M0013', [{ key: 'legal_reminder', accepted: true }])
      const m3 = await message('M0013', 'legal_reminder')
      const n = wechat.messages.length
      await s.app.notifier.sendDue(new Date())
      assert.deepEqual(
        [(await rowById(m3.id)).status, (await rowById(m3.id)).last_error],
        ['skipped', '未绑定微信'],
      )
      assert.equal(wechat.messages.length, n)
      assert.equal(await remaining('M0013', 'legal_reminder'), 1)
      const listed = await client.call(routes.myReminders, { token: tok.M0013 })
      assert.ok(listed.reminders.some((r) => r.key === 'legal_reminder'))
    })

    test('sender: 43101 skips and clears the count; 5xx retries with backoff, then sends once', async () => {
      await bindWechat('M0008')
      await s.app.notifier.sendDue(new Date())
      await subscribe('M0008', [
        { key: 'flowers_result', accepted: true },
        { key: 'pickup_expiring', accepted: true },
      ])
      await subscribe('M0008', [{ key: 'flowers_result', accepted: true }])
      const refused = await message('M0008', 'flowers_result')
      wechat.sendAnswers.push(43101)
      await s.app.notifier.sendDue(new Date())
      assert.deepEqual(
        [(await rowById(refused.id)).status, (await rowById(refused.id)).attempts],
        ['skipped', 1],
      )
      assert.match((await rowById(refused.id)).last_error ?? '', /43101/)
      assert.equal(await remaining('M0008', 'flowers_result'), 0)

      const m = await message('M0008', 'pickup_expiring')
      wechat.sendAnswers.push(500, 503)
      const t0 = Date.now() + 1000
      const n = wechat.messages.length
      assert.equal((await s.app.notifier.sendDue(new Date(t0))).retried, 1)
      let row = await rowById(m.id)
      assert.deepEqual([row.status, row.attempts], ['pending', 1])
      assert.equal(new Date(row.next_attempt_at).getTime(), t0 + RETRY_BASE_MS)
      // The count is not used by a failed send.
      assert.equal(await remaining('M0008', 'pickup_expiring'), 1)
      // Before the backoff is over: nothing is sent.
      await s.app.notifier.sendDue(new Date(t0 + RETRY_BASE_MS - 1))
      assert.equal(wechat.messages.length, n + 1)
      await s.app.notifier.sendDue(new Date(t0 + RETRY_BASE_MS))
      row = await rowById(m.id)
      assert.deepEqual([row.status, row.attempts], ['pending', 2])
      assert.equal(new Date(row.next_attempt_at).getTime(), t0 + RETRY_BASE_MS + 2 * RETRY_BASE_MS)
      await s.app.notifier.sendDue(new Date(t0 + 3 * RETRY_BASE_MS))
      row = await rowById(m.id)
      assert.deepEqual([row.status, row.attempts], ['sent', 3])
      assert.deepEqual(
        wechat.messages.slice(n).map((x) => x.answer),
        [500, 503, 'ok'],
      )
      assert.equal(await remaining('M0008', 'pickup_expiring'), 0)
      // Sent is sent: another run sends nothing more.
      await s.app.notifier.sendDue(new Date(t0 + 10 * RETRY_BASE_MS))
      assert.equal(wechat.messages.length, n + 3)
    })

    test('sender: fails after the last attempt; a message a dead process left sending never goes twice', async () => {
      await bindWechat('M0001')
      await s.app.notifier.sendDue(new Date())
      const t0 = Date.now() + 1000
      await subscribe('M0001', [{ key: 'legal_reminder', accepted: true }])
      const m = await message('M0001', 'legal_reminder')
      wechat.sendDefault.answer = 502
      try {
        let at = t0
        for (let i = 1; i <= MAX_SEND_ATTEMPTS; i++) {
          await s.app.notifier.sendDue(new Date(at))
          at += RETRY_BASE_MS * 2 ** (i - 1)
        }
      } finally {
        wechat.sendDefault.answer = 'ok'
      }
      const failed = await rowById(m.id)
      assert.deepEqual([failed.status, failed.attempts], ['failed', MAX_SEND_ATTEMPTS])
      assert.equal(await remaining('M0001', 'legal_reminder'), 1)

      // A process claims the message (count used, `sending`) and dies before WeChat answers.
      const m2 = await message('M0001', 'legal_reminder')
      const { claimed } = await claimDue(
        { db: db(), notifications: s.config.notifications },
        new Date(t0),
      )
      assert.deepEqual(
        claimed.map((c) => c.id),
        [m2.id],
      )
      const n = wechat.messages.length
      // The other processes (or this one restarted) do not send it again, now or later.
      await s.app.notifier.sendDue(new Date(t0))
      assert.equal((await rowById(m2.id)).status, 'sending')
      await s.app.notifier.sendDue(new Date(t0 + SENDING_LEASE_MS))
      const lost = await rowById(m2.id)
      assert.equal(lost.status, 'failed')
      assert.match(lost.last_error ?? '', /不再重发/)
      await s.app.notifier.sendDue(new Date(t0 + 2 * SENDING_LEASE_MS))
      assert.equal(wechat.messages.length, n)
    })
  })
}
