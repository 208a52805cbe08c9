import type { MallOrder } from '../../../src/contract/mall'
import type { Database, SqlClient } from '../../db/client'
import { AppError } from '../../lib/errors'
import { requestHash } from '../../lib/idempotency'
import { shanghaiDateTime } from '../../lib/time'
import { ancestorsOfText } from '../org/union-tree'
import { LotsShortError, planSpend, type OpenLot } from '../points/lots'
import { newPickupCode, pickupDeadline, saleState, withinLimit } from './rules'

export interface RedeemRequest {
  memberId: number
  /** The member's union: items of it and its ancestors are in reach. */
  unionId: number
  itemId: number
  quantity: number
  idempotencyKey: string
}

export interface RedeemOptions {
  /** Pickup codes to try (tests force a collision); default: random. */
  newCode?: () => string
}

/** The key's route name: a key used for another route is refused. */
const ROUTE = 'createOrder'
const ATTEMPTS = 4

/** Rolls the transaction back and tries again (a pickup-code collision or a price change). */
class Retry extends Error {
  constructor(readonly why: 'pickup_code' | 'price') {
    super(`redemption retried: ${why}`)
  }
}

/**
 * Redeems an item in one transaction, the same on PGlite and PostgreSQL:
 *
 * 1. claim the idempotency key (a retry waits for the first request, then replays its answer)
 *    and lock the member's points account — always the first lock, so redemptions, refunds,
 *    grants and expiry of one member queue up there and never deadlock;
 * 2. read, after the lock (a statement of its own: its snapshot is taken once the lock is held),
 *    the member's open lots and how many of the item they hold;
 * 3. one statement of conditional writes: stock − n only if enough is left (and the price is still
 *    the one charged), then the order, the debit, the lots spent, the ledger entry and the stored
 *    answer — each only if the step before it happened.
 *
 * Three statements, because every extra round trip costs (PGlite runs them on the main thread).
 * The CHECK constraints (stock ≥ 0, balance ≥ 0, remaining ≥ 0) are the backstop.
 */
export async function redeemItem(
  database: Database,
  req: RedeemRequest,
  opts: RedeemOptions = {},
): Promise<{ order: MallOrder }> {
  const hash = requestHash({ itemId: req.itemId, quantity: req.quantity })
  const code = opts.newCode ?? (() => newPickupCode())
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.raw.transaction((c) => redeemOnce(c, req, hash, code()))
    } catch (err) {
      if (!(err instanceof Retry)) throw err
      if (attempt >= ATTEMPTS) {
        throw err.why === 'price' ? new AppError('PRICE_CHANGED') : new AppError('INTERNAL')
      }
    }
  }
}

// Hand-tuned SQL: the redemption is the hot path (one statement per step, prepared by name).
interface ClaimRow {
  claimed: number
  balance: number | null
  now: Date
  item_id: number | null
  name: string
  image_url: string | null
  union_name: string
  points_cost: number
  stock: number
  per_member_limit: number
  sale_starts_at: Date | null
  sale_ends_at: Date | null
  pickup_days: number
  in_scope: boolean
}

const claimAndLock = `
  WITH claim AS (
    INSERT INTO idempotency_keys (member_id, key, route, request_hash)
    VALUES ($1::int, $2::text, '${ROUTE}', $3::text)
    ON CONFLICT (member_id, key) DO NOTHING
    RETURNING 1
  ), account AS (
    SELECT balance FROM point_accounts WHERE member_id = $1::int FOR UPDATE
  )
  SELECT (SELECT count(*) FROM claim)::int AS claimed,
         (SELECT balance FROM account) AS balance,
         now() AS now,
         i.id AS item_id, i.name, i.image_url, un.name AS union_name, i.points_cost, i.stock,
         i.per_member_limit, i.sale_starts_at, i.sale_ends_at, i.pickup_days,
         coalesce(i.union_id IN (SELECT id FROM ${ancestorsOfText('$5::int')} up), false) AS in_scope
  FROM (SELECT 1) AS one
  LEFT JOIN mall_items i ON i.id = $4::int
  LEFT JOIN unions un ON un.id = i.union_id`

