import type { MallOrder } from '../../../src/contract/mall'
import type { Database } from '../../db/client'
import { pgErrorCode } from '../../db/sql'
import { AppError } from '../../lib/errors'
import { requestHash } from '../../lib/idempotency'
import { shanghaiDateTime } from '../../lib/time'

/** A redemption by a signed-in request: the session is resolved in the same call. */
export interface SessionRedeemRequest {
  /** The SHA-256 of the request's bearer token (`hashToken`). */
  tokenHash: string
  itemId: number
  quantity: number
  idempotencyKey: string
}

/** A redemption for a member known already (tests). */
export interface RedeemRequest {
  memberId: number
  /** The member's union: items of it and its ancestors are in reach. */
  unionId: number
  itemId: number
  quantity: number
  idempotencyKey: string
}

export interface RedeemOptions {
  /** Pickup codes to try (tests force a collision); default: drawn by the database. */
  newCode?: () => string
}

/** How many pickup codes the database function tries before it gives up. */
const CODE_ATTEMPTS = 4

/** The SQLSTATE of a refusal raised by the redemption functions (migration 0011). */
const REFUSAL = 'US001'

type Answer = { order: MallOrder }

/**
 * Redeems an item for the request's session in ONE round trip: `redeem_item()` (migration 0011)
 * is the whole transaction — sign-in (token hash → live session → member and union), idempotency
 * claim or replay, the account lock first, the item's checks, stock − n only at the price charged,
 * the order under a fresh pickup code, the debit, the lots spent in expiry order, the ledger entry
 * and the stored answer — run by PostgreSQL (or PGlite) in autocommit. A refusal rolls all of it
 * back (the key too) and comes back as the AppError it always was; the CHECK constraints
 * (stock ≥ 0, balance ≥ 0, remaining ≥ 0) stay the backstop.
 */
export async function redeemForSession(
  database: Database,
  req: SessionRedeemRequest,
  opts: RedeemOptions = {},
): Promise<Answer> {
  return call(
    database,
    'redeem_item',
    'SELECT redeem_item($1::text, $2::int, $3::int, $4::text, $5::text, $6::text[]) AS answer',
    [req.tokenHash, req.itemId, req.quantity, req.idempotencyKey, hashOf(req), codes(opts)],
  )
}

/** The same redemption for a member whose sign-in was checked elsewhere. */
export async function redeemItem(
  database: Database,
  req: RedeemRequest,
  opts: RedeemOptions = {},
): Promise<Answer> {
  return call(
    database,
    'redeem_item_for_member',
    `SELECT redeem_item_for_member($1::int, $2::int, $3::int, $4::int, $5::text, $6::text,
                                   $7::text[]) AS answer`,
    [
      req.memberId,
      req.unionId,
      req.itemId,
      req.quantity,
      req.idempotencyKey,
      hashOf(req),
      codes(opts),
    ],
  )
}

/**
 * The same redemption by union staff at the desk for a member (代办): `redeem_item_by_staff()`
 * (migration 0015) claims the staff member's key (for this member, item and quantity), runs
 * `redeem_item_for_member()` inside the same call, records who acted on the order and writes the
 * audit row — one round trip, one transaction.
 */
export async function redeemItemByStaff(
  database: Database,
  req: RedeemRequest & { staffId: number },
  opts: RedeemOptions = {},
): Promise<Answer> {
  return call(
    database,
    'redeem_item_by_staff',
    `SELECT redeem_item_by_staff($1::int, $2::int, $3::int, $4::int, $5::int, $6::text, $7::text,
                                 $8::text[]) AS answer`,
    [
      req.staffId,
      req.memberId,
      req.unionId,
      req.itemId,
      req.quantity,
      req.idempotencyKey,
      requestHash({ memberId: req.memberId, itemId: req.itemId, quantity: req.quantity }),
      codes(opts),
    ],
  )
}

/** The fingerprint a reused key must match: the same item and quantity. */
const hashOf = (req: { itemId: number; quantity: number }) =>
  requestHash({ itemId: req.itemId, quantity: req.quantity })

const codes = (opts: RedeemOptions) =>
  opts.newCode ? Array.from({ length: CODE_ATTEMPTS }, opts.newCode) : null

async function call(
  database: Database,
  name: string,
  text: string,
  params: unknown[],
): Promise<Answer> {
  try {
    const [row] = await database.raw.query<{ answer: Answer }>(text, params, name)
    return row.answer
  } catch (err) {
    throw refusal(err) ?? err
  }
}

/** The figures a refusal carries in its detail. */
interface Figures {
  startsAt?: string
  limit?: number
  taken?: number
  stock?: number
  cost?: number
  balance?: number
}

/** The AppError of a refusal raised by the function, with the messages the route always gave. */
function refusal(err: unknown): AppError | undefined {
  if (pgErrorCode(err) !== REFUSAL) return undefined
  const { message, detail } = err as { message: string; detail?: string }
  const f = (detail ? JSON.parse(detail) : {}) as Figures
  switch (message) {
    case 'UNAUTHENTICATED':
      return new AppError('UNAUTHENTICATED', '登录已失效，请重新登录')
    case 'NOT_FOUND':
      return new AppError('NOT_FOUND', '商品不存在，或不在你所在工会的兑换范围内')
    case 'NOT_ON_SALE':
      return new AppError(
        'NOT_ON_SALE',
        f.startsAt
          ? `该商品 ${shanghaiDateTime(new Date(f.startsAt))} 开始兑换，现在还不能兑换`
          : '该商品已停止兑换',
      )
    case 'LIMIT_EXCEEDED':
      return new AppError(
        'LIMIT_EXCEEDED',
        f.taken === undefined
          ? `该商品每人限兑 ${f.limit} 件`
          : `该商品每人限兑 ${f.limit} 件，你已兑换 ${f.taken} 件`,
      )
    case 'OUT_OF_STOCK':
      return new AppError(
        'OUT_OF_STOCK',
        (f.stock ?? 0) <= 0 ? '库存不足，已被兑完' : `库存不足，仅剩 ${f.stock} 件`,
      )
    case 'INSUFFICIENT_POINTS':
      return new AppError(
        'INSUFFICIENT_POINTS',
        `积分不足：需要 ${f.cost} 积分，当前 ${f.balance} 积分`,
      )
    case 'IDEMPOTENCY_KEY_REUSED':
    case 'PRICE_CHANGED':
    case 'INTERNAL':
      return new AppError(message)
    default:
      return undefined
  }
}
