import crypto from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Tx } from '../db/client'
import { rows } from '../db/sql'

/** How a session was signed in (shown to the member, and deciding what it may approve). */
export type SessionKind = 'wechat' | 'web' | 'dev'

/** Bearer tokens: `s1.` + 32 random bytes. Only the SHA-256 is stored. */
export function newToken(): string {
  return `s1.${crypto.randomBytes(32).toString('base64url')}`
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('base64url')
}

/** Starts a session for `memberId` and returns its bearer token (the only copy). */
export async function createSession(
  tx: Tx,
  s: { memberId: number; kind: SessionKind; client?: string; ttlSeconds: number },
): Promise<string> {
  const token = newToken()
  const expiresAt = new Date(Date.now() + s.ttlSeconds * 1000)
  await tx.execute(
    sql`INSERT INTO sessions (token_hash, member_id, kind, client, expires_at)
        VALUES (${hashToken(token)}, ${s.memberId}, ${s.kind}, ${(s.client ?? '').slice(0, 200)},
                ${expiresAt.toISOString()}::timestamptz)`,
  )
  return token
}

/** Ends one session at once (logout). */
export async function revokeSession(tx: Tx, tokenHash: string): Promise<void> {
  await tx.execute(
    sql`UPDATE sessions SET revoked_at = now() WHERE token_hash = ${tokenHash} AND revoked_at IS NULL`,
  )
}

/** Ends every live session of a member (unbinding, a removed role, sign out everywhere). */
export async function revokeMemberSessions(tx: Tx, memberId: number): Promise<number> {
  const ended = await rows<{ token_hash: string }>(
    tx,
    sql`UPDATE sessions SET revoked_at = now()
        WHERE member_id = ${memberId} AND revoked_at IS NULL AND expires_at > now()
        RETURNING token_hash`,
  )
  return ended.length
}

/** Removes sessions and QR tickets long past their end (run by the hourly job). */
export async function pruneSessions(tx: Tx): Promise<void> {
  await tx.execute(
    sql`DELETE FROM sessions WHERE expires_at < now() - interval '30 days'
           OR revoked_at < now() - interval '30 days'`,
  )
  await tx.execute(sql`DELETE FROM qr_tickets WHERE expires_at < now() - interval '1 day'`)
}

/** A short description of a browser from its User-Agent, e.g. `Chrome 126 · Windows`. */
export function describeBrowser(userAgent: string | undefined): string {
  const ua = userAgent ?? ''
  const browsers: Array<[RegExp, string]> = [
    [/MicroMessenger\/(\d+)/, '微信'],
    [/Edg\/(\d+)/, 'Edge'],
    [/Firefox\/(\d+)/, 'Firefox'],
    [/(?:Chrome|Chromium)\/(\d+)/, 'Chrome'],
    [/Version\/(\d+)[\d.]* .*Safari/, 'Safari'],
  ]
  let browser = ''
  for (const [re, name] of browsers) {
    const m = re.exec(ua)
    if (m) {
      browser = `${name} ${m[1]}`
      break
    }
  }
  const systems: Array<[RegExp, string]> = [
    [/Windows/, 'Windows'],
    [/iPhone|iPad/, 'iOS'],
    [/Android/, 'Android'],
    [/Mac OS X|Macintosh/, 'macOS'],
    [/Linux/, 'Linux'],
  ]
  const os = systems.find(([re]) => re.test(ua))?.[1] ?? ''
  const parts = [browser, os].filter(Boolean)
  return parts.length ? parts.join(' · ') : '未知浏览器'
}

/**
 * Sessions for many members at once, in one statement (tests and benchmarks sign in crowds).
 * Returns each member's token, in the order given.
 */
export async function createSessions(
  tx: Tx,
  memberIds: number[],
  kind: SessionKind,
  ttlSeconds: number,
): Promise<string[]> {
  const tokens = memberIds.map(() => newToken())
  if (memberIds.length === 0) return tokens
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000).toISOString()
  await tx.execute(
    sql`INSERT INTO sessions (token_hash, member_id, kind, expires_at)
        SELECT h, m, ${kind}, ${expiresAt}::timestamptz
        FROM unnest(${sql.param(tokens.map(hashToken))}::text[], ${sql.param(memberIds)}::int[]) AS t(h, m)`,
  )
  return tokens
}
