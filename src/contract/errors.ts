import { z } from 'zod'

/**
 * Every stable error code the server may answer with (API.md). The app switches on these; the
 * message next to a code is for people and may change.
 */
export const errorCodes = [
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'INTERNAL',
  'WECHAT_LOGIN_FAILED',
  'WECHAT_NOT_BOUND',
  'DEV_LOGIN_DISABLED',
  // identity
  'PHONE_NOT_ON_ROSTER',
  'PHONE_AMBIGUOUS',
  'WECHAT_PHONE_FAILED',
  'MEMBER_ALREADY_BOUND',
  'ACTIVATION_CODE_INVALID',
  'ACTIVATION_LOCKED',
  'QR_TICKET_NOT_FOUND',
  'QR_TICKET_EXPIRED',
  'QR_TICKET_USED',
  'QR_APPROVE_NOT_ALLOWED',
  'MEMBER_EXISTS',
  'UNION_NOT_FOUND',
  'IDEMPOTENCY_KEY_REQUIRED',
  'IDEMPOTENCY_KEY_REUSED',
  // points and mall
  'OUT_OF_STOCK',
  'INSUFFICIENT_POINTS',
  'LIMIT_EXCEEDED',
  'NOT_ON_SALE',
  'NOT_CANCELLABLE',
  'UNKNOWN_CODE',
  'ALREADY_FULFILLED',
  'ORDER_CANCELLED',
  'ORDER_EXPIRED',
  // cooling pack
  'OVER_QUOTA',
  'OVER_ITEM_MAX',
  'CAMPAIGN_CLOSED',
  'CAMPAIGN_NOT_OPEN',
  'CAMPAIGN_NOT_CLOSED',
  'EMPTY_PACK',
  'UNKNOWN_SITE',
  'NOT_ENTERPRISE_UNION',
  'SITE_EXISTS',
  'PACK_NOT_SHIPPED',
  'PACK_ALREADY_SHIPPED',
  'PACK_ALREADY_RECEIVED',
  // events and flowers
  'NOT_ELIGIBLE',
  'ALREADY_SIGNED_UP',
  'SIGNUP_CLOSED',
  'NO_FLOWERS_LEFT',
  'ALREADY_SENT',
  'CANNOT_SEND_TO_SELF',
  'NOT_CHECKED_IN',
  'FLOWER_PHASE_CLOSED',
  'NOT_SIGNED_UP',
  'NOT_CONFIRMED',
  'WRONG_CHECKIN_CODE',
  'PHASE_CHANGE_NOT_ALLOWED',
  'NOT_ENOUGH_ATTENDEES',
  // legal
  'SLOT_TAKEN',
  'TOO_MANY_BOOKINGS',
  'SLOT_IN_PAST',
  'TOO_LATE_TO_CANCEL',
  'UNKNOWN_SLOT',
  'NOT_RATEABLE',
  'ALREADY_RATED',
  'CONSULTATION_NOT_STARTED',
  'NOT_BOOKED',
  'LAWYER_EXISTS',
  'NOT_A_LAWYER',
  'RANGE_TOO_LONG',
  'SERVICE_POINT_EXISTS',
] as const

export type ErrorCode = (typeof errorCodes)[number]

export const errorBody = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
  }),
})
export type ErrorBody = z.infer<typeof errorBody>
