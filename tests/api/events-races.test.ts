/**
 * Races of events and flowers on PostgreSQL (PGlite serialises every transaction and would hide
 * them). Each scenario fires its requests all at once over real HTTP, then checks the rules in SQL.
 *
 * Is the race real? The server's own `request` events count the requests in flight together
 * (`peak()`); each scenario asserts a peak far above 1, and with a pool of 10 connections up to 10
 * transactions ran side by side in PostgreSQL. That this overlap breaks an unguarded
 * read-count-then-insert is proven once for all race suites, by tests/api/race-harness.test.ts.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type { MatchesResponse, MyRegistration, StaffEvent } from '../../src/contract/events'
import { first, rows } from '../../server/db/sql'
import { createSessions } from '../../server/lib/sessions'
import { listen, type HttpAnswer, type HttpClient } from '../support/http'
import { brokenEventInvariants, eventTimesAt, openWindows, rootHosts } from '../support/events'
import { startTestServer, type TestServer } from '../support/server'

const onPostgres = Boolean(process.env.DATABASE_URL)

describe(
  'event and flower races on PostgreSQL',
  { skip: !onPostgres && 'DATABASE_URL is not set' },
  () => {
    let s: TestServer
    let api: HttpClient
    let roots: number[]
    /** M0001…M0300 in order: member id and token. */
    let members: Array<{ id: number; no: string; token: string }> = []
    let staff: string

    before(async () => {
      s = await startTestServer('postgres')
      api = await listen(s.app)
      roots = await rootHosts(s.database.db)
      const list = await rows<{ id: number; member_no: string }>(
        s.database.db,
        sql`SELECT id, member_no FROM members ORDER BY member_no`,
      )
      const tokens = await createSessions(
        s.database.db,
        list.map((m) => m.id),
        'dev',
        3600,
      )
      list.forEach((m, i) => {
        if (m.member_no === 'S0001') staff = tokens[i]
      })
      members = list
        .map((m, i) => ({ id: m.id, no: m.member_no, token: tokens[i] }))
        .filter((m) => m.no.startsWith('M'))
      assert.equal(members.length, 300)
    })
    after(async () => {
      api?.close()
      if (s) assert.deepEqual(await brokenEventInvariants(s.database.db), [])
      await s?.close()
    })

    const json = <T>(a: HttpAnswer) => JSON.parse(a.body) as T

    async function createEvent(fields: Record<string, unknown>): Promise<StaffEvent> {
      const res = await api.request({
        method: 'POST',
        path: '/api/v1/staff/events',
        token: staff,
        body: {
          title: '并发联谊',
          venue: '场地',
          hostUnionIds: roots,
          ...openWindows(),
          ...fields,
        },
      })
      assert.equal(res.status, 201, res.body)
      return json<{ event: StaffEvent }>(res).event
    }

    const signUp = (
      m: { token: string },
      eventId: number,
      gender: 'male' | 'female',
      nickname: string,
    ) =>
      api.request({
        method: 'POST',
        path: `/api/v1/events/${eventId}/signup`,
        token: m.token,
        body: { profile: { nickname, gender, birthYear: 1995, intro: '' } },
      })

    /** `count` members signed up and checked in (all at once); their registrations. */
    async function attendees(eventId: number, count: number): Promise<MyRegistration[]> {
      const crowd = members.slice(0, count)
      const signed = await Promise.all(
        crowd.map((m, i) => signUp(m, eventId, i % 2 ? 'female' : 'male', `嘉宾${i}`)),
      )
      const regs = signed.map((a) => {
        assert.equal(a.status, 201, a.body)
        return json<{ registration: MyRegistration }>(a).registration
      })
      // The day of the mixer: the organiser moves the start to a minute ago (check-in, groups
      // and flowers happen once it started).
      const moved = await api.request({
        method: 'PATCH',
        path: `/api/v1/staff/events/${eventId}`,
        token: staff,
        body: eventTimesAt('started'),
      })
      assert.equal(moved.status, 200, moved.body)
      const checked = await Promise.all(
        crowd.map((m) =>
          api.request({
            method: 'POST',
            path: `/api/v1/staff/events/${eventId}/checkins`,
            token: staff,
            body: { memberId: m.id },
          }),
        ),
      )
      for (const c of checked) assert.equal(c.status, 200, c.body)
      return regs
    }

    const phase = (eventId: number, open: boolean) =>
      api.request({
        method: 'POST',
        path: `/api/v1/staff/events/${eventId}/flower-phase`,
        token: staff,
        body: { open },
      })

    const send = (m: { token: string }, eventId: number, to: string) =>
      api.request({
        method: 'POST',
        path: `/api/v1/events/${eventId}/flowers`,
        token: m.token,
        body: { toAttendeeId: to },
      })

    test('300 sign-ups at once for 200 places → 200 confirmed, waitlist 1…100 in order', async (t) => {
      const e = await createEvent({ capacity: 200 })
      api.resetPeak()
      const answers = await Promise.all(
        members.map((m, i) => signUp(m, e.id, i % 2 ? 'female' : 'male', `并发${i}`)),
      )
      t.diagnostic(`peak in flight: ${api.peak()}`)
      assert.ok(api.peak() >= 50, `peak ${api.peak()}`)
      for (const a of answers) assert.equal(a.status, 201, a.body)
      const regs = answers.map((a) => json<{ registration: MyRegistration }>(a).registration)
      const confirmed = regs.filter((r) => r.status === 'confirmed')
      const waitlisted = regs.filter((r) => r.status === 'waitlisted')
      t.diagnostic(`route: ${confirmed.length} confirmed, ${waitlisted.length} waitlisted`)
      assert.equal(confirmed.length, 200)
      assert.deepEqual(
        waitlisted.map((r) => r.waitlistPosition).sort((a, b) => (a ?? 0) - (b ?? 0)),
        Array.from({ length: 100 }, (_, i) => i + 1),
      )
      // In SQL: the places went to the first 200 in line; the waitlist is the rest, in line order,
      // and the positions each member was told are their places in that line.
      const line = await rows<{ id: number; status: string; queue_seq: number }>(
        s.database.db,
        sql`SELECT id, status, queue_seq FROM event_registrations WHERE event_id = ${e.id}
          ORDER BY queue_seq`,
      )
      assert.deepEqual(
        line.map((r) => r.queue_seq),
        Array.from({ length: 300 }, (_, i) => i + 1),
      )
      assert.ok(line.slice(0, 200).every((r) => r.status === 'confirmed'))
      assert.ok(line.slice(200).every((r) => r.status === 'waitlisted'))
      const told = new Map(waitlisted.map((r) => [r.id, r.waitlistPosition]))
      line.slice(200).forEach((r, i) => assert.equal(told.get(r.id), i + 1))
      const ev = await first<{ m: number; f: number }>(
        s.database.db,
        sql`SELECT confirmed_male AS m, confirmed_female AS f FROM events WHERE id = ${e.id}`,
      )
      assert.equal((ev?.m ?? 0) + (ev?.f ?? 0), 200)
      assert.deepEqual(await brokenEventInvariants(s.database.db), [])
    })

    test('per-gender places under a crowd, and cancellations racing new sign-ups', async (t) => {
      const e = await createEvent({ capacity: 100, capacityPerGender: { male: 50, female: 50 } })
      const first150 = members.slice(0, 150)
      api.resetPeak()
      const answers = await Promise.all(
        first150.map((m, i) => signUp(m, e.id, i % 3 === 0 ? 'female' : 'male', `性别${i}`)),
      )
      assert.ok(api.peak() >= 50, `peak ${api.peak()}`)
      for (const a of answers) assert.equal(a.status, 201, a.body)
      const count = async () =>
        first<{ m: number; f: number; w: number }>(
          s.database.db,
          sql`SELECT count(*) FILTER (WHERE status = 'confirmed' AND gender = 'male')::int AS m,
                   count(*) FILTER (WHERE status = 'confirmed' AND gender = 'female')::int AS f,
                   count(*) FILTER (WHERE status = 'waitlisted')::int AS w
            FROM event_registrations WHERE event_id = ${e.id}`,
        )
      assert.deepEqual(await count(), { m: 50, f: 50, w: 50 })
      // 40 confirmed members cancel while 100 more sign up, all at once.
      const confirmedMembers = await rows<{ member_id: number }>(
        s.database.db,
        sql`SELECT member_id FROM event_registrations WHERE event_id = ${e.id} AND status = 'confirmed'
          ORDER BY queue_seq LIMIT 40`,
      )
      const byId = new Map(members.map((m) => [m.id, m]))
      const cancels = confirmedMembers.map((r) => {
        const m = byId.get(r.member_id)
        assert.ok(m)
        return api.request({
          method: 'DELETE',
          path: `/api/v1/events/${e.id}/signup`,
          token: m.token,
        })
      })
      const late = members
        .slice(150, 250)
        .map((m, i) => signUp(m, e.id, i % 2 ? 'female' : 'male', `后来${i}`))
      api.resetPeak()
      for (const a of await Promise.all([...cancels, ...late]))
        assert.ok([200, 201].includes(a.status), a.body)
      t.diagnostic(`cancels and late sign-ups: peak in flight ${api.peak()}`)
      assert.ok(api.peak() >= 50, `peak ${api.peak()}`)
      const after = await count()
      assert.deepEqual([after?.m, after?.f], [50, 50])
      // 150 − 40 + 100 = 210 in line, 100 of them with a place.
      assert.equal(after?.w, 110)
      // FIFO per gender: nobody waits behind a later sign-up of their gender who got a place.
      const unfair = await rows<{ gender: string }>(
        s.database.db,
        sql`SELECT w.gender FROM event_registrations w JOIN event_registrations c
            ON c.event_id = w.event_id AND c.gender = w.gender AND c.status = 'confirmed'
          WHERE w.event_id = ${e.id} AND w.status = 'waitlisted' AND w.queue_seq < c.queue_seq
          LIMIT 1`,
      )
      assert.deepEqual(unfair, [])
      assert.deepEqual(await brokenEventInvariants(s.database.db), [])
    })

    test('one attendee fires 10 flowers at once → exactly 3', async (t) => {
      const e = await createEvent({ capacity: 20 })
      const regs = await attendees(e.id, 11)
      assert.equal((await phase(e.id, true)).status, 200)
      api.resetPeak()
      const answers = await Promise.all(
        regs.slice(1).map((r) => send(members[0], e.id, r.attendeeId)),
      )
      t.diagnostic(`peak in flight: ${api.peak()}`)
      assert.ok(api.peak() >= 5, `peak ${api.peak()}`)
      const ok = answers.filter((a) => a.status === 201)
      const none = answers.filter((a) => a.status === 409 && a.body.includes('NO_FLOWERS_LEFT'))
      t.diagnostic(`route: ${ok.length} sent, ${none.length} NO_FLOWERS_LEFT`)
      assert.equal(ok.length, 3)
      assert.equal(none.length, 7)
      const row = await first<{ n: number; left: number }>(
        s.database.db,
        sql`SELECT (SELECT count(*)::int FROM flowers WHERE sender_id = r.id) AS n,
                 a.flowers_left AS left
          FROM event_registrations r JOIN flower_allowances a ON a.registration_id = r.id
          WHERE r.id = ${regs[0].id}`,
      )
      assert.deepEqual(row, { n: 3, left: 0 })
    })

    test('200 attendees × 3 flowers at once → 600 flowers; the organiser’s pairs are the mutual ones', async (t) => {
      const e = await createEvent({ capacity: 200 })
      const regs = await attendees(e.id, 200)
      assert.equal((await phase(e.id, true)).status, 200)
      // Each sends to a neighbour on each side (mutual pairs) and to one seeded-random other.
      let seed = 42
      const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
      const plan: Array<[number, number]> = []
      for (let i = 0; i < 200; i++) {
        const picks = new Set([(i + 1) % 200, (i + 199) % 200])
        while (picks.size < 3) {
          const j = Math.floor(rand() * 200)
          if (j !== i) picks.add(j)
        }
        for (const j of picks) plan.push([i, j])
      }
      const t0 = Date.now()
      api.resetPeak()
      const answers = await Promise.all(
        plan.map(([i, j]) => send(members[i], e.id, regs[j].attendeeId)),
      )
      t.diagnostic(`600 flowers accepted in ${Date.now() - t0} ms, peak ${api.peak()} in flight`)
      assert.ok(api.peak() >= 50, `peak ${api.peak()}`)
      for (const a of answers) assert.equal(a.status, 201, a.body)
      const totals = await first<{ n: number; max: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n,
                 (SELECT max(c) FROM (SELECT count(*)::int AS c FROM flowers
                                      WHERE event_id = ${e.id} GROUP BY sender_id) x) AS max
          FROM flowers WHERE event_id = ${e.id}`,
      )
      assert.deepEqual(totals, { n: 600, max: 3 })
      assert.equal((await phase(e.id, false)).status, 200)
      const m = json<MatchesResponse>(
        await api.request({
          method: 'GET',
          path: `/api/v1/staff/events/${e.id}/matches`,
          token: staff,
        }),
      )
      const mutual = await rows<{ a: string; b: string }>(
        s.database.db,
        sql`SELECT ra.public_id AS a, rb.public_id AS b FROM flowers f
          JOIN flowers g ON g.sender_id = f.recipient_id AND g.recipient_id = f.sender_id
          JOIN event_registrations ra ON ra.id = f.sender_id
          JOIN event_registrations rb ON rb.id = f.recipient_id
          WHERE f.event_id = ${e.id} AND ra.public_id < rb.public_id`,
      )
      const key = (p: string[]) => [...p].sort().join('|')
      assert.deepEqual(m.pairs.map(key).sort(), mutual.map((p) => key([p.a, p.b])).sort())
      // The plan is seeded: its mutual pairs (every neighbour pair, and any random pick returned)
      // are known before a flower is sent.
      const planned = new Set(plan.map(([i, j]) => `${i}>${j}`))
      const mutualInPlan = plan.filter(([i, j]) => i < j && planned.has(`${j}>${i}`)).length
      assert.ok(mutualInPlan >= 200, 'every neighbour pair is mutual')
      assert.equal(m.pairs.length, mutualInPlan)
      assert.deepEqual([m.flowersSent, m.attendees], [600, 200])
    })

    test('closing the phase while flowers are in flight: none lands after the close', async (t) => {
      const e = await createEvent({ capacity: 120 })
      const regs = await attendees(e.id, 120)
      assert.equal((await phase(e.id, true)).status, 200)
      const wave = (k: number) =>
        regs.map((_, i) => send(members[i], e.id, regs[(i + k) % 120].attendeeId))
      // The close goes out once 60 flowers of the first wave were answered, straight into the
      // server (inject: not behind the crowd's sockets), while a second wave is fired. It waits for
      // the sends holding their sender's row; once it has answered, the flower count is final.
      let answered = 0
      let trigger = () => {}
      const sixty = new Promise<void>((resolve) => (trigger = resolve))
      api.resetPeak()
      const first1 = wave(1).map((p) =>
        p.then((a) => {
          if (++answered === 60) trigger()
          return a
        }),
      )
      await sixty
      const closing = s.request({
        method: 'POST',
        url: `/api/v1/staff/events/${e.id}/flower-phase`,
        token: staff,
        body: { open: false },
      })
      const second = wave(2)
      const closed = await closing
      assert.equal(closed.statusCode, 200, closed.body)
      const atClose = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM flowers WHERE event_id = ${e.id}`,
      )
      const third = await Promise.all(wave(3))
      const answers = [...(await Promise.all(first1)), ...(await Promise.all(second)), ...third]
      const accepted = answers.filter((a) => a.status === 201).length
      const refused = answers.filter(
        (a) => a.status === 409 && a.body.includes('FLOWER_PHASE_CLOSED'),
      ).length
      t.diagnostic(
        `${accepted} accepted before the close, ${refused} refused after it, peak ${api.peak()}`,
      )
      assert.ok(api.peak() >= 50, `peak ${api.peak()}`)
      assert.equal(accepted + refused, 360)
      assert.ok(
        third.every((a) => a.status === 409),
        'after the close every flower is refused',
      )
      const final = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM flowers WHERE event_id = ${e.id}`,
      )
      assert.equal(final?.n, atClose?.n)
      assert.equal(final?.n, accepted)
    })
  },
)
