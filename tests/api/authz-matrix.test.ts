import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { routes } from '../../src/contract/routes'
import { campaignBody } from '../support/cooling'
import { openWindows, profile } from '../support/events'
import {
  authzFixtures,
  MARK,
  memberNoOf,
  principals,
  type AuthzFixtures,
  type Principal,
} from '../support/authz-fixtures'
import { engines, startTestServer, type TestServer } from '../support/server'

/**
 * The authorization matrix (issue 9): every route of the contract × every kind of caller, with the
 * status each must get. A route added to `routes` without a rule here fails the suite, and so does
 * a rule for a route that is gone.
 *
 * `'ok'` means the caller was let in: neither 401, 403 nor 404, and no 5xx — a 2xx, or a 409/422
 * from a business rule (e.g. cancelling twice). A list of statuses means the caller is kept out
 * (or, for a few member routes, has nothing there) and must get one of them.
 */

type RouteName = keyof typeof routes
type Expect = 'ok' | readonly number[]
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

interface Call {
  params?: Record<string, string | number>
  query?: Record<string, string | number>
  body?: unknown
  /** Extra headers (e.g. the content type of a file body). */
  headers?: Record<string, string>
}

interface Rule {
  /** The access class, in words (printed with the table). */
  access: string
  expect: Record<Principal, Expect>
  call?: (f: AuthzFixtures, p: Principal, n: number) => Call | Promise<Call>
  /** A marker that must not appear in a 2xx answer to these principals. */
  hides?: { marker: (f: AuthzFixtures) => string; from: readonly Principal[] }
  /** The route ends the caller's session: each call gets a session of its own. */
  freshToken?: boolean
  /** Changes the fixture others read: runs after every other route. */
  last?: boolean
}

const SIGNED_IN = ['owner', 'other', 'staffOut', 'staffIn', 'lawyerOut', 'lawyer', 'admin'] as const
const NOT_OWNER = SIGNED_IN.filter((p) => p !== 'owner')
const UNAUTH = [401] as const
const FORBIDDEN = [403] as const
const NOT_FOUND = [404] as const
/** 422 `NOT_CHECKED_IN`: the caller is no attendee of the event. */
const NOT_ATTENDEE = [422] as const

function expectations(
  signedIn: Expect,
  over: Partial<Record<Principal, Expect>> = {},
  anonymous: Expect = UNAUTH,
): Record<Principal, Expect> {
  const e = {} as Record<Principal, Expect>
  for (const p of SIGNED_IN) e[p] = signedIn
  e.none = anonymous
  e.expired = anonymous
  return { ...e, ...over }
}

/** No sign-in needed: every caller gets in, a stale token changes nothing. */
const publicRoute = (): Pick<Rule, 'access' | 'expect'> => ({
  access: 'public',
  expect: expectations('ok', {}, 'ok'),
})
/** Any signed-in member, for their own data (no id in the path). */
const signedIn = (): Pick<Rule, 'access' | 'expect'> => ({
  access: 'signed-in (own data)',
  expect: expectations('ok'),
})
/** The owner of the resource only; anyone else gets `deny` (an admin too). */
const ownerOnly = (deny: readonly number[]): Pick<Rule, 'access' | 'expect'> => ({
  access: `owner only (others ${deny.join('/')})`,
  expect: expectations(deny, { owner: 'ok' }),
})
/** Staff whose subtree holds the resource, and admins; other staff get `deny`. */
const staffScoped = (deny: readonly number[]): Pick<Rule, 'access' | 'expect'> => ({
  access: `staff in scope / admin (other subtree ${deny.join('/')})`,
  expect: expectations(FORBIDDEN, { staffIn: 'ok', admin: 'ok', staffOut: deny }),
})
/** Staff and admins; a list filtered to the caller's subtree. */
const staffList = (): Pick<Rule, 'access' | 'expect'> => ({
  access: 'staff / admin (list of own subtree)',
  expect: expectations(FORBIDDEN, { staffIn: 'ok', staffOut: 'ok', admin: 'ok' }),
})
const adminOnly = (): Pick<Rule, 'access' | 'expect'> => ({
  access: 'admin only',
  expect: expectations(FORBIDDEN, { admin: 'ok' }),
})

