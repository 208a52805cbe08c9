import { z } from 'zod'

/** The HTTP statuses an error answers with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 503

/**
 * Every stable error code the server may answer with (API.md) and its one HTTP status: the server
 * answers a code always with this status. The app switches on the codes; the message next to a
 * code is for people and may change. Where a route needs another status, it needs another code.
 */
export const errorTable = {
  BAD_REQUEST: { status: 400 },
  UNAUTHENTICATED: { status: 401 },
  FORBIDDEN: { status: 403 },
  NOT_FOUND: { status: 404 },
  RATE_LIMITED: { status: 429 },
  INTERNAL: { status: 500 },
  WECHAT_LOGIN_FAILED: { status: 401 },
  WECHAT_NOT_BOUND: { status: 404 },
  /** WeChat sign-in or phone check is not configured, or WeChat does not answer. */
  WECHAT_UNAVAILABLE: { status: 503 },
  DEV_LOGIN_DISABLED: { status: 404 },
  // identity
  PHONE_NOT_ON_ROSTER: { status: 422 },
  PHONE_AMBIGUOUS: { status: 409 },
  WECHAT_PHONE_FAILED: { status: 401 },
  MEMBER_ALREADY_BOUND: { status: 409 },
  /** Unbinding a member who has no WeChat bound (signing in unbound is `WECHAT_NOT_BOUND`). */
  MEMBER_NOT_BOUND: { status: 409 },
  ACTIVATION_CODE_INVALID: { status: 422 },
  ACTIVATION_LOCKED: { status: 429 },
  QR_TICKET_NOT_FOUND: { status: 404 },
  QR_TICKET_EXPIRED: { status: 409 },
  QR_TICKET_USED: { status: 409 },
  QR_APPROVE_NOT_ALLOWED: { status: 403 },
  MEMBER_EXISTS: { status: 409 },
  /** A union of the same name under the same parent. */
  UNION_EXISTS: { status: 409 },
  UNION_NOT_FOUND: { status: 404 },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400 },
  IDEMPOTENCY_KEY_REUSED: { status: 422 },
  // points and mall
  OUT_OF_STOCK: { status: 409 },
  INSUFFICIENT_POINTS: { status: 409 },
  LIMIT_EXCEEDED: { status: 422 },
  NOT_ON_SALE: { status: 422 },
  /** The item's price changed while redeeming it: refresh and try again. */
  PRICE_CHANGED: { status: 409 },
  NOT_CANCELLABLE: { status: 409 },
  UNKNOWN_CODE: { status: 404 },
  ALREADY_FULFILLED: { status: 409 },
  ORDER_CANCELLED: { status: 409 },
  ORDER_EXPIRED: { status: 409 },
  /** A grant to a union subtree without members. */
  NO_GRANT_RECIPIENTS: { status: 422 },
  // cooling pack
  OVER_QUOTA: { status: 422 },
  OVER_ITEM_MAX: { status: 422 },
  CAMPAIGN_CLOSED: { status: 409 },
  CAMPAIGN_NOT_OPEN: { status: 409 },
  CAMPAIGN_NOT_CLOSED: { status: 409 },
  EMPTY_PACK: { status: 422 },
  UNKNOWN_SITE: { status: 422 },
  NOT_ENTERPRISE_UNION: { status: 422 },
  SITE_EXISTS: { status: 409 },
  PACK_NOT_SHIPPED: { status: 409 },
  PACK_ALREADY_SHIPPED: { status: 409 },
  PACK_ALREADY_RECEIVED: { status: 409 },
  // events and flowers
  NOT_ELIGIBLE: { status: 403 },
  ALREADY_SIGNED_UP: { status: 409 },
  SIGNUP_CLOSED: { status: 409 },
  NO_FLOWERS_LEFT: { status: 409 },
  ALREADY_SENT: { status: 409 },
  CANNOT_SEND_TO_SELF: { status: 422 },
  NOT_CHECKED_IN: { status: 422 },
  FLOWER_PHASE_CLOSED: { status: 409 },
  NOT_SIGNED_UP: { status: 404 },
  NOT_CONFIRMED: { status: 409 },
  WRONG_CHECKIN_CODE: { status: 422 },
  PHASE_CHANGE_NOT_ALLOWED: { status: 409 },
  NOT_ENOUGH_ATTENDEES: { status: 422 },
  // legal
  SLOT_TAKEN: { status: 409 },
  TOO_MANY_BOOKINGS: { status: 422 },
  SLOT_IN_PAST: { status: 422 },
  TOO_LATE_TO_CANCEL: { status: 422 },
  UNKNOWN_SLOT: { status: 404 },
  NOT_RATEABLE: { status: 422 },
  ALREADY_RATED: { status: 409 },
  CONSULTATION_NOT_STARTED: { status: 422 },
  NOT_BOOKED: { status: 409 },
  LAWYER_EXISTS: { status: 409 },
  NOT_A_LAWYER: { status: 422 },
  RANGE_TOO_LONG: { status: 400 },
  SERVICE_POINT_EXISTS: { status: 409 },
  // events operations (issue 14)
  /** An event's capacity (or a gender's places) below those already confirmed. */
  CAPACITY_BELOW_CONFIRMED: { status: 422 },
  /** Check-in before it opens (shortly before the start) or after the event ended. */
  CHECKIN_NOT_OPEN: { status: 409 },
  /** Groups, rounds or the flower phase before the event started. */
  EVENT_NOT_STARTED: { status: 409 },
  /** A round outside 1…rounds, or before the groups are made. */
  ROUND_OUT_OF_RANGE: { status: 422 },
  /** A grant by member numbers naming numbers not found in the caller's unions. */
  UNKNOWN_MEMBER_NOS: { status: 422 },
  // legal and cooling operations (issue 14)
  /** A staff change that would leave booked consultations without their slot (listed). */
  BOOKINGS_AFFECTED: { status: 409 },
  /** A slot starting within `minBookingLeadHours`: it could no longer be cancelled. */
  SLOT_TOO_SOON: { status: 422 },
  /** Editing or retiring what staff already retired. */
  ALREADY_RETIRED: { status: 409 },
} as const satisfies Record<string, { status: ErrorStatus }>

export type ErrorCode = keyof typeof errorTable

/** Every code, in the table's order. */
export const errorCodes = Object.keys(errorTable) as [ErrorCode, ...ErrorCode[]]

/** The HTTP status a code answers with. */
export function errorStatus(code: ErrorCode): ErrorStatus {
  return errorTable[code].status
}

export const errorBody = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
  }),
})
export type ErrorBody = z.infer<typeof errorBody>
