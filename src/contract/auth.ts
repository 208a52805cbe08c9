import { z } from 'zod'
import { id, isoDateTime } from './common'

export const roles = ['member', 'staff', 'lawyer', 'admin'] as const
export const role = z.enum(roles)
export type Role = z.infer<typeof role>

/** A member number such as `M0001`, `S0101`, `A0001`: a capital letter and digits. */
export const memberNo = z
  .string()
  .trim()
  .regex(/^[A-Z][0-9]{4,9}$/, '会员号格式不正确，例如 M0001')

/** A mainland mobile number on the roster: 11 digits starting with 1. */
export const rosterPhone = z
  .string()
  .trim()
  .regex(/^1[3-9][0-9]{9}$/, '手机号应为 11 位数字，以 1 开头')

export const member = z.object({
  id,
  memberNo: z.string(),
  name: z.string(),
  unionId: id,
  unionName: z.string(),
  roles: z.array(role),
  staffUnionId: id.optional(),
  /** Whether a WeChat account is bound to this member. */
  wechatBound: z.boolean().optional(),
  /** The roster phone, masked (`138****0001`), when one is on file. */
  phoneMasked: z.string().optional(),
})
export type Member = z.infer<typeof member>

export const devLoginBody = z.object({ memberNo }).strict()
export type DevLoginBody = z.infer<typeof devLoginBody>

/** Activation codes: 8 characters of an alphabet without look-alikes (no 0/O, 1/I/L). */
export const ACTIVATION_CODE_LENGTH = 8
export const ACTIVATION_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
/** How long an activation code stays valid. */
export const ACTIVATION_CODE_HOURS = 72
/** Wrong activation codes for one member before binding is locked … */
export const ACTIVATION_MAX_FAILURES = 5
/** … for this long. */
export const ACTIVATION_LOCK_MINUTES = 15

/** What a person types: case, spaces and dashes do not matter (`abcd-efgh` = `ABCDEFGH`). */
export const activationCode = z
  .string()
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(
    z
      .string()
      .length(ACTIVATION_CODE_LENGTH, `激活码为 ${ACTIVATION_CODE_LENGTH} 位字母或数字`)
      .regex(/^[0-9A-Z]+$/, `激活码为 ${ACTIVATION_CODE_LENGTH} 位字母或数字`),
  )

/**
 * WeChat sign-in. `code` (from `wx.login`) alone signs in an account already bound to a member.
 * The first time, the account is bound by proof: `phoneCode` (WeChat's phone-number button,
 * matched to the roster phone) or `memberNo` + `activationCode` (issued by the member's union
 * staff). A member number and a name never bind.
 */
export const wechatLoginBody = z
  .object({
    code: z.string().min(1).max(200),
    phoneCode: z.string().min(1).max(200).optional(),
    memberNo: memberNo.optional(),
    activationCode: activationCode.optional(),
  })
  .strict()
  .refine((b) => !b.activationCode || !!b.memberNo, {
    message: '使用激活码绑定时请同时填写会员号',
    path: ['memberNo'],
  })
export type WechatLoginBody = z.input<typeof wechatLoginBody>

export const authResponse = z.object({ token: z.string(), member })
export type AuthResponse = z.infer<typeof authResponse>

export const meResponse = z.object({ member })
export type MeResponse = z.infer<typeof meResponse>

/** What the sign-in page may offer (the demo's member-number sign-in only where it is on). */
export const authOptionsResponse = z.object({
  devLogin: z.boolean(),
  wechat: z.boolean(),
})
export type AuthOptionsResponse = z.infer<typeof authOptionsResponse>

export const logoutBody = z
  .object({
    /** Also end every other session of this member (all devices). */
    everywhere: z.boolean().optional(),
  })
  .strict()
export type LogoutBody = z.infer<typeof logoutBody>

export const okResponse = z.object({ ok: z.literal(true) })
export type OkResponse = z.infer<typeof okResponse>

// ---------------------------------------------------------------- scan to sign in on the web

/** A QR ticket lives this long. */
export const QR_TICKET_SECONDS = 120

/** What the web page's QR encodes: the mini-program recognises this prefix when it scans. */
export const QR_LOGIN_PREFIX = 'uss-login:'

export const qrTicketStatuses = ['pending', 'approved', 'expired', 'used'] as const
export const qrTicketStatus = z.enum(qrTicketStatuses)
export type QrTicketStatus = z.infer<typeof qrTicketStatus>

export const qrTicketParams = z
  .object({
    ticket: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/, '二维码无效，请刷新网页后重新扫码'),
  })
  .strict()

export const qrTicketCreatedResponse = z.object({ ticket: z.string(), expiresAt: isoDateTime })
export type QrTicketCreatedResponse = z.infer<typeof qrTicketCreatedResponse>

/**
 * A ticket's state. The web page polls it; the first poll after approval carries the token (and
 * the member) once, after which the ticket is `used`. `browser` says which browser asked, so the
 * approving member can recognise it.
 */
export const qrTicketResponse = z.object({
  status: qrTicketStatus,
  expiresAt: isoDateTime,
  browser: z.string(),
  createdAt: isoDateTime,
  token: z.string().optional(),
  member: member.optional(),
})
export type QrTicketResponse = z.infer<typeof qrTicketResponse>

export const qrApproveResponse = z.object({ status: qrTicketStatus })
export type QrApproveResponse = z.infer<typeof qrApproveResponse>

// ---------------------------------------------------------------- staff: binding on behalf

export const activationCodeResponse = z.object({
  code: z.string(),
  expiresAt: isoDateTime,
  /** What the code's QR encodes (the member scans it on the bind page). */
  qr: z.string(),
})
export type ActivationCodeResponse = z.infer<typeof activationCodeResponse>

/** What an activation code's QR encodes: `uss-activate:<memberNo>:<code>`. */
export const ACTIVATION_QR_PREFIX = 'uss-activate:'