interface Holdings {
  taken: number
  lots: Array<{ id: number; remaining: number; expiresAt: string | null }>
  order_id: number
}

const readHoldings = `
  SELECT (SELECT coalesce(sum(quantity), 0)::int FROM mall_orders
          WHERE member_id = $1::int AND item_id = $2::int
            AND status IN ('awaiting_pickup', 'fulfilled')) AS taken,
         (SELECT coalesce(json_agg(json_build_object('id', id, 'remaining', remaining,
                                                     'expiresAt', expires_at)
                                   ORDER BY expires_at NULLS LAST, id), '[]'::json)
          FROM point_lots WHERE member_id = $1::int AND remaining > 0) AS lots,
         nextval(pg_get_serial_sequence('mall_orders', 'id'))::int AS order_id`

const writeOrder = `
  WITH stock AS (
    UPDATE mall_items SET stock = stock - $3::int
    WHERE id = $2::int AND stock >= $3::int AND points_cost = $4::int
    RETURNING id
  ), ord AS (
    INSERT INTO mall_orders (id, member_id, item_id, quantity, unit_cost, points_spent,
                             pickup_code, pickup_deadline, created_at)
    OVERRIDING SYSTEM VALUE
    SELECT $6::int, $1::int, $2::int, $3::int, $4::int, $5::int, $7::text, $8::timestamptz,
           $9::timestamptz
    FROM stock
    ON CONFLICT (pickup_code) DO NOTHING
    RETURNING id
  ), debit AS (
    UPDATE point_accounts a SET balance = a.balance - $5::int FROM ord
    WHERE a.member_id = $1::int AND a.balance >= $5::int
    RETURNING a.balance
  ), spend AS (
    UPDATE point_lots l SET remaining = l.remaining - p.amount
    FROM unnest($10::int[], $11::int[]) AS p(lot_id, amount), ord
    WHERE l.id = p.lot_id AND l.member_id = $1::int AND l.remaining >= p.amount
    RETURNING l.id
  ), spent AS (
    INSERT INTO order_lot_spends (order_id, lot_id, amount)
    SELECT ord.id, p.lot_id, p.amount FROM ord, unnest($10::int[], $11::int[]) AS p(lot_id, amount)
  ), entry AS (
    INSERT INTO point_ledger (member_id, kind, amount, balance_after, reason, order_id, created_at)
    SELECT $1::int, 'redeem', -$5::int, debit.balance, $12::text, $6::int, $9::timestamptz
    FROM debit
  ), answer AS (
    UPDATE idempotency_keys SET status = 201, response = $14::text::jsonb FROM ord
    WHERE member_id = $1::int AND key = $13::text
  )
  SELECT (SELECT count(*) FROM stock)::int AS stocked, (SELECT count(*) FROM ord)::int AS ordered,
         (SELECT count(*) FROM debit)::int AS debited, (SELECT count(*) FROM spend)::int AS spent`