const hideFromOthers = (marker: (f: AuthzFixtures) => string) => ({ marker, from: NOT_OWNER })
const hideFromStaffOut = (marker: (f: AuthzFixtures) => string) => ({
  marker,
  from: ['staffOut'] as const,
})

const legalBody = (f: AuthzFixtures) => ({
  slotId: f.freeSlot,
  topicId: f.topic,
  phone: '13800000001',
  description: '矩阵测试：想咨询劳动合同解除的补偿问题。',
})

/** One rule per route of the contract. */
const rules: Record<RouteName, Rule> = {
  // ------------------------------------------------------------ identity
  devLogin: { ...publicRoute(), call: () => ({ body: { memberNo: 'M0001' } }) },
  wechatLogin: {
    // Tests run without WeChat credentials: 503 for everyone, never 401/403.
    access: 'public (WeChat not configured: 503)',
    expect: expectations([503], {}, [503]),
    call: () => ({ body: { code: 'authz-matrix' } }),
  },
  authOptions: publicRoute(),
  logout: { ...signedIn(), freshToken: true },
  createQrTicket: publicRoute(),
  qrTicket: { ...publicRoute(), call: (f) => ({ params: { ticket: f.qrTicket } }) },
  approveQrTicket: { ...signedIn(), call: freshTicket },
  cancelQrTicket: { ...signedIn(), call: freshTicket },
  me: signedIn(),
  unbindMyWechat: { ...signedIn(), freshToken: true },
  unions: signedIn(),
  createUnion: {
    ...adminOnly(),
    // Under 中关村, not 小米: 小米工会 stays an enterprise union (cooling sites need one).
    call: (f, _p, n) => ({ body: { name: `矩阵测试工会${n}`, parentId: f.zgc } }),
  },
  createMember: {
    ...adminOnly(),
    call: (f, _p, n) => ({
      body: { memberNo: `Z${String(n).padStart(6, '0')}`, name: '矩阵测试', unionId: f.xiaomi },
    }),
  },
  staffMembers: {
    ...staffList(),
    hides: hideFromStaffOut(() => '"memberNo":"M0001"'),
    call: () => ({ query: { q: 'M000' } }),
  },
  staffMember: { ...staffScoped(NOT_FOUND), call: (f) => ({ params: { id: f.target } }) },
  issueActivationCode: { ...staffScoped(NOT_FOUND), call: (f) => ({ params: { id: f.target } }) },
  revokeActivationCode: {
    ...staffScoped(NOT_FOUND),
    call: (f) => ({ params: { id: f.target } }),
  },
  staffUnbindWechat: {
    ...staffScoped(NOT_FOUND),
    call: (f) => ({ params: { id: f.targetBound } }),
  },
  patchMember: {
    ...adminOnly(),
    call: (f) => ({ params: { id: f.target }, body: { name: '矩阵测试改名' } }),
  },
  revokeMemberSessions: { ...adminOnly(), call: (f) => ({ params: { id: f.target } }) },
  // Roster import: staff and admins upload (rows outside the uploader's subtree are rejected
  // row by row, so S0101 gets 202 too); an import is read by its uploader, staff above them, admins.
  createMemberImport: {
    ...staffList(),
    call: (f) => ({ body: f.rosterCsv, headers: { 'content-type': 'text/csv' } }),
  },
  memberImport: { ...staffScoped(NOT_FOUND), call: (f) => ({ params: { id: f.memberImport } }) },
  memberImportRejects: {
    ...staffScoped(NOT_FOUND),
    call: (f) => ({ params: { id: f.memberImport } }),
  },

  // ------------------------------------------------------------ points and mall
  points: signedIn(),
  ledger: signedIn(),
  mallItems: { ...signedIn(), hides: hideFromOthers(() => MARK.item) },
  createOrder: {
    // The item is 小米工会's: only its members (and those below) may redeem it.
    access: 'signed-in member of the offering union (others 404)',
    expect: expectations(NOT_FOUND, { owner: 'ok' }),
    call: (f) => ({ body: { itemId: f.item, quantity: 1 } }),
  },
  orders: { ...signedIn(), hides: hideFromOthers((f) => f.orderPickupCode) },
  cancelOrder: { ...ownerOnly(NOT_FOUND), last: true, call: (f) => ({ params: { id: f.order } }) },
  staffItems: { ...staffList(), hides: hideFromStaffOut(() => MARK.item) },
  createItem: {
    ...staffScoped(FORBIDDEN),
    call: (f, _p, n) => ({
      body: {
        unionId: f.xiaomi,
        name: `${MARK.item}${n}`,
        pointsCost: 1,
        stock: 1,
        perMemberLimit: 1,
      },
    }),
  },
  patchItem: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ params: { id: f.item }, body: { stock: 100 } }),
  },
  grantPoints: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ body: { amount: 1, reason: '矩阵测试', unionId: f.xiaomi } }),
  },
  previewGrant: { ...staffScoped(FORBIDDEN), call: (f) => ({ body: { unionId: f.xiaomi } }) },
  // A grant's progress: staff who may act on the grant's union, and admins.
  grantJob: { ...staffScoped(FORBIDDEN), call: (f) => ({ params: { id: f.grant } }) },
  // Periodic jobs (expiry, closing due campaigns): admins run them now and follow them.
  runPeriodicJob: { ...adminOnly(), call: () => ({ params: { name: 'close-due-campaigns' } }) },
  // Subscribe messages: the caller's own answers and reminders.
  recordSubscriptions: {
    ...signedIn(),
    call: () => ({ body: { templates: [{ key: 'pack_shipped', accepted: true }] } }),
  },
  myReminders: { ...signedIn(), hides: hideFromOthers(() => MARK.reminder) },
  periodicJob: { ...adminOnly(), call: (f) => ({ params: { id: f.periodicJob } }) },
  pickupLookup: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ params: { code: f.orderPickupCode } }),
  },
  fulfilPickup: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ body: { pickupCode: f.order2PickupCode } }),
  },

  // ------------------------------------------------------------ cooling
  coolingCampaigns: { ...signedIn(), hides: hideFromOthers(() => MARK.campaign) },
  coolingSites: { ...signedIn(), hides: hideFromOthers(() => MARK.site) },
  coolingPack: { ...ownerOnly(NOT_FOUND), call: (f) => ({ params: { id: f.campaignOpen } }) },
  saveCoolingPack: {
    ...ownerOnly(NOT_FOUND),
    call: (f) => ({
      params: { id: f.campaignOpen },
      body: {
        items: [{ itemId: f.campaignOpenItems[3], quantity: 1 }],
        delivery: { kind: 'pickup' },
      },
    }),
  },
  receiveCoolingPack: {
    ...ownerOnly(NOT_FOUND),
    call: (f) => ({ params: { id: f.packShipped } }),
  },
  staffCoolingCampaigns: { ...staffList(), hides: hideFromStaffOut(() => MARK.campaign) },
  createCoolingCampaign: {
    ...staffScoped(FORBIDDEN),
    call: (f, _p, n) => ({ body: campaignBody(f.xiaomi, { title: `${MARK.campaign}${n}` }) }),
  },
  closeCoolingCampaign: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ params: { id: f.campaignToClose } }),
  },
  coolingCampaignClose: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ params: { id: f.campaignClosed } }),
  },
  coolingPackingList: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ params: { id: f.campaignOpen } }),
  },
  shipCoolingPack: { ...staffScoped(FORBIDDEN), call: (f) => ({ params: { id: f.packToShip } }) },
  shipCoolingGroup: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ params: { id: f.campaignClosed, siteId: 'pickup' } }),
  },
  staffCoolingSites: { ...staffList(), hides: hideFromStaffOut(() => MARK.site) },
  createCoolingSite: {
    ...staffScoped(FORBIDDEN),
    call: (f, _p, n) => ({
      body: { unionId: f.xiaomi, name: `${MARK.site}${n}`, address: '北京市海淀区测试路 1 号' },
    }),
  },
  patchCoolingSite: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ params: { id: f.site }, body: { address: '北京市海淀区测试路 2 号' } }),
  },

  // ------------------------------------------------------------ events and flowers
  events: { ...signedIn(), hides: hideFromOthers(() => MARK.event) },
  event: {
    access: 'member of a host union (others 404)',
    expect: expectations(NOT_FOUND, { owner: 'ok' }),
    call: (f) => ({ params: { id: f.event } }),
  },
  signup: {
    access: 'member of a host union (others 403 NOT_ELIGIBLE)',
    expect: expectations(FORBIDDEN, { owner: 'ok' }),
    call: (f) => ({ params: { id: f.eventToJoin }, body: { profile: profile('male') } }),
  },
  cancelSignup: {
    access: 'own registration (others 404 NOT_SIGNED_UP)',
    expect: expectations(NOT_FOUND, { owner: 'ok' }),
    last: true,
    call: (f) => ({ params: { id: f.eventToCancel } }),
  },
  checkin: {
    access: 'own registration (others 404 NOT_SIGNED_UP)',
    expect: expectations(NOT_FOUND, { owner: 'ok' }),
    call: (f) => ({ params: { id: f.event }, body: { code: f.eventCode } }),
  },
  attendees: {
    access: 'checked-in attendee (others 422 NOT_CHECKED_IN)',
    expect: expectations(NOT_ATTENDEE, { owner: 'ok' }),
    call: (f) => ({ params: { id: f.event } }),
  },
  rounds: {
    // A confirmed attendee's own rounds; others learn nothing, not even the group count.
    access: 'confirmed attendee (others 404)',
    expect: expectations(NOT_FOUND, { owner: 'ok' }),
    call: (f) => ({ params: { id: f.event } }),
  },
  flowers: {
    access: 'checked-in attendee (others 422 NOT_CHECKED_IN)',
    expect: expectations(NOT_ATTENDEE, { owner: 'ok' }),
    call: (f) => ({ params: { id: f.event } }),
  },
  sendFlower: {
    access: 'checked-in attendee (others 422 NOT_CHECKED_IN)',
    expect: expectations(NOT_ATTENDEE, { owner: 'ok' }),
    call: (f) => ({ params: { id: f.event }, body: { toAttendeeId: f.otherAttendee } }),
  },
  staffEvents: { ...staffList(), hides: hideFromStaffOut(() => MARK.event) },
  createEvent: {
    ...staffScoped(FORBIDDEN),
    call: (f, _p, n) => ({
      body: {
        title: `${MARK.event}${n}`,
        venue: '测试场地',
        capacity: 10,
        hostUnionIds: [f.zgc],
        ...openWindows(),
      },
    }),
  },
  staffEvent: { ...staffScoped(FORBIDDEN), call: (f) => ({ params: { id: f.event } }) },
  updateEvent: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ params: { id: f.event }, body: { checkinPoints: 0 } }),
  },
  staffRegistrations: { ...staffScoped(FORBIDDEN), call: (f) => ({ params: { id: f.event } }) },
  checkinCode: { ...staffScoped(FORBIDDEN), call: (f) => ({ params: { id: f.event } }) },
  staffCheckin: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ params: { id: f.event }, body: { memberId: f.ids.M0001 } }),
  },
  makeGroups: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({
      params: { id: f.event },
      body: { groupCount: 1, rounds: 1, rotating: 'male' },
    }),
  },
  groups: { ...staffScoped(FORBIDDEN), call: (f) => ({ params: { id: f.event } }) },
  flowerPhase: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ params: { id: f.event }, body: { open: true } }),
  },
  currentRound: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ params: { id: f.event }, body: { round: 1 } }),
  },
  matches: { ...staffScoped(FORBIDDEN), call: (f) => ({ params: { id: f.event } }) },

  // ------------------------------------------------------------ legal
  legalTopics: signedIn(),
  legalLawyers: signedIn(),
  legalServicePoints: signedIn(),
  legalSlots: {
    ...signedIn(),
    call: (f) => ({ query: { from: f.bookingDate, to: f.bookingDate } }),
  },
  createLegalBooking: { ...signedIn(), call: (f) => ({ body: legalBody(f) }) },
  legalBookings: { ...signedIn(), hides: hideFromOthers(() => MARK.description) },
  cancelLegalBooking: {
    ...ownerOnly(NOT_FOUND),
    last: true,
    call: (f) => ({ params: { id: f.booking } }),
  },
  rateLegalBooking: {
    ...ownerOnly(NOT_FOUND),
    call: (f) => ({ params: { id: f.booking }, body: { stars: 5 } }),
  },
  lawyerBookings: {
    access: 'lawyer (own bookings; another lawyer sees none)',
    expect: expectations(FORBIDDEN, { lawyer: 'ok', lawyerOut: 'ok' }),
    hides: { marker: () => MARK.description, from: ['lawyerOut'] },
    call: (f) => ({ query: { date: f.bookingDate } }),
  },
  lawyerBookingOutcome: {
    access: 'the booking’s lawyer (another lawyer 404)',
    expect: expectations(FORBIDDEN, { lawyer: 'ok', lawyerOut: NOT_FOUND }),
    call: (f) => ({ params: { id: f.booking }, body: { status: 'completed' } }),
  },
  staffLegalLawyers: staffList(),
  createLegalLawyer: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ body: { memberId: f.target, firm: '矩阵测试律师事务所' } }),
  },
  staffLegalServicePoints: { ...staffList(), hides: hideFromStaffOut(() => '线上法律咨询') },
  createLegalServicePoint: {
    ...staffScoped(FORBIDDEN),
    call: (f, _p, n) => ({
      body: {
        unionId: f.xiaomi,
        name: `${MARK.servicePoint}${n}`,
        kind: 'online',
        channel: 'video',
      },
    }),
  },
  staffLegalAvailability: { ...staffList(), hides: hideFromStaffOut(() => '线上法律咨询') },
  createLegalAvailability: {
    ...staffScoped(FORBIDDEN),
    call: (f, _p, n) => ({
      body: {
        lawyerId: f.lawyerL1,
        servicePointId: f.phonePoint,
        weekday: 7,
        start: '20:00',
        end: '21:00',
        slotMinutes: 30,
        validFrom: `2031-01-${String((n % 28) + 1).padStart(2, '0')}`,
        validTo: `2031-01-${String((n % 28) + 1).padStart(2, '0')}`,
      },
    }),
  },
  staffLegalClosures: staffList(),
  createLegalClosure: {
    ...staffScoped(FORBIDDEN),
    call: (f, _p, n) => ({
      body: {
        date: `2031-02-${String((n % 28) + 1).padStart(2, '0')}`,
        reason: '矩阵测试',
        servicePointId: f.phonePoint,
      },
    }),
  },
  staffLegalBookings: {
    ...staffList(),
    hides: hideFromStaffOut(() => '"memberNo":"M0001"'),
  },
  // Issue #14: edits and retirements. L0001 belongs to 石景山区总工会: both staff may act on them.
  patchLegalLawyer: {
    access: 'staff over the lawyer’s union / admin (L0001: 石景山, both staff)',
    expect: expectations(FORBIDDEN, { staffIn: 'ok', staffOut: 'ok', admin: 'ok' }),
    call: (f) => ({ params: { id: f.lawyerL1 }, body: { bio: '矩阵测试简介' } }),
  },
  retireLegalLawyer: {
    access: 'staff over the lawyer’s union / admin (409 while bookings are ahead)',
    expect: expectations(FORBIDDEN, { staffIn: 'ok', staffOut: 'ok', admin: 'ok' }),
    last: true,
    call: (f) => ({ params: { id: f.lawyerL1 } }),
  },
  patchLegalServicePoint: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ params: { id: f.phonePoint }, body: { channel: 'phone' } }),
  },
  retireLegalServicePoint: {
    ...staffScoped(FORBIDDEN),
    last: true,
    call: (f) => ({ params: { id: f.phonePoint } }),
  },
  patchLegalAvailability: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ params: { id: f.phoneRule }, body: { validTo: null } }),
  },
  retireLegalAvailability: {
    ...staffScoped(FORBIDDEN),
    last: true,
    call: (f) => ({ params: { id: f.phoneRule } }),
  },
  patchLegalClosure: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ params: { id: f.phoneClosure }, body: { reason: '矩阵测试改' } }),
  },
  retireLegalClosure: {
    ...staffScoped(FORBIDDEN),
    last: true,
    call: (f) => ({ params: { id: f.phoneClosure } }),
  },
  lawyerBookingNotes: {
    access: 'the booking’s lawyer (another lawyer 404)',
    expect: expectations(FORBIDDEN, { lawyer: 'ok', lawyerOut: NOT_FOUND }),
    call: (f) => ({ params: { id: f.booking }, body: { notes: '矩阵测试备注' } }),
  },
  staffAudit: staffList(),

  // ------------------------------------------------------------ 代办 and 待办 (issue #13)
  // Staff act for M0006 (小米工会): staff above it and admins; S0101 (石景山) 403.
  staffOnBehalf: { ...staffScoped(FORBIDDEN), call: (f) => ({ params: { id: f.target } }) },
  staffMemberLegalSlots: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ params: { id: f.target }, query: { from: f.bookingDate, to: f.bookingDate } }),
  },
  staffSignup: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({
      params: { id: f.eventToJoin },
      body: { memberId: f.target, profile: profile('female') },
    }),
  },
  staffSaveCoolingPack: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({
      params: { id: f.campaignOpen, memberId: f.target },
      body: {
        items: [{ itemId: f.campaignOpenItems[3], quantity: 1 }],
        delivery: { kind: 'pickup' },
      },
    }),
  },
  staffCreateLegalBooking: {
    ...staffScoped(FORBIDDEN),
    hides: { marker: () => '矩阵测试：想咨询劳动合同解除的补偿问题。', from: SIGNED_IN },
    call: (f) => ({ body: { ...legalBody(f), memberId: f.target } }),
  },
  staffCreateOrder: {
    ...staffScoped(FORBIDDEN),
    call: (f) => ({ body: { memberId: f.target, itemId: f.item, quantity: 1 } }),
  },
  myTodo: signedIn(),

  // ------------------------------------------------------------ 数据看板 (issue #14)
  // The figures of 小米工会's subtree: staff above it and admins; S0101 (石景山) 403.
  staffStats: { ...staffScoped(FORBIDDEN), call: (f) => ({ query: { unionId: f.xiaomi } }) },
}

