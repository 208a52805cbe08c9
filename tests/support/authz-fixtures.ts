import assert from 'node:assert/strict'
import { sql } from 'drizzle-orm'
import { first, rows } from '../../server/db/sql'
import { createSessions } from '../../server/lib/sessions'
import { shanghaiDate } from '../../server/lib/time'
import type { TestServer } from './server'
import { campaignBody } from './cooling'
import { eventTimesAt, openWindows, profile } from './events'

/**
 * Who calls a route in the authorization matrix. The resources all lie in 小米工会 (under
 * 中关村科学城工会, outside 石景山), owned by M0001; legal bookings are with lawyer L0001.
 */
export const principals = [
  'owner', // M0001 (小米工会): owns the orders, packs, registrations, bookings below
  'other', // M0004 (帕克国际工会, under 朝阳): another member of another union
  'staffOut', // S0101: staff of 石景山, an unrelated subtree
  'staffIn', // S0001: staff of the city federation, the root above 小米工会
  'lawyerOut', // L0002: a lawyer not assigned to the booking
  'lawyer', // L0001: the lawyer of the booking
  'admin', // A0001
  'none', // no Authorization header
  'expired', // M0001's session whose expires_at is in the past
] as const
export type Principal = (typeof principals)[number]

export const memberNoOf: Record<Exclude<Principal, 'none' | 'expired'>, string> = {
  owner: 'M0001',
  other: 'M0004',
  staffOut: 'S0101',
  staffIn: 'S0001',
  lawyerOut: 'L0002',
  lawyer: 'L0001',
  admin: 'A0001',
}

/** Markers that must never reach a principal outside the resource's scope. */
export const MARK = {
  item: '矩阵测试商品',
  campaign: '矩阵测试清凉活动',
  site: '矩阵测试收货点',
  event: '矩阵测试联谊',
  description: '矩阵测试：公司拖欠我三个月工资，想咨询如何申请劳动仲裁。',
  servicePoint: '矩阵测试线上咨询',
  reminder: '矩阵测试提醒',
} as const

export interface AuthzFixtures {
  /** Member ids by member number. */
  ids: Record<string, number>
  xiaomi: number
  zgc: number
  /** A member of 小米工会 that staff and admin routes act on (M0006, never a caller). */
  target: number
  /** A member of 小米工会 with WeChat bound (M0011), for staff unbinding. */
  targetBound: number
  /** A pending QR ticket (polled by the public route). */
  qrTicket: string
  /** A points grant by the root's staff (S0001) to 小米工会. */
  grant: number
  /** A roster import made by the root's staff (S0001), into 小米工会. */
  memberImport: number
  /** A run of the periodic `expiry` job started by the admin. */
  periodicJob: number
  /** The CSV of a one-row roster import into 小米工会. */
  rosterCsv: string
  item: number
  /** M0001's order that `cancelOrder` cancels (run last). */
  order: number
  orderPickupCode: string
  /** M0001's second order, fulfilled by `fulfilPickup` (run last). */
  order2PickupCode: string
  campaignOpen: number
  campaignOpenItems: number[]
  /** Closed, with M0001's pack shipped (receive) and M0006's pack submitted (ship). */
  campaignClosed: number
  packShipped: number
  packToShip: number
  /** Open, closed by `closeCoolingCampaign`. */
  campaignToClose: number
  site: number
  /** Hosted by 中关村科学城工会; M0001 and M0006 signed up and checked in. */
  event: number
  eventCode: string
  otherAttendee: string
  /** M0001 signed up (cancelled by `cancelSignup`). */
  eventToCancel: number
  /** Nobody signed up: `signup` signs up into it. */
  eventToJoin: number
  topic: number
  phonePoint: number
  /** L0001's lawyer id. */
  lawyerL1: number
  /** A weekly rule of the phone line (city federation). */
  phoneRule: number
  /** A closure of the phone line on a far day (no bookings). */
  phoneClosure: number
  /** M0001's upcoming booking with L0001 (cancelled by `cancelLegalBooking`, run last). */
  booking: number
  bookingDate: string
  /** A free slot of L0001 that `createLegalBooking` books. */
  freeSlot: string
  /** Fresh, unexpired tokens per principal. */
  tokens: Record<Principal, string | undefined>
  /** A new live session for a principal (for routes that end the caller's session). */
  freshToken(p: Principal): Promise<string | undefined>
  /** A new pending QR ticket. */
  newQrTicket(): Promise<string>
}