async function redeemOnce(
  c: SqlClient,
  req: RedeemRequest,
  hash: string,
  pickupCode: string,
): Promise<{ order: MallOrder }> {
  // Both in one round trip where the engine allows; the holdings statement runs after the claim
  // took the account lock, so it sees every earlier redemption of this member.
  const [claimed, holdings] = await c.batch([
    {
      text: claimAndLock,
      params: [req.memberId, req.idempotencyKey, hash, req.itemId, req.unionId],
      name: 'redeem_claim',
    },
    { text: readHoldings, params: [req.memberId, req.itemId], name: 'redeem_holdings' },
  ])
  const row = claimed[0] as ClaimRow
  if (row.claimed === 0) return replay(c, req, hash)

  const now = row.now
  if (row.item_id === null || !row.in_scope) {
    throw new AppError('NOT_FOUND', '商品不存在，或不在你所在工会的兑换范围内')
  }
  const state = saleState({ saleStartsAt: row.sale_starts_at, saleEndsAt: row.sale_ends_at }, now)
  if (state !== 'on_sale') {
    throw new AppError(
      'NOT_ON_SALE',
      state === 'upcoming' && row.sale_starts_at
        ? `该商品 ${shanghaiDateTime(row.sale_starts_at)} 开始兑换，现在还不能兑换`
        : '该商品已停止兑换',
    )
  }
  if (req.quantity > row.per_member_limit) {
    throw new AppError('LIMIT_EXCEEDED', `该商品每人限兑 ${row.per_member_limit} 件`)
  }
  // An early answer from the unlocked read; the conditional UPDATE below decides for real.
  if (row.stock < req.quantity) throw outOfStock(row.stock)
  const cost = row.points_cost * req.quantity
  const balance = row.balance ?? 0
  // The account row is locked: this balance is the one the debit will see.
  if (balance < cost) {
    throw new AppError('INSUFFICIENT_POINTS', `积分不足：需要 ${cost} 积分，当前 ${balance} 积分`)
  }

  const held = holdings[0] as Holdings
  if (!withinLimit(row.per_member_limit, held.taken, req.quantity)) {
    throw new AppError(
      'LIMIT_EXCEEDED',
      `该商品每人限兑 ${row.per_member_limit} 件，你已兑换 ${held.taken} 件`,
    )
  }
  const lots: OpenLot[] = held.lots.map((l) => ({
    id: l.id,
    remaining: l.remaining,
    expiresAt: l.expiresAt === null ? null : new Date(l.expiresAt),
  }))
  let spends
  try {
    spends = planSpend(lots, cost)
  } catch (err) {
    // The balance covered the cost but the lots do not: the books disagree. Refuse loudly.
    if (err instanceof LotsShortError) throw new Error(`member ${req.memberId}: ${err.message}`)
    throw err
  }

  const order: MallOrder = {
    id: held.order_id,
    itemId: row.item_id,
    itemName: row.name,
    itemImageUrl: row.image_url,
    unionName: row.union_name,
    quantity: req.quantity,
    unitCost: row.points_cost,
    pointsSpent: cost,
    pickupCode,
    status: 'awaiting_pickup',
    createdAt: now.toISOString(),
    pickupDeadline: pickupDeadline(now, row.pickup_days).toISOString(),
    closedAt: null,
  }
  const response = { order }
  const [done] = await c.query<{
    stocked: number
    ordered: number
    debited: number
    spent: number
  }>(
    writeOrder,
    [
      req.memberId,
      req.itemId,
      req.quantity,
      row.points_cost,
      cost,
      order.id,
      pickupCode,
      order.pickupDeadline,
      order.createdAt,
      spends.map((s) => s.lotId),
      spends.map((s) => s.amount),
      `兑换 ${row.name} ×${req.quantity}`,
      req.idempotencyKey,
      JSON.stringify(response),
    ],
    'redeem_write',
  )
  if (done.stocked === 0) {
    const [now2] = await c.query<{ stock: number; points_cost: number }>(
      'SELECT stock, points_cost FROM mall_items WHERE id = $1::int',
      [req.itemId],
    )
    if (now2.stock < req.quantity) throw outOfStock(now2.stock)
    throw new Retry('price')
  }
  if (done.ordered === 0) throw new Retry('pickup_code')
  if (done.debited !== 1 || done.spent !== spends.length) {
    throw new Error(`redemption of member ${req.memberId} did not add up: ${JSON.stringify(done)}`)
  }
  return response
}

function outOfStock(stock: number): AppError {
  return new AppError(
    'OUT_OF_STOCK',
    stock <= 0 ? '库存不足，已被兑完' : `库存不足，仅剩 ${stock} 件`,
  )
}

/** The key was used before: answer what the first request answered, if it was this request. */
async function replay(
  c: SqlClient,
  req: RedeemRequest,
  hash: string,
): Promise<{ order: MallOrder }> {
  const [prior] = await c.query<{
    route: string
    request_hash: string
    response: { order: MallOrder } | null
  }>(
    'SELECT route, request_hash, response FROM idempotency_keys WHERE member_id = $1::int AND key = $2::text',
    [req.memberId, req.idempotencyKey],
  )
  if (!prior || prior.route !== ROUTE || prior.request_hash !== hash) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED')
  }
  if (prior.response === null) throw new AppError('INTERNAL')
  return prior.response
}
