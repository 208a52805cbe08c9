import crypto from 'node:crypto'
import { pickupCodeAlphabet, pickupCodeLength } from '../../../src/contract/mall'
import { endOfShanghaiDay } from '../../lib/time'

// The redemption itself runs in the database (`redeem_item_for_member`, migration 0011), which
// applies these rules in SQL; they stay here as the statement of each rule the tests hold it to.

/**
 * When an order placed at `createdAt` expires if not picked up: the end of the `pickupDays`-th day
 * after it, Shanghai time (ordered on Monday with 7 days → the next Monday, 23:59:59.999).
 */
export function pickupDeadline(createdAt: Date, pickupDays: number): Date {
  return endOfShanghaiDay(createdAt, pickupDays)
}

/** Where `now` lies in an item's sale window. */
export function saleState(
  window: { saleStartsAt: Date | null; saleEndsAt: Date | null },
  now: Date,
): 'upcoming' | 'on_sale' | 'ended' {
  if (window.saleStartsAt && now < window.saleStartsAt) return 'upcoming'
  if (window.saleEndsAt && now >= window.saleEndsAt) return 'ended'
  return 'on_sale'
}

/**
 * A random pickup code: 8 characters from a 31-letter alphabet without look-alikes (31⁸ ≈ 8.5·10¹¹
 * codes), drawn with the crypto generator. Uniqueness is the database's job (unique constraint;
 * the redemption retries on a collision).
 */
export function newPickupCode(randomInt: (max: number) => number = crypto.randomInt): string {
  let code = ''
  for (let i = 0; i < pickupCodeLength; i++)
    code += pickupCodeAlphabet[randomInt(pickupCodeAlphabet.length)]
  return code
}

/** Whether a per-member limit allows `quantity` more when the member holds `taken` already. */
export function withinLimit(limit: number, taken: number, quantity: number): boolean {
  return taken + quantity <= limit
}
