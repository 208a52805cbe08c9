import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type {
  FlowersResponse,
  MatchesResponse,
  MyRegistration,
  SendFlowerResponse,
} from '../../src/contract/events'
import { first } from '../../server/db/sql'
import { memberIdOf } from '../support/points'
import {
  brokenEventInvariants,
  checkInByStaff,
  createEvent,
  expectError,
  rootHosts,
  moveEventTo,
  setPhase,
  signUp,
} from '../support/events'
import { engines, startTestServer, type TestServer } from '../support/server'

type Answer = Awaited<ReturnType<TestServer['request']>>

for (const engine of engines()) {
  describe(`flowers on ${engine}`, () => {
    let s: TestServer
    let staff: string
    let roots: number[]
    const tok: Record<string, string> = {}
    const ids: Record<string, number> = {}
    const reg: Record<string, MyRegistration> = {}
    let next = 2
    const fresh = () => `M${String(next++).padStart(4, '0')}`

    before(async () => {
      s = await startTestServer(engine)
      staff = await s.login('S0001')
      roots = await rootHosts(s.database.db)
    })
    after(async () => {
      if (s) assert.deepEqual(await brokenEventInvariants(s.database.db), [])
      await s?.close()
    })

    /** A new event with `names` signed up (and checked in unless listed in `notIn`). */
    async function mixer(
      names: Array<[string, 'male' | 'female']>,
      notIn: string[] = [],
    ): Promise<number> {
      const e = await createEvent(s, staff, { hostUnionIds: roots, capacity: 50 })
      for (const [name, gender] of names) {
        const no = fresh()
        tok[name] = await s.login(no)
        ids[name] = await memberIdOf(s.database.db, no)
        reg[name] = await signUp(s, tok[name], e.id, gender, name)
      }
      // The day of the mixer: check-in, groups and flowers happen once it started.
      await moveEventTo(s, staff, e.id, 'started')
      for (const [name] of names) {
        if (!notIn.includes(name)) await checkInByStaff(s, staff, e.id, ids[name])
      }
      return e.id
    }

    const send = (who: string, eventId: number, to: string, headers?: Record<string, string>) =>
      s.request({
        method: 'POST',
        url: `/api/v1/events/${eventId}/flowers`,
        token: tok[who],
        body: { toAttendeeId: to },
        headers,
      })
    const flowers = async (who: string, eventId: number): Promise<FlowersResponse> => {
      const res = await s.request({
        method: 'GET',
        url: `/api/v1/events/${eventId}/flowers`,
        token: tok[who],
      })
      assert.equal(res.statusCode, 200, res.body)
      return res.json() as FlowersResponse
    }
    const matches = async (eventId: number): Promise<MatchesResponse> => {
      const res = await s.request({
        method: 'GET',
        url: `/api/v1/staff/events/${eventId}/matches`,
        token: staff,
      })
      assert.equal(res.statusCode, 200, res.body)
      return res.json() as MatchesResponse
    }
    const id = (name: string) => reg[name].attendeeId
    const left = (res: Answer) => {
      assert.equal(res.statusCode, 201, res.body)
      return (res.json() as SendFlowerResponse).left
    }

    test('every rule of sending, before, during and after the flower phase', async () => {
      const ev = await mixer(
        [
          ['甲', 'male'],
          ['乙', 'male'],
          ['丙', 'male'],
          ['丁', 'female'],
          ['戊', 'female'],
          ['己', 'female'],
          ['庚', 'female'],
        ],
        ['庚'],
      )
      const other = await mixer([['外', 'male']])
      await setPhase(s, staff, other, true)

      // Not open yet.
      assert.match(
        expectError(await send('甲', ev, id('丁')), 409, 'FLOWER_PHASE_CLOSED'),
        /还没有开始/,
      )
      assert.equal((await flowers('甲', ev)).phase, 'not_open')
      expectError(
        await s.request({ method: 'GET', url: `/api/v1/events/${ev}/flowers`, token: tok['庚'] }),
        422,
        'NOT_CHECKED_IN',
      )
      await setPhase(s, staff, ev, true)

      expectError(await send('甲', ev, id('甲')), 422, 'CANNOT_SEND_TO_SELF')
      // 庚 signed up but did not check in: neither receives nor sends.
      expectError(await send('甲', ev, id('庚')), 422, 'NOT_CHECKED_IN')
      expectError(await send('庚', ev, id('甲')), 422, 'NOT_CHECKED_IN')
      // An attendee of another event cannot send here, nor there to someone from here.
      expectError(await send('外', ev, id('丁')), 422, 'NOT_CHECKED_IN')
      expectError(await send('外', other, id('丁')), 422, 'NOT_CHECKED_IN')
      expectError(await send('甲', ev, id('外')), 422, 'NOT_CHECKED_IN')
      expectError(await send('甲', ev, 'no-such-attendee'), 422, 'NOT_CHECKED_IN')
      expectError(await send('甲', 999_999, id('丁')), 404, 'NOT_FOUND')
      expectError(
        await s.request({
          method: 'POST',
          url: `/api/v1/events/${ev}/flowers`,
          token: tok['甲'],
          body: { toAttendeeId: id('丁'), extra: true },
        }),
        400,
        'BAD_REQUEST',
      )
      // Nothing above spent a flower.
      assert.equal((await flowers('甲', ev)).left, 3)

      assert.equal(left(await send('甲', ev, id('丁'))), 2)
      expectError(await send('甲', ev, id('丁')), 409, 'ALREADY_SENT')
      assert.equal(left(await send('甲', ev, id('戊'))), 1)
      assert.equal(left(await send('甲', ev, id('己'))), 0)
      expectError(await send('甲', ev, id('乙')), 409, 'NO_FLOWERS_LEFT')
      const mine = await flowers('甲', ev)
      assert.deepEqual(mine.sentTo, [id('丁'), id('戊'), id('己')])
      assert.equal(mine.left, 0)

      // A retry with the same Idempotency-Key answers the first result and spends nothing.
      const key = { 'idempotency-key': `flower-${ev}-yi-ding` }
      const once = await send('乙', ev, id('丁'), key)
      const twice = await send('乙', ev, id('丁'), key)
      assert.equal(left(once), 2)
      assert.deepEqual(twice.json(), once.json())
      assert.equal((await flowers('乙', ev)).left, 2)

      // 丁 sends back to 甲: a match — but nobody sees it while the phase is open.
      assert.equal(left(await send('丁', ev, id('甲'))), 2)
      for (const who of ['甲', '丁', '戊']) {
        const f = await flowers(who, ev)
        assert.equal(f.oneSided, null)
        assert.deepEqual(f.matches, [])
      }
      // Nor does the organiser see a total rising live.
      const live = await matches(ev)
      assert.deepEqual(
        [live.pairs, live.pairDetails, live.flowersSent, live.attendees, live.phase],
        [[], [], null, 6, 'open'],
      )

      await setPhase(s, staff, ev, false)
      assert.match(
        expectError(await send('乙', ev, id('戊')), 409, 'FLOWER_PHASE_CLOSED'),
        /已经结束/,
      )
      // Only 3 attendees sent flowers: too few for anyone to learn of one-sided flowers.
      const a = await flowers('甲', ev)
      assert.deepEqual(
        [a.oneSided, a.matches, a.phase],
        ['withheld', [{ attendeeId: id('丁'), nickname: '丁' }], 'closed'],
      )
      const d = await flowers('丁', ev)
      assert.deepEqual(
        [d.oneSided, d.matches],
        ['withheld', [{ attendeeId: id('甲'), nickname: '甲' }]],
      )
      const e = await flowers('戊', ev)
      assert.deepEqual([e.oneSided, e.matches], ['withheld', []])
      const done = await matches(ev)
      assert.deepEqual(
        done.pairs.map((p) => [...p].sort()),
        [[id('甲'), id('丁')].sort()],
      )
      // The total too: fewer than 5 senders.
      assert.equal(done.flowersSent, null)
      assert.equal(done.phase, 'closed')
    })

    test('privacy: nothing the recipient of a one-sided flower sees names its sender', async () => {
      const ev = await mixer([
        ['送花人', 'male'],
        ['收花人', 'female'],
        ['旁人', 'male'],
        ['甲一', 'male'],
        ['甲二', 'male'],
        ['甲三', 'male'],
      ])
      const sender = await first<{ member_no: string; name: string }>(
        s.database.db,
        sql`SELECT member_no, name FROM members WHERE id = ${ids['送花人']}`,
      )
      assert.ok(sender)
      const secrets = [id('送花人'), '送花人', sender.member_no, sender.name]
      const senderMemberId = new RegExp(`[:\\[,]${ids['送花人']}[,\\]}]`)
      const leaks = (label: string, body: string) => {
        for (const secret of secrets) {
          assert.ok(!body.includes(secret), `${label} names the sender (${secret}): ${body}`)
        }
        assert.ok(!senderMemberId.test(body), `${label} holds the sender's member id: ${body}`)
      }
      // Everything the recipient can ask about this event.
      const views = async () => {
        const out: Record<string, string> = {}
        for (const path of ['', '/attendees', '/rounds', '/flowers']) {
          const res = await s.request({
            method: 'GET',
            url: `/api/v1/events/${ev}${path}`,
            token: tok['收花人'],
          })
          assert.equal(res.statusCode, 200, res.body)
          out[path] = res.body
        }
        const list = await s.request({ method: 'GET', url: '/api/v1/events', token: tok['收花人'] })
        out.list = list.body
        return out
      }
      await s.request({
        method: 'POST',
        url: `/api/v1/staff/events/${ev}/groups`,
        token: staff,
        body: { groupCount: 2, rounds: 2, rotating: 'male' },
      })
      await setPhase(s, staff, ev, true)
      const beforeSend = await views()
      assert.equal(left(await send('送花人', ev, id('收花人'))), 2)
      // While open, the recipient's every view is byte for byte what it was before the flower.
      assert.deepEqual(await views(), beforeSend)
      leaks('flowers (open)', beforeSend['/flowers'])

      // Errors for sending to the sender are the errors for sending to anyone else.
      for (const other of ['甲一', '甲二', '甲三']) left(await send('收花人', ev, id(other)))
      const toSender = await send('收花人', ev, id('送花人'))
      const toBystander = await send('收花人', ev, id('旁人'))
      expectError(toSender, 409, 'NO_FLOWERS_LEFT')
      assert.equal(toSender.body, toBystander.body)
      leaks('error', toSender.body)

      await setPhase(s, staff, ev, false)
      const closed = await views()
      const f = JSON.parse(closed['/flowers']) as FlowersResponse
      // Who could have sent 收花人 a one-sided flower: 送花人 and 旁人 only — so not a word.
      assert.equal(f.oneSided, 'withheld')
      assert.deepEqual(f.matches, [])
      leaks('flowers (closed)', closed['/flowers'])
      for (const path of ['', '/rounds', 'list']) leaks(path || 'event', closed[path])
      // The attendee list names everyone who checked in, the sender too, in the same order as
      // before any flower: it says nothing about flowers.
      assert.equal(closed['/attendees'], beforeSend['/attendees'])
      const afterClose = [
        await send('收花人', ev, id('送花人')),
        await send('收花人', ev, id('旁人')),
      ]
      assert.equal(afterClose[0].body, afterClose[1].body)
      leaks('error (closed)', afterClose[0].body)
      // The organiser sees pairs and totals only: none here.
      const staffView = await s.request({
        method: 'GET',
        url: `/api/v1/staff/events/${ev}/matches`,
        token: staff,
      })
      assert.deepEqual((staffView.json() as MatchesResponse).pairs, [])
      leaks('organiser matches', staffView.body)
    })

    test('after the close: 有人送花 only where 5 or more who could have sent one did send flowers', async () => {
      // 甲…己 each send 收 a flower; 收 sends one to 甲 (a match); 无 neither sends nor receives.
      const ev = await mixer([
        ['收', 'female'],
        ['无', 'female'],
        ['甲', 'male'],
        ['乙', 'male'],
        ['丙', 'male'],
        ['丁', 'male'],
        ['戊', 'male'],
        ['己', 'male'],
      ])
      await setPhase(s, staff, ev, true)
      for (const who of ['甲', '乙', '丙', '丁', '戊', '己']) left(await send(who, ev, id('收')))
      left(await send('收', ev, id('甲')))
      assert.equal((await flowers('收', ev)).oneSided, null)
      assert.equal((await matches(ev)).flowersSent, null)
      await setPhase(s, staff, ev, false)

      // 收: could have been sent a one-sided flower by 无 乙 丙 丁 戊 己 (not 甲: 收 sent 甲 one,
      // so 甲's back is the match); 5 of them sent flowers — so 有人送花, without a number.
      const r = await flowers('收', ev)
      assert.deepEqual(
        [r.oneSided, r.matches],
        ['some', [{ attendeeId: id('甲'), nickname: '甲' }]],
      )
      assert.equal(r.receivedCount, null, 'no count of received flowers')
      // 甲: the match only; 收's flower is the match, not a one-sided flower.
      const a = await flowers('甲', ev)
      assert.deepEqual(
        [a.oneSided, a.matches],
        ['none', [{ attendeeId: id('收'), nickname: '收' }]],
      )
      // 无: 7 sent flowers, none to 无.
      const none = await flowers('无', ev)
      assert.deepEqual([none.oneSided, none.matches], ['none', []])
      // 乙 sent 收 a flower: could have been sent one by 无 甲 丙 丁 戊 己, of whom 5 sent flowers.
      assert.equal((await flowers('乙', ev)).oneSided, 'none')

      const m = await matches(ev)
      assert.deepEqual(
        m.pairs.map((p) => [...p].sort()),
        [[id('收'), id('甲')].sort()],
      )
      assert.deepEqual([m.flowersSent, m.attendees], [7, 8])
    })

    test('privacy after the close, small event: worlds that differ only in who sent a one-sided flower look the same', async () => {
      // Five attendees. 收 sends 丙 (who sends back: a match), 甲 and 乙; so the only one who could
      // send 收 a one-sided flower is 丁. World 1: 丁 sends 收 one. World 2: 丁 sends 甲 one
      // instead (the same number of flowers and senders). World 3: 丁 sends none.
      const roles = ['收', '丙', '甲', '乙', '丁']
      const worlds = [
        { w: 1, to: '收' },
        { w: 2, to: '甲' },
        { w: 3, to: null },
      ]
      const seen: Array<Record<string, unknown>> = []
      for (const { w, to } of worlds) {
        const n = (role: string) => `${role}${w}`
        const ev = await mixer(roles.map((r) => [n(r), r === '收' ? 'female' : 'male']))
        await setPhase(s, staff, ev, true)
        for (const other of ['丙', '甲', '乙']) left(await send(n('收'), ev, id(n(other))))
        left(await send(n('丙'), ev, id(n('收'))))
        if (to) left(await send(n('丁'), ev, id(n(to))))
        await setPhase(s, staff, ev, false)

        // Public ids and nicknames back to roles, lists in a fixed order: what is left is what
        // the answer says.
        const plain = (body: string): unknown => {
          let text = body
          for (const r of roles)
            text = text
              .split(id(n(r)))
              .join(`<${r}>`)
              .split(n(r))
              .join(r)
          const sortDeep = (v: unknown): unknown =>
            Array.isArray(v)
              ? v.map(sortDeep).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1))
              : v && typeof v === 'object'
                ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sortDeep(x)]))
                : v
          return sortDeep(JSON.parse(text))
        }
        const view: Record<string, unknown> = {}
        for (const who of ['收', '甲', '乙', '丙']) {
          for (const path of ['/flowers', '/attendees', '/rounds']) {
            const res = await s.request({
              method: 'GET',
              url: `/api/v1/events/${ev}${path}`,
              token: tok[n(who)],
            })
            assert.equal(res.statusCode, 200, res.body)
            view[`${who}${path}`] = plain(res.body)
          }
        }
        const organiser = await s.request({
          method: 'GET',
          url: `/api/v1/staff/events/${ev}/matches`,
          token: staff,
        })
        view.organiser = plain(organiser.body)
        seen.push(view)
      }
      // 收 (and everyone else but 丁) sees the same in all three worlds: nothing tells whether 丁
      // sent 收 a flower. So does the organiser.
      assert.deepEqual(seen[1], seen[0])
      assert.deepEqual(seen[2], seen[0])
      const r = seen[0]['收/flowers'] as FlowersResponse
      assert.deepEqual(
        [r.oneSided, r.matches],
        ['withheld', [{ attendeeId: '<丙>', nickname: '丙' }]],
      )
      assert.equal((seen[0].organiser as MatchesResponse).flowersSent, null)
    })
  })
}
