import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../lib/errors'
import type { Caller } from '../lib/route'
import { verifyToken } from '../lib/tokens'
import { findCaller } from '../modules/org/members'

/** Decorates the app with `authenticate(req)`: bearer token → the member, freshly loaded. */
export function registerAuth(app: FastifyInstance, secret: string): void {
  app.decorate('authenticate', async (req: FastifyRequest): Promise<Caller> => {
    const header = req.headers.authorization
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null
    if (!match) throw new AppError('UNAUTHENTICATED', 401, '请先登录')
    const claims = verifyToken(secret, match[1], Math.floor(Date.now() / 1000))
    if (!claims) throw new AppError('UNAUTHENTICATED', 401, '登录已失效，请重新登录')
    const member = await findCaller(app.db.raw, claims.sub)
    if (!member) throw new AppError('UNAUTHENTICATED', 401, '账号不存在，请重新登录')
    return member
  })
}