/** A QR ticket of its own for each call (approving or cancelling uses it up). */
async function freshTicket(f: AuthzFixtures): Promise<Call> {
  return { params: { ticket: await f.newQrTicket() } }
}

const short: Record<Principal, string> = {
  owner: 'owner',
  other: 'other',
  staffOut: 'stfOut',
  staffIn: 'stfIn',
  lawyerOut: 'lawOut',
  lawyer: 'lawyer',
  admin: 'admin',
  none: 'none',
  expired: 'expird',
}

function meets(status: number, e: Expect): boolean {
  if (e === 'ok') return ![401, 403, 404].includes(status) && status < 500
  return e.includes(status)
}

function url(path: string, call: Call): string {
  const p = path.replace(/:(\w+)/g, (_, k: string) => {
    const v = call.params?.[k]
    assert.ok(v !== undefined, `${path}: no value for :${k}`)
    return encodeURIComponent(String(v))
  })
  const q = call.query
    ? new URLSearchParams(
        Object.entries(call.query).map(([k, v]): [string, string] => [k, String(v)]),
      ).toString()
    : ''
  return `/api/v1${p}${q ? `?${q}` : ''}`
}

describe('authorization matrix: the rule table', () => {
  test('every route of the contract has a rule, and every rule a route', () => {
    const declared = Object.keys(routes).sort()
    const ruled = Object.keys(rules).sort()
    assert.deepEqual(
      declared.filter((r) => !ruled.includes(r)),
      [],
      'routes without an authorization rule',
    )
    assert.deepEqual(
      ruled.filter((r) => !declared.includes(r)),
      [],
      'rules for routes that no longer exist',
    )
  })

  test('public routes are exactly those the contract marks public', () => {
    for (const [name, def] of Object.entries(routes)) {
      const rule = rules[name as RouteName]
      if (!rule) continue
      const e = rule.expect.none
      const open = e === 'ok' || !e.includes(401)
      assert.equal(Boolean((def as { public?: boolean }).public), open, `${name}: public?`)
    }
  })
})

