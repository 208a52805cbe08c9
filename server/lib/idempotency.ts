import crypto from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Tx } from '../db/client'
import { first } from '../db/sql'
import { AppError } from './errors'

export type Replay<T> = { replayed: true; status: number; response: T } | { replayed: false }

/** Idempotency keys are short opaque strings from the client. */
export function checkKey(key: string | undefined, required: boolean): string | undefined {
  if (key === undefined) {
    if (required) throw new AppError('IDEMPOTENCY_KEY_REQUIRED')
    return undefined
  }
  if (!/^[A-Za-z0-9_.:-]{8,100}$/.test(key)) {
    throw new AppError('BAD_REQUEST', 'Idempotency-Key 格式不正确（8–100 个字母、数字或 -_.:）')
  }
  return key
}

/** The fingerprint of a request body stored with its key: a reused key must carry the same request. */
export function requestHash(request: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(request)).digest('hex')
}

/**
 * Claims an idempotency key inside the caller's transaction (the route helper does, for every
 * route the contract marks `creates`). A concurrent request with the same
 * key waits on the primary key until this transaction ends; afterwards it finds the stored answer.
 * Returns the stored response when the key was used before (for the same request), otherwise
 * `replayed: false` and the caller must `storeResponse` before committing.
 */
export async function claimKey<T>(
  tx: Tx,
  memberId: number,
  key: string,
  route: string,
  request: unknown,
): Promise<Replay<T>> {
  const hash = requestHash(request)
  const inserted = await first<{ key: string }>(
    tx,
    sql`INSERT INTO idempotency_keys (member_id, key, route, request_hash)
        VALUES (${memberId}, ${key}, ${route}, ${hash})
        ON CONFLICT (member_id, key) DO NOTHING RETURNING key`,
  )
  if (inserted) return { replayed: false }
  const prior = await first<{
    route: string
    request_hash: string
    status: number | null
    response: T | null
  }>(
    tx,
    sql`SELECT route, request_hash, status, response FROM idempotency_keys
        WHERE member_id = ${memberId} AND key = ${key}`,
  )
  if (!prior || prior.status === null || prior.response === null) throw new AppError('INTERNAL')
  if (prior.route !== route || prior.request_hash !== hash) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED')
  }
  return { replayed: true, status: prior.status, response: prior.response }
}

/** Stores the first response for a claimed key (same transaction as the write). */
export async function storeResponse(
  tx: Tx,
  memberId: number,
  key: string,
  status: number,
  response: unknown,
): Promise<void> {
  await tx.execute(
    sql`UPDATE idempotency_keys SET status = ${status}, response = ${JSON.stringify(response)}::jsonb
        WHERE member_id = ${memberId} AND key = ${key}`,
  )
}
