import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { routes } from '../../../src/contract/routes'
import type { AppConfig } from '../../config'
import { first } from '../../db/sql'
import { AppError } from '../../lib/errors'
import { handle } from '../../lib/route'
import { signToken } from '../../lib/tokens'
import { findMemberByNo, findMemberByOpenid, memberView } from '../org/members'
import { codeToSession } from './wechat'

export async function authRoutes(
  app: FastifyInstance,
  opts: { config: AppConfig; secret: string },
) {
  const { config, secret } = opts
  const issue = (memberId: number) =>
    signToken(secret, {
      sub: memberId,
      exp: Math.floor(Date.now() / 1000) + config.tokenTtlSeconds,
    })
  const rateLimit = { rateLimit: { max: config.loginRateLimit, timeWindow: 60_000 } }

  handle(app, routes.devLogin, { config: rateLimit }, async ({ body }) => {
    if (!config.devLogin) throw new AppError('NOT_FOUND', 404)
    const member = await findMemberByNo(app.db.db, body.memberNo)
    if (!member)
      throw new AppError('NOT_FOUND', 404, `会员号 ${body.memberNo} 不存在，请核对后重试`)
    return { token: issue(member.id), member: memberView(member) }
  })

  handle(app, routes.wechatLogin, { config: rateLimit }, async ({ body }) => {
    const { openid } = await codeToSession(config.wechat, body.code)
    const known = await findMemberByOpenid(app.db.db, openid)
    if (known) return { token: issue(known.id), member: memberView(known) }
    if (!body.memberNo || !body.name) throw new AppError('WECHAT_NOT_BOUND', 404)
    // Bind this WeChat account to the member, once: only a member without a binding, whose name
    // matches the union's records.
    const bound = await first<{ id: number }>(
      app.db.db,
      sql`UPDATE members SET wechat_openid = ${openid}
          WHERE member_no = ${body.memberNo} AND name = ${body.name} AND wechat_openid IS NULL
          RETURNING id`,
    )
    if (!bound) {
      throw new AppError(
        'WECHAT_NOT_BOUND',
        422,
        '会员号和姓名不匹配，或该会员已绑定其他微信。请核对，或联系所在工会',
      )
    }
    const member = await findMemberByOpenid(app.db.db, openid)
    if (!member) throw new AppError('INTERNAL', 500)
    return { token: issue(member.id), member: memberView(member) }
  })

  handle(app, routes.me, {}, async ({ caller }) => ({ member: memberView(caller) }))
}