type Answer = Awaited<ReturnType<TestServer['request']>>

function ok(res: Answer, status: number, what: string): Record<string, unknown> {
  assert.equal(res.statusCode, status, `${what}: ${res.body}`)
  return res.json() as Record<string, unknown>
}

export async function authzFixtures(s: TestServer): Promise<AuthzFixtures> {
  const db = s.database.db
  const list = await rows<{ id: number; member_no: string }>(
    db,
    sql`SELECT id, member_no FROM members`,
  )
  const ids = Object.fromEntries(list.map((m) => [m.member_no, m.id]))
  const unionId = async (name: string) => {
    const u = await first<{ id: number }>(db, sql`SELECT id FROM unions WHERE name = ${name}`)
    assert.ok(u, name)
    return u.id
  }
  const xiaomi = await unionId('小米工会')
  const zgc = await unionId('中关村科学城工会')
  const m6 = await first<{ union_id: number }>(
    db,
    sql`SELECT union_id FROM members WHERE member_no = 'M0006'`,
  )
  assert.equal(m6?.union_id, xiaomi, 'M0006 is a member of 小米工会')
  const m11 = await first<{ union_id: number }>(
    db,
    sql`SELECT union_id FROM members WHERE member_no = 'M0011'`,
  )
  assert.equal(m11?.union_id, xiaomi, 'M0011 is a member of 小米工会')

  // M0011 (小米工会) has WeChat bound, so staff unbinding it (a lost phone) really unbinds.
  await db.execute(
    sql`UPDATE members SET wechat_openid = 'authz-matrix-openid-m0011' WHERE member_no = 'M0011'`,
  )

  const session = async (memberNo: string, ttl: number) =>
    (await createSessions(db, [ids[memberNo]], 'dev', ttl))[0]
  const tokens = {} as Record<Principal, string | undefined>
  for (const [p, no] of Object.entries(memberNoOf)) tokens[p as Principal] = await session(no, 3600)
  tokens.none = undefined
  tokens.expired = await session('M0001', -3600)
  const freshToken = async (p: Principal) => {
    if (p === 'none') return undefined
    if (p === 'expired') return session('M0001', -3600)
    return session(memberNoOf[p], 3600)
  }
  const m0006 = await session('M0006', 3600)
  const staff = tokens.staffIn as string
  const owner = tokens.owner as string
  let keyNo = 0
  const req = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    token: string | undefined,
    body?: unknown,
  ) =>
    s.request({
      method,
      url: `/api/v1${url}`,
      token,
      body,
      headers: { 'idempotency-key': `authz-fixture-${++keyNo}` },
    })

  // ---------------------------------------------------------------- sign-in
  const qr = ok(await req('POST', '/auth/qr-tickets', undefined), 201, 'qr ticket')

  // ---------------------------------------------------------------- mall
  const item = ok(
    await req('POST', '/staff/mall/items', staff, {
      unionId: xiaomi,
      name: MARK.item,
      pointsCost: 1,
      stock: 100,
      perMemberLimit: 50,
    }),
    201,
    'mall item',
  ).item as { id: number }
  const order = async () =>
    ok(
      await req('POST', '/mall/orders', owner, { itemId: item.id, quantity: 1 }),
      201,
      'mall order',
    ).order as { id: number; pickupCode: string }
  const order1 = await order()
  const order2 = await order()

  // ---------------------------------------------------------------- cooling
  const campaign = async (title: string) =>
    ok(
      await req('POST', '/staff/cooling/campaigns', staff, campaignBody(xiaomi, { title })),
      201,
      'cooling campaign',
    ).campaign as { id: number; items: Array<{ id: number }> }
  const savePack = async (token: string, c: { id: number; items: Array<{ id: number }> }) =>
    ok(
      await req('PUT', `/cooling/campaigns/${c.id}/pack`, token, {
        items: [{ itemId: c.items[2].id, quantity: 1 }],
        delivery: { kind: 'pickup' },
      }),
      200,
      'cooling pack',
    ).pack as { id: number }
  const open = await campaign(MARK.campaign)
  await savePack(owner, open)
  const closed = await campaign(`${MARK.campaign}（已截止）`)
  const shipped = await savePack(owner, closed)
  const toShip = await savePack(m0006, closed)
  ok(await req('POST', `/staff/cooling/campaigns/${closed.id}/close`, staff), 200, 'close')
  ok(await req('POST', `/staff/cooling/packs/${shipped.id}/shipped`, staff), 200, 'ship')
  const toClose = await campaign(`${MARK.campaign}（待截止）`)
  const site = ok(
    await req('POST', '/staff/cooling/sites', staff, {
      unionId: xiaomi,
      name: MARK.site,
      address: '北京市海淀区安宁庄路小米科技园',
    }),
    201,
    'cooling site',
  ).site as { id: number }

  // ---------------------------------------------------------------- events
  const event = async (title: string) =>
    (
      ok(
        await req('POST', '/staff/events', staff, {
          title,
          venue: '小米科技园',
          capacity: 20,
          hostUnionIds: [zgc],
          ...openWindows(),
        }),
        201,
        'event',
      ).event as { id: number }
    ).id
  const signUp = async (token: string, eventId: number, gender: 'male' | 'female') =>
    ok(
      await req('POST', `/events/${eventId}/signup`, token, { profile: profile(gender) }),
      201,
      'signup',
    )
  const e1 = await event(MARK.event)
  await signUp(owner, e1, 'male')
  await signUp(m0006, e1, 'female')
  // The day of the mixer: check-in, groups and flowers once it started.
  ok(await req('PATCH', `/staff/events/${e1}`, staff, eventTimesAt('started')), 200, 'event day')
  for (const no of ['M0001', 'M0006']) {
    ok(
      await req('POST', `/staff/events/${e1}/checkins`, staff, { memberId: ids[no] }),
      200,
      'staff checkin',
    )
  }
  const code = (
    ok(await req('GET', `/staff/events/${e1}/checkin-code`, staff), 200, 'code') as {
      code: string
    }
  ).code
  const att = ok(await req('GET', `/events/${e1}/attendees`, owner), 200, 'attendees') as {
    attendees: Array<{ attendeeId: string }>
    myAttendeeId: string
  }
  const otherAttendee = att.attendees.find((a) => a.attendeeId !== att.myAttendeeId)?.attendeeId
  assert.ok(otherAttendee, 'a second attendee')
  const e2 = await event(`${MARK.event}（取消）`)
  await signUp(owner, e2, 'male')
  const e3 = await event(`${MARK.event}（报名）`)

  // ---------------------------------------------------------------- legal
  const lawyer = await first<{ id: number }>(
    db,
    sql`SELECT l.id FROM legal_lawyers l JOIN members m ON m.id = l.member_id
        WHERE m.member_no = 'L0001'`,
  )
  const phonePoint = await first<{ id: number }>(
    db,
    sql`SELECT id FROM legal_service_points WHERE kind = 'online' AND channel = 'phone'`,
  )
  const topic = await first<{ id: number }>(db, sql`SELECT min(id) AS id FROM legal_topics`)
  assert.ok(lawyer && phonePoint && topic)
  const phoneRule = await first<{ id: number }>(
    db,
    sql`SELECT min(id) AS id FROM legal_availability_rules WHERE service_point_id = ${phonePoint.id}`,
  )
  const phoneClosure = await first<{ id: number }>(
    db,
    sql`INSERT INTO legal_closures (date, reason, service_point_id)
        VALUES ('2032-03-01', '矩阵测试停诊', ${phonePoint.id}) RETURNING id`,
  )
  assert.ok(phoneRule?.id && phoneClosure)
  const today = Date.now()
  const from = shanghaiDate(new Date(today))
  const to = shanghaiDate(new Date(today + 20 * 86_400_000))
  const slots = (
    ok(
      await req('GET', `/legal/slots?from=${from}&to=${to}&lawyerId=${lawyer.id}`, owner),
      200,
      'slots',
    ) as {
      slots: Array<{ id: string; servicePointId: number; startsAt: string; available: boolean }>
    }
  ).slots.filter(
    (sl) =>
      sl.available &&
      sl.servicePointId === phonePoint.id &&
      Date.parse(sl.startsAt) > today + 6 * 3600_000,
  )
  assert.ok(slots.length >= 2, 'two free online slots of L0001')
  const booking = ok(
    await req('POST', '/legal/bookings', owner, {
      slotId: slots[0].id,
      topicId: topic.id,
      phone: '13800000001',
      description: MARK.description,
    }),
    201,
    'booking',
  ).booking as { id: number; startsAt: string }

  const rosterCsv = `会员号,姓名,手机号,工会\r\nM7001,矩阵测试,13800007001,${xiaomi}\r\n`
  const imported = await s.request({
    method: 'POST',
    url: '/api/v1/admin/members/imports',
    token: staff,
    body: rosterCsv,
    headers: { 'content-type': 'text/csv' },
  })
  if (imported.statusCode !== 202)
    throw new Error(`import: ${imported.statusCode} ${imported.body}`)
  const memberImport = (imported.json() as { import: { id: number } }).import.id
  const granted = await s.request({
    method: 'POST',
    url: '/api/v1/staff/points/grants',
    token: staff,
    body: { amount: 1, reason: '矩阵测试发放', unionId: xiaomi },
  })
  if (granted.statusCode !== 201) throw new Error(`grant: ${granted.statusCode} ${granted.body}`)
  const grant = (granted.json() as { grantId: number }).grantId
  const ran = await s.request({
    method: 'POST',
    url: '/api/v1/admin/jobs/expiry/run',
    token: tokens.admin,
  })
  if (ran.statusCode !== 202) throw new Error(`periodic job: ${ran.statusCode} ${ran.body}`)
  const periodicJob = (ran.json() as { job: { id: number } }).job.id
  // A message to the owner, which only the owner's reminders list shows.
  await db.execute(
    sql`INSERT INTO outbox (member_id, key, page, title, body, data, dedupe_key)
        VALUES (${ids.M0001}, 'pack_shipped', 'pages/home/index', ${MARK.reminder}, '矩阵测试',
                '{}'::jsonb, 'authz-matrix:reminder')`,
  )

  return {
    ids,
    xiaomi,
    zgc,
    memberImport,
    periodicJob,
    rosterCsv,
    grant,
    target: ids.M0006,
    targetBound: ids.M0011,
    qrTicket: (qr as { ticket: string }).ticket,
    item: item.id,
    order: order1.id,
    orderPickupCode: order1.pickupCode,
    order2PickupCode: order2.pickupCode,
    campaignOpen: open.id,
    campaignOpenItems: open.items.map((i) => i.id),
    campaignClosed: closed.id,
    packShipped: shipped.id,
    packToShip: toShip.id,
    campaignToClose: toClose.id,
    site: site.id,
    event: e1,
    eventCode: code,
    otherAttendee,
    eventToCancel: e2,
    eventToJoin: e3,
    topic: topic.id,
    phonePoint: phonePoint.id,
    lawyerL1: lawyer.id,
    phoneRule: phoneRule.id,
    phoneClosure: phoneClosure.id,
    booking: booking.id,
    bookingDate: shanghaiDate(new Date(booking.startsAt)),
    freeSlot: slots[slots.length - 1].id,
    tokens,
    freshToken,
    newQrTicket: async () =>
      (ok(await req('POST', '/auth/qr-tickets', undefined), 201, 'qr ticket') as { ticket: string })
        .ticket,
  }
}
