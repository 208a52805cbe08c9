import crypto from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { QR_TICKET_SECONDS } from '../../../src/contract/auth'
import { routes } from '../../../src/contract/routes'
import type { AppConfig } from '../../config'
import type { Tx } from '../../db/client'
import { first } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'
import { handle } from '../../lib/route'
import {
  createSession,
  describeBrowser,
  revokeMemberSessions,
  revokeSession,
  type SessionKind,
} from '../../lib/sessions'
import { findMemberById, findMemberByNo, findMemberByOpenid, memberView } from '../org/members'
import { bindByActivationCode, bindOpenid, maskPhone, memberIdByPhone } from './binding'
import { codeToSession, phoneNumberFromCode, WechatAccessToken } from './wechat'

const hashTicket = (ticket: string) =>
  crypto.createHash('sha256').update(ticket).digest('base64url')

export async function authRoutes(app: FastifyInstance, opts: { config: AppConfig }) {
  const { config } = opts
  const accessToken = new WechatAccessToken(config.wechat)
  // A flood guard per address only: 200 people on one venue Wi-Fi must all get in. Secrets are
  // limited per target (activation codes per member in the database, QR tickets per ticket).
  const perAddress = { rateLimit: { max: config.loginRateLimit, timeWindow: 60_000 } }
  const perTicket = (max: number) => ({
    rateLimit: {
      max,
      timeWindow: 60_000,
      keyGenerator: (req: FastifyRequest) =>
        `qr:${(req.params as { ticket?: string }).ticket ?? ''}`,
    },
  })

  /** A session for the member, with the answer every sign-in route gives. */
  const signIn = async (tx: Tx, memberId: number, kind: SessionKind, req: FastifyRequest) => {
    const member = await findMemberById(tx, memberId)
    if (!member) throw new AppError('UNAUTHENTICATED', '账号不存在，请重新登录')
    const token = await createSession(tx, {
      memberId,
      kind,
      client: describeBrowser(req.headers['user-agent']),
      ttlSeconds: kind === 'web' ? config.webSessionTtlSeconds : config.tokenTtlSeconds,
    })
    return { token, member: await memberDetail(tx, member.id) }
  }

  /** The member as `/me` shows it: with binding state and the masked roster phone. */
  const memberDetail = async (tx: Tx, memberId: number) => {
    const member = await findMemberById(tx, memberId)
    if (!member) throw new AppError('UNAUTHENTICATED', '账号不存在，请重新登录')
    const extra = await first<{ bound: boolean; phone: string | null }>(
      tx,
      sql`SELECT wechat_openid IS NOT NULL AS bound, phone FROM members WHERE id = ${memberId}`,
    )
    const phoneMasked = maskPhone(extra?.phone)
    return {
      ...memberView(member),
      wechatBound: extra?.bound ?? false,
      ...(phoneMasked ? { phoneMasked } : {}),
    }
  }

  handle(app, routes.authOptions, {}, async () => ({
    devLogin: config.devLogin,
    wechat: !!config.wechat.appId && !!config.wechat.appSecret,
  }))

  handle(app, routes.devLogin, { config: perAddress }, async ({ body, req }) => {
    if (!config.devLogin) throw new AppError('DEV_LOGIN_DISABLED')
    const member = await findMemberByNo(app.db.db, body.memberNo)
    if (!member) throw new AppError('NOT_FOUND', `会员号 ${body.memberNo} 不存在，请核对后重试`)
    return app.db.db.transaction((tx) => signIn(tx, member.id, 'dev', req))
  })

  handle(app, routes.wechatLogin, { config: perAddress }, async ({ body, req }) => {
    const { openid } = await codeToSession(config.wechat, body.code)
    const known = await findMemberByOpenid(app.db.db, openid)
    if (known) return app.db.db.transaction((tx) => signIn(tx, known.id, 'wechat', req))
    if (body.phoneCode) {
      const phone = await phoneNumberFromCode(config.wechat, accessToken, body.phoneCode)
      return app.db.db.transaction(async (tx) => {
        const memberId = await memberIdByPhone(tx, phone)
        await bindOpenid(tx, memberId, openid, 'phone')
        return signIn(tx, memberId, 'wechat', req)
      })
    }
    if (body.memberNo && body.activationCode) {
      const memberId = await bindByActivationCode(
        app.db.db,
        body.memberNo,
        body.activationCode,
        openid,
      )
      return app.db.db.transaction((tx) => signIn(tx, memberId, 'wechat', req))
    }
    throw new AppError('WECHAT_NOT_BOUND')
  })

  handle(app, routes.logout, {}, async ({ body, caller, req }) => {
    await app.db.db.transaction(async (tx) => {
      if (body?.everywhere) await revokeMemberSessions(tx, caller.id)
      else if (req.session) await revokeSession(tx, req.session.tokenHash)
    })
    return { ok: true as const }
  })

  handle(app, routes.me, {}, async ({ caller }) => ({
    member: await memberDetail(app.db.db, caller.id),
  }))

  handle(app, routes.unbindMyWechat, {}, async ({ caller }) => {
    await app.db.db.transaction(async (tx) => {
      const row = await first<{ id: number }>(
        tx,
        sql`UPDATE members SET wechat_openid = NULL
            WHERE id = ${caller.id} AND wechat_openid IS NOT NULL RETURNING id`,
      )
      if (!row) throw new AppError('MEMBER_NOT_BOUND', '你还没有绑定微信')
      await revokeMemberSessions(tx, caller.id)
      await audit(tx, {
        actorId: caller.id,
        action: 'wechat.unbind',
        entity: 'member',
        entityId: caller.id,
        after: { by: 'self' },
      })
    })
    return { ok: true as const }
  })

  // ------------------------------------------------------------ scan to sign in on the web

  handle(app, routes.createQrTicket, { config: perAddress }, async ({ req }) => {
    const ticket = crypto.randomBytes(32).toString('base64url')
    const expiresAt = new Date(Date.now() + QR_TICKET_SECONDS * 1000)
    await app.db.db.execute(
      sql`INSERT INTO qr_tickets (ticket_hash, browser, expires_at)
          VALUES (${hashTicket(ticket)}, ${describeBrowser(req.headers['user-agent'])},
                  ${expiresAt.toISOString()}::timestamptz)`,
    )
    return { ticket, expiresAt: expiresAt.toISOString() }
  })

  interface TicketRow {
    browser: string
    created_at: string
    expires_at: string
    approved_by: number | null
    used_at: string | null
    cancelled_at: string | null
    expired: boolean
  }
  const ticketRow = (tx: Tx, hash: string, lock = false) =>
    first<TicketRow>(
      tx,
      sql`SELECT browser, created_at, expires_at, approved_by, used_at, cancelled_at,
                 expires_at <= now() AS expired
          FROM qr_tickets WHERE ticket_hash = ${hash} ${lock ? sql`FOR UPDATE` : sql``}`,
    )
  const iso = (v: string | Date) => new Date(v).toISOString()
  const statusOf = (t: TicketRow) =>
    t.used_at
      ? ('used' as const)
      : t.cancelled_at || t.expired
        ? ('expired' as const)
        : t.approved_by
          ? ('approved' as const)
          : ('pending' as const)

  handle(app, routes.qrTicket, { config: perTicket(120) }, async ({ params, req }) => {
    const hash = hashTicket(params.ticket)
    return app.db.db.transaction(async (tx) => {
      const t = await ticketRow(tx, hash, true)
      if (!t) throw new AppError('QR_TICKET_NOT_FOUND')
      const status = statusOf(t)
      const base = {
        status,
        expiresAt: iso(t.expires_at),
        browser: t.browser,
        createdAt: iso(t.created_at),
      }
      if (status !== 'approved' || t.approved_by === null) return base
      // The approved ticket yields its token once: the row lock makes the first poll the only one.
      await tx.execute(sql`UPDATE qr_tickets SET used_at = now() WHERE ticket_hash = ${hash}`)
      const signedIn = await signIn(tx, t.approved_by, 'web', req)
      await audit(tx, {
        actorId: t.approved_by,
        action: 'session.web',
        entity: 'member',
        entityId: t.approved_by,
        after: { browser: t.browser },
      })
      return { ...base, ...signedIn }
    })
  })

  handle(
    app,
    routes.approveQrTicket,
    { config: perTicket(20) },
    async ({ params, caller, req }) => {
      // Only the mini-program (or the demo's sign-in) approves: a web session approving another web
      // page would let one stolen browser session spread.
      if (req.session?.kind === 'web') throw new AppError('QR_APPROVE_NOT_ALLOWED')
      const hash = hashTicket(params.ticket)
      return app.db.db.transaction(async (tx) => {
        const t = await ticketRow(tx, hash, true)
        if (!t) throw new AppError('QR_TICKET_NOT_FOUND')
        const status = statusOf(t)
        if (status === 'expired') throw new AppError('QR_TICKET_EXPIRED')
        if (status === 'used') throw new AppError('QR_TICKET_USED')
        if (status === 'approved') {
          if (t.approved_by === caller.id) return { status }
          throw new AppError('QR_TICKET_USED')
        }
        await tx.execute(
          sql`UPDATE qr_tickets SET approved_by = ${caller.id}, approved_at = now()
            WHERE ticket_hash = ${hash}`,
        )
        return { status: 'approved' as const }
      })
    },
  )

  handle(app, routes.cancelQrTicket, { config: perTicket(20) }, async ({ params, caller }) => {
    const hash = hashTicket(params.ticket)
    return app.db.db.transaction(async (tx) => {
      const t = await ticketRow(tx, hash, true)
      if (!t) throw new AppError('QR_TICKET_NOT_FOUND')
      const status = statusOf(t)
      if (status === 'used') throw new AppError('QR_TICKET_USED')
      if (status === 'approved' && t.approved_by !== caller.id) {
        throw new AppError('QR_TICKET_USED')
      }
      await tx.execute(
        sql`UPDATE qr_tickets SET cancelled_at = coalesce(cancelled_at, now())
            WHERE ticket_hash = ${hash}`,
      )
      return { status: 'expired' as const }
    })
  })
}
