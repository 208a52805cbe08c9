/**
 * Running a mixer through its day (issue 14): points for checking in, editing an event (capacity
 * floor and waitlist promotion), the check-in window and the start, the current round. Races of
 * check-in points run on PostgreSQL only (PGlite serialises every transaction).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type {
  EventDetailResponse,
  MyRegistration,
  RoundsResponse,
  StaffEvent,
  StaffRegistration,
} from '../../src/contract/events'
import { first, rows } from '../../server/db/sql'
import { createSessions } from '../../server/lib/sessions'
import { listen } from '../support/http'
import { memberIdOf } from '../support/points'
import {
  brokenEventInvariants,
  checkInByStaff,
  createEvent,
  eventTimesAt,
  expectError,
  moveEventTo,
  rootHosts,
  signUp,
} from '../support/events'
import { engines, startTestServer, type TestServer } from '../support/server'

const hour = 3600_000
const onPostgres = Boolean(process.env.DATABASE_URL)

for (const engine of engines()) {
  describe(`event operations on ${engine}`, () => {
    let s: TestServer
    let roots: number[]
    let staff: string
    const tok: Record<string, string> = {}
    const ids: Record<string, number> = {}
    // Members of this file start at M0200, clear of the seeded mixer's M0289…M0300.
    let nextMember = 200
    const fresh = () => `M${String(nextMember++).padStart(4, '0')}`
    const login = async (no: string) => {
      tok[no] ??= await s.login(no)
      ids[no] ??= await memberIdOf(s.database.db, no)
      return tok[no]
    }

    before(async () => {
      s = await startTestServer(engine)
      roots = await rootHosts(s.database.db)
      staff = await login('S0001')
      await login('S0101')
    })
    after(async () => {
      if (s) assert.deepEqual(await brokenEventInvariants(s.database.db), [])
      await s?.close()
    })

    const patch = (eventId: number, body: unknown, token = staff) =>
      s.request({ method: 'PATCH', url: `/api/v1/staff/events/${eventId}`, token, body })
    const edited = async (eventId: number, body: unknown): Promise<StaffEvent> => {
      const res = await patch(eventId, body)
      assert.equal(res.statusCode, 200, res.body)
      return (res.json() as { event: StaffEvent }).event
    }
    async function registrations(eventId: number): Promise<StaffRegistration[]> {
      const res = await s.request({
        method: 'GET',
        url: `/api/v1/staff/events/${eventId}/registrations`,
        token: staff,
      })
      assert.equal(res.statusCode, 200, res.body)
      return (res.json() as { registrations: StaffRegistration[] }).registrations
    }
    const earnOf = (registrationId: number) =>
      rows<{ amount: number; balance_after: number; reason: string; lot_amount: number }>(
        s.database.db,
        sql`SELECT l.amount, l.balance_after, l.reason, p.amount AS lot_amount
            FROM point_ledger l JOIN point_lots p ON p.id = l.lot_id
            WHERE l.kind = 'earn' AND l.registration_id = ${registrationId}`,
      )
    const balanceOf = async (memberId: number) =>
      (
        await first<{ balance: number }>(
          s.database.db,
          sql`SELECT balance FROM point_accounts WHERE member_id = ${memberId}`,
        )
      )?.balance ?? 0

    test('check-in points: an earn entry once per attendee, by scan or by staff, in the check-in', async () => {
      const e = await createEvent(s, staff, { hostUnionIds: roots, checkinPoints: 20 })
      assert.equal(e.checkinPoints, 20)
      const [a, b, c] = [fresh(), fresh(), fresh()]
      for (const no of [a, b, c]) await login(no)
      const ra = await signUp(s, tok[a], e.id, 'male')
      const rb = await signUp(s, tok[b], e.id, 'female')
      const rc = await signUp(s, tok[c], e.id, 'female')
      const before = await balanceOf(ids[a])
      await moveEventTo(s, staff, e.id, 'checkin')
      const { code } = (
        await s.request({
          method: 'GET',
          url: `/api/v1/staff/events/${e.id}/checkin-code`,
          token: staff,
        })
      ).json() as { code: string }
      const scan = () =>
        s.request({
          method: 'POST',
          url: `/api/v1/events/${e.id}/checkin`,
          token: tok[a],
          body: { code },
        })
      assert.equal((await scan()).statusCode, 200)
      assert.equal((await scan()).statusCode, 200) // again: the first time stays
      await checkInByStaff(s, staff, e.id, ids[a]) // and staff once more
      assert.deepEqual(await earnOf(ra.id), [
        {
          amount: 20,
          balance_after: before + 20,
          reason: '活动签到：测试联谊',
          lot_amount: 20,
        },
      ])
      assert.equal(await balanceOf(ids[a]), before + 20)
      // The member sees it in the ledger.
      const ledger = await s.request({ method: 'GET', url: '/api/v1/points/ledger', token: tok[a] })
      const entries = (ledger.json() as { entries: Array<{ kind: string; amount: number }> })
        .entries
      assert.deepEqual(
        entries.filter((x) => x.kind === 'earn').map((x) => x.amount),
        [20],
      )
      // Changed points apply to check-ins from then on; 0 writes nothing.
      await edited(e.id, { checkinPoints: 5 })
      await checkInByStaff(s, staff, e.id, ids[b])
      assert.deepEqual(
        (await earnOf(rb.id)).map((x) => x.amount),
        [5],
      )
      await edited(e.id, { checkinPoints: 0 })
      await checkInByStaff(s, staff, e.id, ids[c])
      assert.deepEqual(await earnOf(rc.id), [])
      // The database holds "once" too: a second earn entry for a registration is refused.
      await assert.rejects(
        s.database.db.execute(
          sql`INSERT INTO point_ledger (member_id, kind, amount, balance_after, reason,
                                        registration_id)
              VALUES (${ids[a]}, 'earn', 20, 1000, 'again', ${ra.id})`,
        ),
      )
      await assert.rejects(
        s.database.db.execute(
          sql`INSERT INTO point_ledger (member_id, kind, amount, balance_after, reason)
              VALUES (${ids[a]}, 'earn', 20, 1000, 'no source')`,
        ),
      )
    })

    test('check-in opens shortly before the start and closes at the end; groups and flowers after the start', async () => {
      const e = await createEvent(s, staff, { hostUnionIds: roots })
      assert.equal(e.checkinOpensAt, new Date(Date.parse(e.startsAt) - 60 * 60_000).toISOString())
      const a = fresh()
      await login(a)
      await signUp(s, tok[a], e.id, 'male')
      const { code } = (
        await s.request({
          method: 'GET',
          url: `/api/v1/staff/events/${e.id}/checkin-code`,
          token: staff,
        })
      ).json() as { code: string }
      const scan = () =>
        s.request({
          method: 'POST',
          url: `/api/v1/events/${e.id}/checkin`,
          token: tok[a],
          body: { code },
        })
      // Two days early: refused, saying when it opens (Shanghai time).
      const early = expectError(await scan(), 409, 'CHECKIN_NOT_OPEN')
      assert.match(early, /签到将于 .*\d{2}:\d{2} 开放/)
      const groups = () =>
        s.request({
          method: 'POST',
          url: `/api/v1/staff/events/${e.id}/groups`,
          token: staff,
          body: { groupCount: 1, rounds: 1, rotating: 'male' },
        })
      const phase = () =>
        s.request({
          method: 'POST',
          url: `/api/v1/staff/events/${e.id}/flower-phase`,
          token: staff,
          body: { open: true },
        })
      // Starting in 90 minutes: still closed. In 30 minutes: open, but no groups or flowers yet.
      const now = Date.now()
      await edited(e.id, {
        ...eventTimesAt('checkin', now),
        startsAt: new Date(now + 90 * 60_000).toISOString(),
        signupClosesAt: new Date(now + 90 * 60_000).toISOString(),
      })
      expectError(await scan(), 409, 'CHECKIN_NOT_OPEN')
      await moveEventTo(s, staff, e.id, 'checkin')
      assert.equal((await scan()).statusCode, 200)
      expectError(await groups(), 409, 'EVENT_NOT_STARTED')
      expectError(await phase(), 409, 'EVENT_NOT_STARTED')
      await moveEventTo(s, staff, e.id, 'started')
      assert.equal((await groups()).statusCode, 200)
      assert.equal((await phase()).statusCode, 200)

      // Over: nobody checks in any more.
      const late = await createEvent(s, staff, { hostUnionIds: roots })
      const b = fresh()
      await login(b)
      await signUp(s, tok[b], late.id, 'female')
      await edited(late.id, {
        signupOpensAt: new Date(now - 6 * hour).toISOString(),
        signupClosesAt: new Date(now - 4 * hour).toISOString(),
        startsAt: new Date(now - 3 * hour).toISOString(),
        endsAt: new Date(now - hour).toISOString(),
      })
      assert.match(
        expectError(
          await s.request({
            method: 'POST',
            url: `/api/v1/staff/events/${late.id}/checkins`,
            token: staff,
            body: { memberId: ids[b] },
          }),
          409,
          'CHECKIN_NOT_OPEN',
        ),
        /已于 .* 结束/,
      )
    })

    test('edit: title, venue, times; capacity never below the confirmed; scope and audit', async () => {
      const e = await createEvent(s, staff, {
        hostUnionIds: roots,
        capacity: 3,
        capacityPerGender: { male: 2, female: 2 },
      })
      const [a, b, c] = [fresh(), fresh(), fresh()]
      for (const no of [a, b, c]) await login(no)
      await signUp(s, tok[a], e.id, 'male')
      await signUp(s, tok[b], e.id, 'male')
      await signUp(s, tok[c], e.id, 'female')
      const changed = await edited(e.id, { title: '运河夜话', venue: '月岛闻莺' })
      assert.deepEqual(
        [changed.title, changed.venue, changed.capacity],
        ['运河夜话', '月岛闻莺', 3],
      )
      assert.match(
        expectError(await patch(e.id, { capacity: 2 }), 422, 'CAPACITY_BELOW_CONFIRMED'),
        /已有 3 人报名成功，人数上限不能少于 3/,
      )
      assert.match(
        expectError(
          await patch(e.id, { capacityPerGender: { male: 1, female: 3 } }),
          422,
          'CAPACITY_BELOW_CONFIRMED',
        ),
        /已有 2 位男生报名成功/,
      )
      expectError(
        await patch(e.id, { capacity: 5, capacityPerGender: { male: 2, female: 2 } }),
        400,
        'BAD_REQUEST',
      )
      // Times must stay in order, with what is not sent taken from the event.
      assert.match(
        expectError(
          await patch(e.id, { endsAt: new Date(Date.parse(e.startsAt) - hour).toISOString() }),
          400,
          'BAD_REQUEST',
        ),
        /报名开始 < 报名截止 ≤ 活动开始 < 活动结束/,
      )
      expectError(await patch(e.id, {}), 400, 'BAD_REQUEST')
      expectError(await patch(e.id, { capacity: 0 }), 400, 'BAD_REQUEST')
      expectError(await patch(e.id, { checkinPoints: -1 }), 400, 'BAD_REQUEST')
      // Another union's staff may not; a missing event is 404.
      expectError(await patch(e.id, { title: 'x' }, tok.S0101), 403, 'FORBIDDEN')
      expectError(await patch(999999, { title: 'x' }), 404, 'NOT_FOUND')
      const later = new Date(Date.parse(e.endsAt) + hour).toISOString()
      assert.equal((await edited(e.id, { endsAt: later })).endsAt, later)
      const audits = await rows<{ before: { title: string }; after: { title?: string } }>(
        s.database.db,
        sql`SELECT before, after FROM audit_log WHERE action = 'event.update'
            AND entity_id = ${String(e.id)} ORDER BY id`,
      )
      assert.equal(audits.length, 2)
      assert.deepEqual([audits[0].before.title, audits[0].after.title], ['测试联谊', '运河夜话'])
      // Lifting the per-gender caps.
      const lifted = await edited(e.id, { capacityPerGender: null })
      assert.equal(lifted.capacityPerGender, null)
    })

    test('edit: a larger capacity promotes from the waitlist at once, in order, with a message', async () => {
      const e = await createEvent(s, staff, {
        hostUnionIds: roots,
        capacity: 2,
        capacityPerGender: { male: 1, female: 2 },
      })
      const crowd: Array<[string, 'male' | 'female']> = [
        [fresh(), 'male'],
        [fresh(), 'female'],
        [fresh(), 'male'], // waitlist 1 (male, cap 1)
        [fresh(), 'female'], // waitlist 2
        [fresh(), 'female'], // waitlist 3
        [fresh(), 'male'], // waitlist 4
      ]
      const regs: MyRegistration[] = []
      for (const [no, g] of crowd) {
        await login(no)
        regs.push(await signUp(s, tok[no], e.id, g))
      }
      assert.deepEqual(
        regs.map((r) => r.status),
        ['confirmed', 'confirmed', 'waitlisted', 'waitlisted', 'waitlisted', 'waitlisted'],
      )
      // Two more places, men still capped at 1: the two women in line, in order, skip the man.
      const up = await edited(e.id, { capacity: 4, capacityPerGender: { male: 1, female: 3 } })
      assert.deepEqual([up.confirmedCount, up.waitlistCount], [4, 2])
      let list = await registrations(e.id)
      const status = (r: MyRegistration) => list.find((x) => x.id === r.id)?.status
      assert.deepEqual(regs.map(status), [
        'confirmed',
        'confirmed',
        'waitlisted',
        'confirmed',
        'confirmed',
        'waitlisted',
      ])
      // Caps lifted and one more place: the first in line (the man who waited longest).
      await edited(e.id, { capacity: 5, capacityPerGender: null })
      list = await registrations(e.id)
      assert.deepEqual(regs.map(status), [
        'confirmed',
        'confirmed',
        'confirmed',
        'confirmed',
        'confirmed',
        'waitlisted',
      ])
      assert.deepEqual(
        list.filter((x) => x.status === 'waitlisted').map((x) => x.waitlistPosition),
        [1],
      )
      // The promoted member sees 报名成功 (confirmed) and has the subscribe message.
      const mine = await s.request({
        method: 'GET',
        url: `/api/v1/events/${e.id}`,
        token: tok[crowd[2][0]],
      })
      assert.equal((mine.json() as EventDetailResponse).registration?.status, 'confirmed')
      const messages = await rows<{ member_id: number }>(
        s.database.db,
        sql`SELECT member_id FROM outbox WHERE key = 'waitlist_promoted'
            AND member_id = ANY(${sql.param(crowd.map(([no]) => ids[no]))}::int[])
            ORDER BY member_id`,
      )
      assert.deepEqual(
        messages.map((m) => m.member_id),
        [ids[crowd[2][0]], ids[crowd[3][0]], ids[crowd[4][0]]].sort((x, y) => x - y),
      )
    })

    test('current round: the organiser advances rounds, attendees see where to go now', async () => {
      const e = await createEvent(s, staff, { hostUnionIds: roots, capacity: 10 })
      const who: Array<[string, 'male' | 'female']> = [
        [fresh(), 'male'],
        [fresh(), 'male'],
        [fresh(), 'female'],
        [fresh(), 'female'],
      ]
      for (const [no, g] of who) {
        await login(no)
        await signUp(s, tok[no], e.id, g)
      }
      const round = (n: number, token = staff) =>
        s.request({
          method: 'POST',
          url: `/api/v1/staff/events/${e.id}/rounds/current`,
          token,
          body: { round: n },
        })
      // No groups yet.
      expectError(await round(1), 422, 'ROUND_OUT_OF_RANGE')
      await moveEventTo(s, staff, e.id, 'started')
      for (const [no] of who) await checkInByStaff(s, staff, e.id, ids[no])
      const made = await s.request({
        method: 'POST',
        url: `/api/v1/staff/events/${e.id}/groups`,
        token: staff,
        body: { groupCount: 2, rounds: 2, rotating: 'male' },
      })
      assert.equal(made.statusCode, 200, made.body)
      const rounds = async (no: string): Promise<RoundsResponse> => {
        const res = await s.request({
          method: 'GET',
          url: `/api/v1/events/${e.id}/rounds`,
          token: tok[no],
        })
        assert.equal(res.statusCode, 200, res.body)
        return res.json() as RoundsResponse
      }
      assert.equal((await rounds(who[0][0])).currentRound, 1)
      const moved = await round(2)
      assert.equal(moved.statusCode, 200, moved.body)
      assert.equal((moved.json() as { event: StaffEvent }).event.currentRound, 2)
      for (const [no] of who) assert.equal((await rounds(no)).currentRound, 2)
      assert.match(expectError(await round(3), 422, 'ROUND_OUT_OF_RANGE'), /本场共 2 轮/)
      expectError(await round(0), 400, 'BAD_REQUEST')
      expectError(await round(1, tok.S0101), 403, 'FORBIDDEN')
      // Back to 1 (a slip corrected); the same round again changes nothing and writes no audit.
      assert.equal((await round(1)).statusCode, 200)
      assert.equal((await round(1)).statusCode, 200)
      const audits = await rows<{ after: { currentRound: number } }>(
        s.database.db,
        sql`SELECT after FROM audit_log WHERE action = 'event.round'
            AND entity_id = ${String(e.id)} ORDER BY id`,
      )
      assert.deepEqual(
        audits.map((x) => x.after.currentRound),
        [2, 1],
      )
      // New groups start at round 1 again.
      await round(2)
      await s.request({
        method: 'POST',
        url: `/api/v1/staff/events/${e.id}/groups`,
        token: staff,
        body: { groupCount: 2, rounds: 1, rotating: 'female' },
      })
      assert.equal((await rounds(who[0][0])).currentRound, 1)
    })
  })
}

describe(
  'check-in points under a check-in race on PostgreSQL',
  { skip: !onPostgres && 'DATABASE_URL is not set' },
  () => {
    test('every attendee checked in 8 times at once, by scan and by staff → exactly one earn each', async () => {
      const s = await startTestServer('postgres')
      const api = await listen(s.app)
      try {
        const db = s.database.db
        const roots = await rootHosts(db)
        const list = await rows<{ id: number; member_no: string }>(
          db,
          sql`SELECT id, member_no FROM members
              WHERE member_no = 'S0001' OR member_no BETWEEN 'M0001' AND 'M0060'
              ORDER BY member_no`,
        )
        const tokens = await createSessions(
          db,
          list.map((m) => m.id),
          'dev',
          3600,
        )
        const staff = tokens[list.findIndex((m) => m.member_no === 'S0001')]
        const crowd = list
          .map((m, i) => ({ id: m.id, token: tokens[i] }))
          .filter((_, i) => list[i].member_no !== 'S0001')
        assert.equal(crowd.length, 60)
        const created = await api.request({
          method: 'POST',
          path: '/api/v1/staff/events',
          token: staff,
          body: {
            title: '签到积分并发',
            venue: '场地',
            capacity: 60,
            hostUnionIds: roots,
            checkinPoints: 7,
            ...eventTimesAt('checkin'),
          },
        })
        assert.equal(created.status, 201, created.body)
        const eventId = (JSON.parse(created.body) as { event: StaffEvent }).event.id
        for (const [i, m] of crowd.entries()) {
          const res = await api.request({
            method: 'POST',
            path: `/api/v1/events/${eventId}/signup`,
            token: m.token,
            body: {
              profile: { nickname: `嘉宾${i}`, gender: i % 2 ? 'female' : 'male', birthYear: 1995 },
            },
          })
          assert.equal(res.status, 201, res.body)
        }
        const code = (
          JSON.parse(
            (
              await api.request({
                method: 'GET',
                path: `/api/v1/staff/events/${eventId}/checkin-code`,
                token: staff,
              })
            ).body,
          ) as { code: string }
        ).code
        const balancesBefore = await rows<{ member_id: number; balance: number }>(
          db,
          sql`SELECT m.id AS member_id, coalesce(a.balance, 0) AS balance
              FROM members m LEFT JOIN point_accounts a ON a.member_id = m.id
              WHERE m.id = ANY(${sql.param(crowd.map((m) => m.id))}::int[])`,
        )
        api.resetPeak()
        const answers = await Promise.all(
          crowd.flatMap((m) =>
            Array.from({ length: 8 }, (_, k) =>
              k % 2 === 0
                ? api.request({
                    method: 'POST',
                    path: `/api/v1/events/${eventId}/checkin`,
                    token: m.token,
                    body: { code },
                  })
                : api.request({
                    method: 'POST',
                    path: `/api/v1/staff/events/${eventId}/checkins`,
                    token: staff,
                    body: { memberId: m.id },
                  }),
            ),
          ),
        )
        for (const a of answers) assert.equal(a.status, 200, a.body)
        assert.ok(api.peak() > 20, `requests overlapped: peak ${api.peak()}`)
        const earned = await rows<{ member_id: number; n: number; total: number }>(
          db,
          sql`SELECT r.member_id, count(l.id)::int AS n, coalesce(sum(l.amount), 0)::int AS total
              FROM event_registrations r
              LEFT JOIN point_ledger l ON l.registration_id = r.id AND l.kind = 'earn'
              WHERE r.event_id = ${eventId} GROUP BY r.member_id`,
        )
        assert.equal(earned.length, 60)
        for (const e of earned) assert.deepEqual([e.n, e.total], [1, 7], `member ${e.member_id}`)
        // Balances moved by exactly 7, and each equals its open lots.
        const after = await rows<{ member_id: number; balance: number; lots: number }>(
          db,
          sql`SELECT a.member_id, a.balance,
                     (SELECT coalesce(sum(remaining), 0)::int FROM point_lots p
                      WHERE p.member_id = a.member_id) AS lots
              FROM point_accounts a
              WHERE a.member_id = ANY(${sql.param(crowd.map((m) => m.id))}::int[])`,
        )
        const was = new Map(balancesBefore.map((b) => [b.member_id, b.balance]))
        for (const a of after) {
          assert.equal(a.balance, (was.get(a.member_id) ?? 0) + 7)
          assert.equal(a.lots, a.balance)
        }
        assert.deepEqual(await brokenEventInvariants(db), [])
      } finally {
        api.close()
        await s.close()
      }
    })
  },
)
