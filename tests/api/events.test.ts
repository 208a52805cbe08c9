import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type {
  AttendeesResponse,
  EventDetailResponse,
  EventsResponse,
  GroupsResponse,
  MyRegistration,
  RoundsResponse,
  StaffEvent,
  StaffRegistration,
} from '../../src/contract/events'
import { first, rows } from '../../server/db/sql'
import { memberIdOf } from '../support/points'
import {
  brokenEventInvariants,
  checkInByStaff,
  createEvent,
  expectError,
  mixerHosts,
  moveEventTo,
  openWindows,
  rootHosts,
  signUp,
  signUpRequest,
} from '../support/events'
import { engines, startTestServer, type TestServer } from '../support/server'

const hour = 3600_000

for (const engine of engines()) {
  describe(`events on ${engine}`, () => {
    let s: TestServer
    let hosts: number[]
    let roots: number[]
    let staff: string
    const tok: Record<string, string> = {}
    const ids: Record<string, number> = {}
    /** Member numbers handed out one per use, so tests do not share sign-ups. */
    let nextMember = 1
    const fresh = (from = 1) => {
      nextMember = Math.max(nextMember, from)
      return `M${String(nextMember++).padStart(4, '0')}`
    }
    const login = async (no: string) => {
      tok[no] ??= await s.login(no)
      ids[no] ??= await memberIdOf(s.database.db, no)
      return tok[no]
    }

    before(async () => {
      s = await startTestServer(engine)
      hosts = await mixerHosts(s.database.db)
      roots = await rootHosts(s.database.db)
      staff = await login('S0001')
      for (const no of ['A0001', 'S0101', 'M0001', 'M0141', 'M0143', 'M0144']) await login(no)
    })
    after(async () => {
      if (s) assert.deepEqual(await brokenEventInvariants(s.database.db), [])
      await s?.close()
    })

    async function registrations(eventId: number): Promise<StaffRegistration[]> {
      const res = await s.request({
        method: 'GET',
        url: `/api/v1/staff/events/${eventId}/registrations`,
        token: staff,
      })
      assert.equal(res.statusCode, 200, res.body)
      return (res.json() as { registrations: StaffRegistration[] }).registrations
    }

    async function detail(no: string, eventId: number): Promise<EventDetailResponse> {
      const res = await s.request({
        method: 'GET',
        url: `/api/v1/events/${eventId}`,
        token: tok[no],
      })
      assert.equal(res.statusCode, 200, res.body)
      return res.json() as EventDetailResponse
    }

    const cancel = (no: string, eventId: number) =>
      s.request({ method: 'DELETE', url: `/api/v1/events/${eventId}/signup`, token: tok[no] })

    test('members see the events of their union and its ancestors, with counts and hosts', async () => {
      const res = await s.request({ method: 'GET', url: '/api/v1/events', token: tok.M0141 })
      assert.equal(res.statusCode, 200, res.body)
      const mixer = (res.json() as EventsResponse).events.find(
        (e) => e.title === '爱在运河畔 缘定副中心',
      )
      assert.ok(mixer, 'the demo mixer is listed for a member under 通州')
      assert.deepEqual(
        mixer.hostUnions.map((h) => h.name),
        ['通州区总工会', '武清区总工会', '廊坊市总工会'],
      )
      assert.equal(mixer.capacity, 200)
      assert.deepEqual(mixer.capacityPerGender, { male: 100, female: 100 })
      assert.equal(mixer.confirmedCount, 12)
      assert.deepEqual(mixer.placesLeftPerGender, { male: 94, female: 94 })
      assert.equal(mixer.signupOpen, true)
      assert.equal(mixer.myRegistration, null)
      // 小米工会 is not under a host: the mixer is not offered to M0001.
      const other = await s.request({ method: 'GET', url: '/api/v1/events', token: tok.M0001 })
      const titles = (other.json() as EventsResponse).events.map((e) => e.title)
      assert.ok(!titles.includes('爱在运河畔 缘定副中心'))
      expectError(
        await s.request({ method: 'GET', url: `/api/v1/events/${mixer.id}`, token: tok.M0001 }),
        404,
        'NOT_FOUND',
      )
    })

    test('eligibility: host subtrees across three cities, birth years; 403 NOT_ELIGIBLE says why', async () => {
      const e = await createEvent(s, staff, {
        hostUnionIds: hosts,
        minBirthYear: 1986,
        maxBirthYear: 2004,
      })
      const why = expectError(await signUpRequest(s, tok.M0001, e.id, 'male'), 403, 'NOT_ELIGIBLE')
      assert.match(why, /通州区总工会、武清区总工会、廊坊市总工会/)
      // 武清开发区 (Tianjin) and 廊坊临空 (Hebei) members may join an event 通州 co-hosts.
      assert.equal((await signUp(s, tok.M0143, e.id, 'female')).status, 'confirmed')
      assert.equal((await signUp(s, tok.M0144, e.id, 'male')).status, 'confirmed')
      const old = await s.request({
        method: 'POST',
        url: `/api/v1/events/${e.id}/signup`,
        token: tok.M0141,
        body: { profile: { nickname: '老张', gender: 'male', birthYear: 1980, intro: '' } },
      })
      assert.match(expectError(old, 403, 'NOT_ELIGIBLE'), /1986–2004/)
      expectError(await signUpRequest(s, tok.M0143, e.id, 'female'), 409, 'ALREADY_SIGNED_UP')
      // Bad profiles are 400 with a Chinese message.
      const bad = await s.request({
        method: 'POST',
        url: `/api/v1/events/${e.id}/signup`,
        token: tok.M0141,
        body: { profile: { nickname: '', gender: 'male', birthYear: 1995, intro: '' } },
      })
      assert.match(expectError(bad, 400, 'BAD_REQUEST'), /昵称/)
      expectError(
        await s.request({
          method: 'POST',
          url: `/api/v1/events/${e.id}/signup`,
          token: tok.M0141,
          body: { profile: { nickname: 'a', gender: 'x', birthYear: 1995, intro: '' } },
        }),
        400,
        'BAD_REQUEST',
      )
      expectError(await signUpRequest(s, tok.M0141, 999_999, 'male'), 404, 'NOT_FOUND')
    })

    test('SIGNUP_CLOSED before the window opens and after it closes', async () => {
      const now = Date.now()
      const early = await createEvent(s, staff, {
        hostUnionIds: roots,
        signupOpensAt: new Date(now + hour).toISOString(),
        signupClosesAt: new Date(now + 2 * hour).toISOString(),
        startsAt: new Date(now + 3 * hour).toISOString(),
        endsAt: new Date(now + 4 * hour).toISOString(),
      })
      assert.match(
        expectError(await signUpRequest(s, tok.M0141, early.id, 'male'), 409, 'SIGNUP_CLOSED'),
        /开始/,
      )
      const late = await createEvent(s, staff, {
        hostUnionIds: roots,
        signupOpensAt: new Date(now - 3 * hour).toISOString(),
        signupClosesAt: new Date(now - 2 * hour).toISOString(),
        startsAt: new Date(now + 3 * hour).toISOString(),
        endsAt: new Date(now + 4 * hour).toISOString(),
      })
      assert.match(
        expectError(await signUpRequest(s, tok.M0141, late.id, 'male'), 409, 'SIGNUP_CLOSED'),
        /截止/,
      )
    })

    test('past capacity: waitlist in order; a cancellation promotes the first; re-signup goes to the back', async () => {
      const e = await createEvent(s, staff, { hostUnionIds: roots, capacity: 2 })
      const who = [fresh(2), fresh(), fresh(), fresh(), fresh()]
      for (const no of who) await login(no)
      const regs: MyRegistration[] = []
      for (const no of who) regs.push(await signUp(s, tok[no], e.id, 'female', no))
      assert.deepEqual(
        regs.map((r) => [r.status, r.waitlistPosition]),
        [
          ['confirmed', undefined],
          ['confirmed', undefined],
          ['waitlisted', 1],
          ['waitlisted', 2],
          ['waitlisted', 3],
        ],
      )
      const [a, , c, d, f] = who
      const cancelled = await cancel(a, e.id)
      assert.equal(cancelled.statusCode, 200, cancelled.body)
      assert.equal(
        (cancelled.json() as { registration: MyRegistration }).registration.status,
        'cancelled',
      )
      assert.equal((await detail(c, e.id)).registration?.status, 'confirmed')
      assert.equal((await detail(d, e.id)).registration?.waitlistPosition, 1)
      assert.equal((await detail(f, e.id)).registration?.waitlistPosition, 2)
      // Cancelling again answers the cancelled registration; nothing else moves.
      assert.equal((await cancel(a, e.id)).statusCode, 200)
      assert.equal((await detail(d, e.id)).registration?.waitlistPosition, 1)
      // The cancelled member signs up again: at the back of the line.
      const again = await signUp(s, tok[a], e.id, 'female', a)
      assert.deepEqual(
        [again.status, again.waitlistPosition, again.id],
        ['waitlisted', 3, regs[0].id],
      )
      // A waitlisted member who cancels leaves the line; nobody is promoted.
      assert.equal((await cancel(d, e.id)).statusCode, 200)
      const list = await registrations(e.id)
      assert.deepEqual(
        list.map((r) => [r.nickname, r.status, r.waitlistPosition ?? null]),
        [
          [who[1], 'confirmed', null],
          [c, 'confirmed', null],
          [f, 'waitlisted', 1],
          [a, 'waitlisted', 2],
          [d, 'cancelled', null],
        ],
      )
      // Staff see who signed up, with member numbers.
      assert.equal(list[0].memberNo, who[1])
      const ev = await s.request({
        method: 'GET',
        url: `/api/v1/staff/events/${e.id}`,
        token: staff,
      })
      const staffEvent = (ev.json() as { event: StaffEvent }).event
      assert.deepEqual(
        [staffEvent.confirmedCount, staffEvent.waitlistCount, staffEvent.placesLeft],
        [2, 2, 0],
      )
      expectError(await cancel('M0141', e.id), 404, 'NOT_SIGNED_UP')
    })

    test('per-gender capacity: promotion takes the first waitlisted of a fitting gender', async () => {
      const e = await createEvent(s, staff, {
        hostUnionIds: roots,
        capacity: 2,
        capacityPerGender: { male: 1, female: 1 },
      })
      const [m1, m2, f1, m3, f2] = [fresh(2), fresh(), fresh(), fresh(), fresh()]
      for (const no of [m1, m2, f1, m3, f2]) await login(no)
      assert.equal((await signUp(s, tok[m1], e.id, 'male')).status, 'confirmed')
      assert.equal((await signUp(s, tok[m2], e.id, 'male')).waitlistPosition, 1)
      assert.equal((await signUp(s, tok[f1], e.id, 'female')).status, 'confirmed')
      assert.equal((await signUp(s, tok[m3], e.id, 'male')).waitlistPosition, 2)
      assert.equal((await signUp(s, tok[f2], e.id, 'female')).waitlistPosition, 3)
      // A woman cancels: the first waitlisted woman (third in line) gets the place, not a man.
      assert.equal((await cancel(f1, e.id)).statusCode, 200)
      assert.equal((await detail(f2, e.id)).registration?.status, 'confirmed')
      assert.equal((await detail(m2, e.id)).registration?.waitlistPosition, 1)
      // A man cancels: the first waitlisted man.
      assert.equal((await cancel(m1, e.id)).statusCode, 200)
      assert.equal((await detail(m2, e.id)).registration?.status, 'confirmed')
      assert.equal((await detail(m3, e.id)).registration?.waitlistPosition, 1)
      const view = await detail(m3, e.id)
      assert.deepEqual(view.event.placesLeftPerGender, { male: 0, female: 0 })
      assert.deepEqual(view.event.confirmedPerGender, { male: 1, female: 1 })
    })

    test('staff create events: windows, capacity, per-gender sums, hosts and scope are checked', async () => {
      const post = (token: string, body: Record<string, unknown>) =>
        s.request({
          method: 'POST',
          url: '/api/v1/staff/events',
          token,
          body: {
            title: '联谊',
            venue: '场地',
            capacity: 10,
            hostUnionIds: hosts,
            ...openWindows(),
            ...body,
          },
        })
      const w = openWindows()
      assert.match(
        expectError(await post(staff, { signupClosesAt: w.endsAt }), 400, 'BAD_REQUEST'),
        /报名开始 < 报名截止 ≤ 活动开始 < 活动结束/,
      )
      assert.match(expectError(await post(staff, { capacity: 0 }), 400, 'BAD_REQUEST'), /人数上限/)
      assert.match(
        expectError(
          await post(staff, { capacityPerGender: { male: 3, female: 3 } }),
          400,
          'BAD_REQUEST',
        ),
        /男女名额/,
      )
      expectError(await post(staff, { minBirthYear: 2000, maxBirthYear: 1990 }), 400, 'BAD_REQUEST')
      expectError(await post(staff, { extra: 1 }), 400, 'BAD_REQUEST')
      expectError(await post(staff, { hostUnionIds: [...hosts, 999_999] }), 404, 'UNION_NOT_FOUND')
      // 石景山 staff may not host for 通州 alone…
      expectError(await post(tok.S0101, {}), 403, 'FORBIDDEN')
      // …but may co-host with a union of their own.
      const shijingshan = await first<{ staff_union_id: number }>(
        s.database.db,
        sql`SELECT staff_union_id FROM members WHERE member_no = 'S0101'`,
      )
      const co = await post(tok.S0101, { hostUnionIds: [shijingshan?.staff_union_id, hosts[0]] })
      assert.equal(co.statusCode, 201, co.body)
      expectError(await post(tok.M0141, {}), 403, 'FORBIDDEN')
      // The co-hosted event has exactly one creation audit row.
      const coId = String((co.json() as { event: { id: number } }).event.id)
      const audits = await rows<{ entity_id: string }>(
        s.database.db,
        sql`SELECT entity_id FROM audit_log WHERE entity = 'event' AND action = 'event.create'
          AND entity_id = ${coId}`,
      )
      assert.deepEqual(
        audits.map((a) => a.entity_id),
        [coId],
      )
    })

    test('staff scope: another union’s staff cannot read or run an event', async () => {
      const e = await createEvent(s, staff, { hostUnionIds: hosts })
      for (const path of ['', '/registrations', '/checkin-code', '/matches']) {
        expectError(
          await s.request({
            method: 'GET',
            url: `/api/v1/staff/events/${e.id}${path}`,
            token: tok.S0101,
          }),
          403,
          'FORBIDDEN',
        )
      }
      expectError(
        await s.request({
          method: 'POST',
          url: `/api/v1/staff/events/${e.id}/flower-phase`,
          token: tok.S0101,
          body: { open: true },
        }),
        403,
        'FORBIDDEN',
      )
      const list = await s.request({ method: 'GET', url: '/api/v1/staff/events', token: tok.S0101 })
      assert.ok(!(list.json() as { events: StaffEvent[] }).events.some((x) => x.id === e.id))
      const admin = await s.request({
        method: 'GET',
        url: `/api/v1/staff/events/${e.id}`,
        token: tok.A0001,
      })
      assert.equal(admin.statusCode, 200)
      expectError(
        await s.request({ method: 'GET', url: `/api/v1/staff/events/999999`, token: staff }),
        404,
        'NOT_FOUND',
      )
    })

    test('check-in: the event’s code by the member, or staff by member id or personal code', async () => {
      const e = await createEvent(s, staff, { hostUnionIds: roots, capacity: 2 })
      const [a, b, c, d] = [fresh(2), fresh(), fresh(), fresh()]
      for (const no of [a, b, c, d]) await login(no)
      const ra = await signUp(s, tok[a], e.id, 'male')
      const rb = await signUp(s, tok[b], e.id, 'female')
      await signUp(s, tok[c], e.id, 'female') // waitlisted
      // Check-in opens shortly before the start: two days ahead, nobody can check in yet.
      expectError(
        await s.request({
          method: 'POST',
          url: `/api/v1/staff/events/${e.id}/checkins`,
          token: staff,
          body: { memberId: ids[a] },
        }),
        409,
        'CHECKIN_NOT_OPEN',
      )
      await moveEventTo(s, staff, e.id, 'checkin')
      const codeRes = await s.request({
        method: 'GET',
        url: `/api/v1/staff/events/${e.id}/checkin-code`,
        token: staff,
      })
      const { code } = codeRes.json() as { code: string }
      assert.match(code, /^[2-9A-HJKMNP-Z]{6}$/)
      const scan = (no: string, body: unknown) =>
        s.request({ method: 'POST', url: `/api/v1/events/${e.id}/checkin`, token: tok[no], body })
      expectError(await scan(a, { code: 'WRONG1' }), 422, 'WRONG_CHECKIN_CODE')
      expectError(await scan(c, { code }), 409, 'NOT_CONFIRMED')
      expectError(await scan(d, { code }), 404, 'NOT_SIGNED_UP')
      const first1 = await scan(a, { code: code.toLowerCase() })
      assert.equal(first1.statusCode, 200, first1.body)
      const reg = (first1.json() as { registration: MyRegistration }).registration
      assert.equal(reg.checkedIn, true)
      // Idempotent: the first time stays.
      const again = (await scan(a, { code })).json() as { registration: MyRegistration }
      assert.equal(again.registration.checkedInAt, reg.checkedInAt)
      expectError(await cancel(a, e.id), 409, 'NOT_CANCELLABLE')
      // Staff scan b's personal code.
      const byCode = await s.request({
        method: 'POST',
        url: `/api/v1/staff/events/${e.id}/checkins`,
        token: staff,
        body: { checkinCode: rb.checkinCode },
      })
      assert.equal(byCode.statusCode, 200, byCode.body)
      const sr = (byCode.json() as { registration: StaffRegistration }).registration
      assert.deepEqual([sr.memberNo, sr.checkedIn], [b, true])
      const staffPost = (body: unknown) =>
        s.request({
          method: 'POST',
          url: `/api/v1/staff/events/${e.id}/checkins`,
          token: staff,
          body,
        })
      expectError(await staffPost({ memberId: ids[c] }), 409, 'NOT_CONFIRMED')
      expectError(await staffPost({ memberId: ids[d] }), 404, 'NOT_SIGNED_UP')
      expectError(await staffPost({ checkinCode: 'NOSUCHCODE' }), 404, 'NOT_SIGNED_UP')
      expectError(
        await staffPost({ memberId: ids[a], checkinCode: ra.checkinCode }),
        400,
        'BAD_REQUEST',
      )
      const audits = await rows<{ entity_id: string }>(
        s.database.db,
        sql`SELECT entity_id FROM audit_log WHERE action = 'event.checkin'`,
      )
      assert.ok(audits.some((x) => Number(x.entity_id) === rb.id))
    })

    test('attendees: checked-in only, no member ids or numbers; only for checked-in callers', async () => {
      const e = await createEvent(s, staff, { hostUnionIds: roots })
      const [a, b, c] = [fresh(2), fresh(), fresh()]
      for (const no of [a, b, c]) await login(no)
      const ra = await signUp(s, tok[a], e.id, 'male', '阿甲')
      await signUp(s, tok[b], e.id, 'female', '阿乙')
      await signUp(s, tok[c], e.id, 'female', '阿丙')
      await moveEventTo(s, staff, e.id, 'checkin')
      await checkInByStaff(s, staff, e.id, ids[a])
      await checkInByStaff(s, staff, e.id, ids[b])
      const url = `/api/v1/events/${e.id}/attendees`
      expectError(await s.request({ method: 'GET', url, token: tok[c] }), 422, 'NOT_CHECKED_IN')
      expectError(await s.request({ method: 'GET', url, token: tok.M0141 }), 422, 'NOT_CHECKED_IN')
      const res = await s.request({ method: 'GET', url, token: tok[a] })
      assert.equal(res.statusCode, 200, res.body)
      const body = res.json() as { attendees: Array<Record<string, unknown>>; myAttendeeId: string }
      assert.deepEqual(body.attendees.map((x) => x.nickname).sort(), ['阿乙', '阿甲'].sort())
      assert.equal(body.myAttendeeId, ra.attendeeId)
      for (const x of body.attendees) {
        // What the sign-up form promises: nickname and intro. Nobody chose to show more.
        assert.deepEqual(Object.keys(x).sort(), ['attendeeId', 'intro', 'nickname'])
        assert.notEqual(x.attendeeId, String(ids[a]))
        assert.notEqual(x.attendeeId, String(ra.id))
      }
      assert.ok(!res.body.includes(a) && !res.body.includes(b), 'no member numbers')
      assert.ok(!/male|female|1995/.test(res.body), `no gender, no birth year: ${res.body}`)
    })

    test('attendees: gender and birth year only of those who chose to show them; staff and oneself see all', async () => {
      const e = await createEvent(s, staff, { hostUnionIds: roots })
      const [a, b, c] = [fresh(2), fresh(), fresh()]
      for (const no of [a, b, c]) await login(no)
      const signup = async (no: string, profile: Record<string, unknown>) => {
        const res = await s.request({
          method: 'POST',
          url: `/api/v1/events/${e.id}/signup`,
          token: tok[no],
          body: { profile },
        })
        assert.equal(res.statusCode, 201, res.body)
        return (res.json() as { registration: MyRegistration }).registration
      }
      const shows = await signup(a, {
        nickname: '展示',
        gender: 'female',
        birthYear: 1993,
        intro: '爱爬山',
        showDetails: true,
      })
      const hides = await signup(b, {
        nickname: '不展示',
        gender: 'male',
        birthYear: 1991,
        intro: '爱做饭',
        showDetails: false,
      })
      // Left out: off.
      const unsaid = await signup(c, { nickname: '没选', gender: 'male', birthYear: 1992 })
      // The member's own registration keeps everything, and the choice.
      assert.deepEqual(shows.profile, {
        nickname: '展示',
        gender: 'female',
        birthYear: 1993,
        intro: '爱爬山',
        showDetails: true,
      })
      assert.deepEqual(
        [hides.profile.gender, hides.profile.birthYear, hides.profile.showDetails],
        ['male', 1991, false],
      )
      assert.equal(unsaid.profile.showDetails, false)
      const detail = await s.request({
        method: 'GET',
        url: `/api/v1/events/${e.id}`,
        token: tok[b],
      })
      assert.deepEqual((detail.json() as EventDetailResponse).registration?.profile, hides.profile)
      expectError(
        await s.request({
          method: 'POST',
          url: `/api/v1/events/${e.id}/signup`,
          token: tok[c],
          body: {
            profile: { nickname: 'x', gender: 'male', birthYear: 1992, showDetails: 'yes' },
          },
        }),
        400,
        'BAD_REQUEST',
      )
      await moveEventTo(s, staff, e.id, 'checkin')
      for (const no of [a, b, c]) await checkInByStaff(s, staff, e.id, ids[no])

      const res = await s.request({
        method: 'GET',
        url: `/api/v1/events/${e.id}/attendees`,
        token: tok[b],
      })
      assert.equal(res.statusCode, 200, res.body)
      const list = (res.json() as AttendeesResponse).attendees
      const byName = Object.fromEntries(list.map((x) => [x.nickname, x]))
      assert.deepEqual(byName['展示'], {
        attendeeId: shows.attendeeId,
        nickname: '展示',
        intro: '爱爬山',
        gender: 'female',
        birthYear: 1993,
      })
      assert.deepEqual(byName['不展示'], {
        attendeeId: hides.attendeeId,
        nickname: '不展示',
        intro: '爱做饭',
      })
      assert.deepEqual(byName['没选'], {
        attendeeId: unsaid.attendeeId,
        nickname: '没选',
        intro: '',
      })
      assert.ok(!/1991|1992|"male"/.test(res.body), `hidden details leak: ${res.body}`)

      // The organiser's staff view keeps gender and birth year of everyone.
      const regs = await s.request({
        method: 'GET',
        url: `/api/v1/staff/events/${e.id}/registrations`,
        token: staff,
      })
      assert.equal(regs.statusCode, 200, regs.body)
      const staffList = (regs.json() as { registrations: StaffRegistration[] }).registrations
      assert.deepEqual(
        staffList.map((r) => [r.nickname, r.gender, r.birthYear]).sort(),
        [
          ['展示', 'female', 1993],
          ['不展示', 'male', 1991],
          ['没选', 'male', 1992],
        ].sort(),
      )

      // A member who cancels and signs up again chooses again.
      const d = fresh()
      await login(d)
      const first1 = await signup(d, {
        nickname: '再来',
        gender: 'female',
        birthYear: 1994,
        showDetails: true,
      })
      assert.equal(first1.profile.showDetails, true)
      const cancel = await s.request({
        method: 'DELETE',
        url: `/api/v1/events/${e.id}/signup`,
        token: tok[d],
      })
      assert.equal(cancel.statusCode, 200, cancel.body)
      const again = await signup(d, { nickname: '再来', gender: 'female', birthYear: 1994 })
      assert.equal(again.profile.showDetails, false)
    })

    test('groups and rounds: the rotating cohort moves one group on per round', async () => {
      const e = await createEvent(s, staff, { hostUnionIds: roots, capacity: 20 })
      const groupsUrl = `/api/v1/staff/events/${e.id}/groups`
      const makeGroups = () =>
        s.request({
          method: 'POST',
          url: groupsUrl,
          token: staff,
          body: { groupCount: 3, rounds: 3, rotating: 'male' },
        })
      // Groups happen on the day, once the event started.
      assert.match(expectError(await makeGroups(), 409, 'EVENT_NOT_STARTED'), /开始后才能分组/)
      expectError(
        await s.request({ method: 'GET', url: groupsUrl, token: staff }),
        404,
        'NOT_FOUND',
      )
      const who: Array<[string, 'male' | 'female']> = []
      for (let i = 0; i < 7; i++) who.push([fresh(2), i < 4 ? 'female' : 'male'])
      for (const [no, g] of who) {
        await login(no)
        await signUp(s, tok[no], e.id, g, no)
      }
      await moveEventTo(s, staff, e.id, 'started')
      expectError(await makeGroups(), 422, 'NOT_ENOUGH_ATTENDEES')
      for (const [no] of who) await checkInByStaff(s, staff, e.id, ids[no])
      assert.match(
        expectError(
          await s.request({
            method: 'POST',
            url: groupsUrl,
            token: staff,
            body: { groupCount: 2, rounds: 3, rotating: 'male' },
          }),
          400,
          'BAD_REQUEST',
        ),
        /轮数/,
      )
      const made = await s.request({
        method: 'POST',
        url: groupsUrl,
        token: staff,
        body: { groupCount: 3, rounds: 3, rotating: 'male' },
      })
      assert.equal(made.statusCode, 200, made.body)
      const groups = made.json() as GroupsResponse
      assert.equal(groups.groups.length, 3)
      const count = (cohort: string) =>
        groups.groups.map((g) => g.members.filter((m) => m.cohort === cohort).length)
      assert.deepEqual(count('stationary').sort(), [1, 1, 2])
      assert.deepEqual(count('rotating').sort(), [1, 1, 1])
      for (const g of groups.groups) {
        for (const m of g.members) assert.equal(m.cohort === 'rotating', m.gender === 'male')
      }
      for (const [no, gender] of who) {
        const res = await s.request({
          method: 'GET',
          url: `/api/v1/events/${e.id}/rounds`,
          token: tok[no],
        })
        const r = res.json() as RoundsResponse
        const start = groups.groups.find((g) => g.members.some((m) => m.nickname === no))?.group
        assert.ok(start)
        assert.deepEqual(
          r.rounds.map((x) => x.group),
          gender === 'male'
            ? [0, 1, 2].map((k) => ((start - 1 + k) % 3) + 1)
            : [start, start, start],
        )
      }
      const again = await s.request({ method: 'GET', url: groupsUrl, token: staff })
      assert.deepEqual(again.json(), groups)
      // Someone who is not an attendee learns nothing about the groups.
      const none = await s.request({
        method: 'GET',
        url: `/api/v1/events/${e.id}/rounds`,
        token: tok.M0141,
      })
      expectError(none, 404, 'NOT_FOUND')
    })

    test('flower phase moves forward only: not_open → open → closed', async () => {
      const e = await createEvent(s, staff, { hostUnionIds: roots })
      const phase = (open: boolean) =>
        s.request({
          method: 'POST',
          url: `/api/v1/staff/events/${e.id}/flower-phase`,
          token: staff,
          body: { open },
        })
      expectError(await phase(false), 409, 'PHASE_CHANGE_NOT_ALLOWED')
      // The flowers are part of the day: not before the start.
      expectError(await phase(true), 409, 'EVENT_NOT_STARTED')
      await moveEventTo(s, staff, e.id, 'started')
      assert.equal(((await phase(true)).json() as { event: StaffEvent }).event.flowerPhase, 'open')
      assert.equal((await phase(true)).statusCode, 200)
      assert.equal(
        ((await phase(false)).json() as { event: StaffEvent }).event.flowerPhase,
        'closed',
      )
      assert.equal((await phase(false)).statusCode, 200)
      expectError(await phase(true), 409, 'PHASE_CHANGE_NOT_ALLOWED')
      const audits = await rows<{ action: string }>(
        s.database.db,
        sql`SELECT action FROM audit_log WHERE entity = 'event' AND entity_id = ${String(e.id)}
            AND action LIKE 'event.flowers_%' ORDER BY id`,
      )
      assert.deepEqual(
        audits.map((x) => x.action),
        ['event.flowers_open', 'event.flowers_close'],
      )
    })

    test('sign-up with an Idempotency-Key answers the first registration again', async () => {
      const e = await createEvent(s, staff, { hostUnionIds: roots })
      const no = fresh(2)
      await login(no)
      const send = () =>
        s.request({
          method: 'POST',
          url: `/api/v1/events/${e.id}/signup`,
          token: tok[no],
          body: { profile: { nickname: '重试', gender: 'male', birthYear: 1999 } },
          headers: { 'idempotency-key': `signup-${no}-${e.id}` },
        })
      const one = await send()
      const two = await send()
      assert.equal(one.statusCode, 201, one.body)
      assert.equal(two.statusCode, 201, two.body)
      assert.deepEqual(two.json(), one.json())
    })
  })
}
