import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../lib/errors'
import type { Caller } from '../lib/route'
import { hashToken, type SessionKind } from '../lib/sessions'

// Hand-tuned SQL: sign-in runs before every request, as one statement prepared by name.
interface CallerRow {
  id: number
  member_no: string
  name: string
  union_id: number
  union_name: string
  roles: string[]
  staff_union_id: number | null
  kind: SessionKind
}

/** The session behind a request's bearer token. */
export interface RequestSession {
  tokenHash: string
  kind: SessionKind
}

declare module 'fastify' {
  interface FastifyRequest {
    session?: RequestSession
  }
}

/** The SHA-256 of the request's bearer token; 401 when it carries none (no database needed). */
export function bearerTokenHash(req: FastifyRequest): string {
  const header = req.headers.authorization
  const match = header ? /^Bearer\s+(\S{1,200})$/i.exec(header) : null
  if (!match) throw new AppError('UNAUTHENTICATED', '请先登录')
  return hashToken(match[1])
}

/**
 * Decorates the app with `authenticate(req)`: bearer token → a live session (not revoked, not
 * expired) → the member, freshly loaded. One prepared statement per request.
 */
export function registerAuth(app: FastifyInstance): void {
  app.decorate('authenticate', async (req: FastifyRequest): Promise<Caller> => {
    const tokenHash = bearerTokenHash(req)
    const [row] = await app.db.raw.query<CallerRow>(
      `SELECT m.id, m.member_no, m.name, m.union_id, u.name AS union_name, m.roles,
              m.staff_union_id, s.kind
       FROM sessions s JOIN members m ON m.id = s.member_id JOIN unions u ON u.id = m.union_id
       WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
      [tokenHash],
      'auth_session',
    )
    if (!row) throw new AppError('UNAUTHENTICATED', '登录已失效，请重新登录')
    req.session = { tokenHash, kind: row.kind }
    return {
      id: row.id,
      memberNo: row.member_no,
      name: row.name,
      unionId: row.union_id,
      unionName: row.union_name,
      roles: row.roles as Caller['roles'],
      staffUnionId: row.staff_union_id,
    }
  })
}
