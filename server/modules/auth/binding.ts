import crypto from 'node:crypto'
import { sql } from 'drizzle-orm'
import {
  ACTIVATION_CODE_ALPHABET,
  ACTIVATION_CODE_HOURS,
  ACTIVATION_CODE_LENGTH,
  ACTIVATION_LOCK_MINUTES,
  ACTIVATION_MAX_FAILURES,
} from '../../../src/contract/auth'
import type { Db, Tx } from '../../db/client'
import { first, pgErrorCode, rows } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'

/** `138****0001`: enough for a person to recognise their number, not enough to call it. */
export function maskPhone(phone: string | null | undefined): string | undefined {
  if (!phone) return undefined
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****'
}

export function hashActivationCode(memberId: number, code: string): string {
  return crypto.createHash('sha256').update(`${memberId}:${code}`).digest('base64url')
}

/** A fresh code from the unambiguous alphabet (≈ 39 bits). */
export function newActivationCode(): string {
  let code = ''
  for (let i = 0; i < ACTIVATION_CODE_LENGTH; i++) {
    code += ACTIVATION_CODE_ALPHABET[crypto.randomInt(ACTIVATION_CODE_ALPHABET.length)]
  }
  return code
}

/**
 * Binds `openid` to the member, once: only a member without a binding, and only an openid not
 * bound elsewhere (the unique key decides a race). Audited with the proof used.
 */
export async function bindOpenid(
  tx: Tx,
  memberId: number,
  openid: string,
  proof: 'phone' | 'activation_code',
): Promise<void> {
  let bound: { id: number } | undefined
  try {
    bound = await first<{ id: number }>(
      tx,
      sql`UPDATE members SET wechat_openid = ${openid}
          WHERE id = ${memberId} AND wechat_openid IS NULL RETURNING id`,
    )
  } catch (err) {
    if (pgErrorCode(err) === '23505') {
      throw new AppError('MEMBER_ALREADY_BOUND', '该微信已绑定其他会员，请直接登录')
    }
    throw err
  }
  if (!bound) throw new AppError('MEMBER_ALREADY_BOUND')
  await audit(tx, {
    actorId: memberId,
    action: 'wechat.bind',
    entity: 'member',
    entityId: memberId,
    after: { proof },
  })
}

/** The one member whose roster phone is `phone`; clear errors for none or several. */
export async function memberIdByPhone(tx: Tx, phone: string): Promise<number> {
  const found = await rows<{ id: number; bound: boolean }>(
    tx,
    sql`SELECT id, wechat_openid IS NOT NULL AS bound FROM members WHERE phone = ${phone} LIMIT 2`,
  )
  if (found.length === 0) throw new AppError('PHONE_NOT_ON_ROSTER')
  if (found.length > 1) throw new AppError('PHONE_AMBIGUOUS')
  if (found[0].bound) throw new AppError('MEMBER_ALREADY_BOUND')
  return found[0].id
}

/**
 * Checks `memberNo` + `code` and binds `openid` in one transaction. Attempts for one member are
 * serialised by their `bind_attempts` row; after 5 wrong codes the member is locked for a while
 * (429), whatever address the attempts come from — the right code included. A wrong attempt is
 * counted in its own committed transaction, so it sticks even though the request fails.
 */
export async function bindByActivationCode(
  db: Db,
  memberNo: string,
  code: string,
  openid: string,
): Promise<number> {
  const outcome = await db.transaction(async (tx) => {
    const member = await first<{ id: number; bound: boolean }>(
      tx,
      sql`SELECT id, wechat_openid IS NOT NULL AS bound FROM members WHERE member_no = ${memberNo}`,
    )
    // An unknown member number answers like a wrong code: nothing to learn by guessing numbers.
    if (!member) return { kind: 'wrong' as const }
    const attempts = await first<{ failures: number; locked: boolean }>(
      tx,
      sql`INSERT INTO bind_attempts (member_id) VALUES (${member.id})
          ON CONFLICT (member_id) DO UPDATE SET member_id = excluded.member_id
          RETURNING failures, coalesce(locked_until > now(), false) AS locked`,
    )
    if (attempts?.locked) return { kind: 'locked' as const }
    const live = await first<{ id: number; code_hash: string; expired: boolean }>(
      tx,
      sql`SELECT id, code_hash, expires_at <= now() AS expired FROM activation_codes
          WHERE member_id = ${member.id} AND used_at IS NULL AND revoked_at IS NULL`,
    )
    const given = Buffer.from(hashActivationCode(member.id, code))
    const matches =
      !!live &&
      !live.expired &&
      given.length === Buffer.from(live.code_hash).length &&
      crypto.timingSafeEqual(given, Buffer.from(live.code_hash))
    if (!matches) {
      const failures = (attempts?.failures ?? 0) + 1
      const lock = failures >= ACTIVATION_MAX_FAILURES
      await tx.execute(
        sql`UPDATE bind_attempts
            SET failures = ${lock ? 0 : failures},
                locked_until = ${lock ? sql`now() + make_interval(mins => ${ACTIVATION_LOCK_MINUTES})` : sql`locked_until`}
            WHERE member_id = ${member.id}`,
      )
      return { kind: lock ? ('locked' as const) : ('wrong' as const) }
    }
    if (member.bound) return { kind: 'bound' as const }
    await tx.execute(sql`UPDATE activation_codes SET used_at = now() WHERE id = ${live.id}`)
    await tx.execute(
      sql`UPDATE bind_attempts SET failures = 0, locked_until = NULL WHERE member_id = ${member.id}`,
    )
    await bindOpenid(tx, member.id, openid, 'activation_code')
    return { kind: 'bound-now' as const, memberId: member.id }
  })
  if (outcome.kind === 'locked') {
    throw new AppError(
      'ACTIVATION_LOCKED',
      `激活码错误次数过多，已锁定 ${ACTIVATION_LOCK_MINUTES} 分钟，请稍后再试或联系所在工会`,
    )
  }
  if (outcome.kind === 'wrong') throw new AppError('ACTIVATION_CODE_INVALID')
  if (outcome.kind === 'bound') throw new AppError('MEMBER_ALREADY_BOUND')
  if (outcome.kind !== 'bound-now') throw new AppError('INTERNAL')
  return outcome.memberId
}

/** Issues a fresh code for a member (the live one, if any, is revoked). Returns the plain code once. */
export async function issueActivationCode(
  tx: Tx,
  memberId: number,
  issuedBy: number,
): Promise<{ code: string; expiresAt: Date }> {
  await tx.execute(
    sql`UPDATE activation_codes SET revoked_at = now()
        WHERE member_id = ${memberId} AND used_at IS NULL AND revoked_at IS NULL`,
  )
  const code = newActivationCode()
  const expiresAt = new Date(Date.now() + ACTIVATION_CODE_HOURS * 3600_000)
  const row = await first<{ id: number }>(
    tx,
    sql`INSERT INTO activation_codes (member_id, code_hash, issued_by, expires_at)
        VALUES (${memberId}, ${hashActivationCode(memberId, code)}, ${issuedBy},
                ${expiresAt.toISOString()}::timestamptz)
        RETURNING id`,
  )
  await audit(tx, {
    actorId: issuedBy,
    action: 'activation_code.issue',
    entity: 'member',
    entityId: memberId,
    after: { activationCodeId: row?.id, expiresAt: expiresAt.toISOString() },
  })
  return { code, expiresAt }
}