for (const engine of engines()) {
  describe(`authorization matrix on ${engine}`, () => {
    let s: TestServer
    let f: AuthzFixtures

    before(async () => {
      s = await startTestServer(engine)
      f = await authzFixtures(s)
    })
    after(async () => {
      await s?.close()
    })

    test('every route × every principal gets the status its rule names', async () => {
      const names = (Object.keys(routes) as RouteName[]).filter((n) => rules[n])
      const order = [...names.filter((n) => !rules[n].last), ...names.filter((n) => rules[n].last)]
      const failures: string[] = []
      const lines: string[] = []
      const counts = { cells: 0, ok: 0, denied: 0, unauth: 0, mismatches: 0 }
      let n = 0
      let key = 0
      for (const name of order) {
        const def = routes[name] as { method: Method; path: string; body?: unknown }
        const rule = rules[name]
        // Callers kept out first, so the one let in cannot change what they would see.
        const sequence = [...principals].sort(
          (a, b) => Number(rule.expect[a] === 'ok') - Number(rule.expect[b] === 'ok'),
        )
        const cells = {} as Record<Principal, string>
        for (const p of sequence) {
          n++
          const call = rule.call ? await rule.call(f, p, n) : {}
          const token = rule.freshToken ? await f.freshToken(p) : f.tokens[p]
          const res = await s.request({
            method: def.method,
            url: url(def.path, call),
            token,
            body: call.body,
            headers: { 'idempotency-key': `authz-${engine}-${++key}`, ...call.headers },
          })
          const expected = rule.expect[p]
          counts.cells++
          let good = meets(res.statusCode, expected)
          let note = ''
          if (
            good &&
            rule.hides &&
            rule.hides.from.includes(p) &&
            res.statusCode < 300 &&
            res.body.includes(rule.hides.marker(f))
          ) {
            good = false
            note = ` (leaks ${rule.hides.marker(f)})`
          }
          if (res.statusCode === 401) counts.unauth++
          else if (expected !== 'ok') counts.denied++
          else counts.ok++
          if (!good) {
            counts.mismatches++
            failures.push(
              `${name} [${def.method} ${def.path}] as ${p} (${p in memberNoOf ? memberNoOf[p as keyof typeof memberNoOf] : p}): ` +
                `got ${res.statusCode}, expected ${expected === 'ok' ? 'allowed' : expected.join('/')}${note} — ${res.body.slice(0, 160)}`,
            )
          }
          cells[p] = `${res.statusCode}${good ? '' : '!'}`
        }
        lines.push(
          `${name.padEnd(24)} ${principals.map((p) => cells[p].padStart(short[p].length)).join(' ')}  ${rule.access}`,
        )
      }
      console.log(
        [
          `authorization matrix on ${engine} (! = not what the rule says)`,
          `${'route'.padEnd(24)} ${principals.map((p) => short[p]).join(' ')}`,
          ...lines,
          `${order.length} routes × ${principals.length} principals = ${counts.cells} cells: ` +
            `${counts.ok} let in, ${counts.denied} kept out (403/404/422), ${counts.unauth} 401, ` +
            `${counts.mismatches} mismatches`,
        ].join('\n'),
      )
      assert.deepEqual(failures, [], failures.join('\n'))
    })
  })
}
