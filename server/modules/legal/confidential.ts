import { sql } from 'drizzle-orm'
import type { MemberBooking, MemberBookingResponse } from '../../../src/contract/legal'
import type { Tx } from '../../db/client'
import { pgConstraint, rows } from '../../db/sql'
import { SEALED_PREFIX, type Sealer } from '../../lib/crypto'

/*
 * What is sealed, and the context each sealed value is bound to (AES-GCM associated data): a
 * value copied into another member's booking, another booking's notes or another member's
 * idempotency key no longer opens.
 *
 * - `legal_bookings.description`: bound to the booking's member (the id is not known before the
 *   insert, the member is).
 * - `legal_bookings.notes`: bound to the booking.
 * - the stored answer of a booking request (`idempotency_keys.response`): its description and
 *   phone, bound to the member.
 *
 * The booking's own `phone` column stays plain: its CHECK constraint validates the format, staff
 * never select it, and the same number is on the roster (`members.phone`) in plain text anyway.
 */

export const descriptionContext = (memberId: number) =>
  `legal_bookings.description:member=${memberId}`
export const notesContext = (bookingId: number) => `legal_bookings.notes:booking=${bookingId}`
const replayContext = (memberId: number) => `idempotency_keys.response:member=${memberId}`

/** The answer to a booking request as kept for replays: description and phone sealed. */
export function sealStoredBooking(
  sealer: Sealer,
  memberId: number,
  response: MemberBookingResponse,
): MemberBookingResponse {
  const ctx = replayContext(memberId)
  const { booking } = response
  return {
    booking: {
      ...booking,
      phone: sealer.seal(booking.phone, ctx),
      description: sealer.seal(booking.description, ctx),
    },
  }
}

/** The replayed answer, opened again for the member who asked. */
export function openStoredBooking(
  sealer: Sealer,
  memberId: number,
  stored: MemberBookingResponse,
): MemberBookingResponse {
  const ctx = replayContext(memberId)
  const booking: MemberBooking = {
    ...stored.booking,
    phone: sealer.open(stored.booking.phone, ctx),
    description: sealer.open(stored.booking.description, ctx),
  }
  return { booking }
}

const BATCH = 200

/**
 * Seals what was written in plain text before encryption at rest (or by an older process during a
 * rolling start): booking descriptions and notes, and the description and phone in the kept
 * answers of booking requests. Safe to run at every start and in several processes at once: each
 * update only applies while the value is still the plain one it read, so a row sealed meanwhile
 * by another process is left alone. Run it outside a transaction (each update commits alone).
 *
 * Returns how many values it sealed, and how many descriptions it had to leave plain because their
 * sealed form breaks migration 0004's length CHECK (500 characters) while that CHECK exists.
 */
export async function sealLegacyBookings(
  tx: Tx,
  sealer: Sealer,
): Promise<{ sealed: number; tooLong: number }> {
  const columns = await sealLegacyColumns(tx, sealer)
  return {
    sealed: columns.sealed + (await sealLegacyReplays(tx, sealer)),
    tooLong: columns.tooLong,
  }
}

const sealedLike = `${SEALED_PREFIX}%`

async function sealLegacyColumns(
  tx: Tx,
  sealer: Sealer,
): Promise<{ sealed: number; tooLong: number }> {
  let sealed = 0
  let tooLong = 0
  let after = 0
  for (;;) {
    const batch = await rows<{
      id: number
      member_id: number
      description: string
      notes: string | null
    }>(
      tx,
      sql`SELECT id, member_id, description, notes FROM legal_bookings
          WHERE id > ${after} AND (description NOT LIKE ${sealedLike}
                                   OR (notes IS NOT NULL AND notes NOT LIKE ${sealedLike}))
          ORDER BY id LIMIT ${BATCH}`,
    )
    for (const r of batch) {
      if (!sealer.isSealed(r.description)) {
        try {
          const done = await rows(
            tx,
            sql`UPDATE legal_bookings
                SET description = ${sealer.seal(r.description, descriptionContext(r.member_id))}
                WHERE id = ${r.id} AND description = ${r.description} RETURNING id`,
          )
          sealed += done.length
        } catch (err) {
          if (pgConstraint(err) !== 'legal_bookings_description_length') throw err
          tooLong++
        }
      }
      if (r.notes !== null && !sealer.isSealed(r.notes)) {
        const done = await rows(
          tx,
          sql`UPDATE legal_bookings SET notes = ${sealer.seal(r.notes, notesContext(r.id))}
              WHERE id = ${r.id} AND notes = ${r.notes} RETURNING id`,
        )
        sealed += done.length
      }
    }
    if (batch.length < BATCH) return { sealed, tooLong }
    after = batch[batch.length - 1].id
  }
}

async function sealLegacyReplays(tx: Tx, sealer: Sealer): Promise<number> {
  let sealed = 0
  for (;;) {
    const batch = await rows<{ member_id: number; key: string; response: MemberBookingResponse }>(
      tx,
      sql`SELECT member_id, key, response FROM idempotency_keys
          WHERE route = 'createLegalBooking' AND response ? 'booking'
            AND (response->'booking'->>'description' NOT LIKE ${sealedLike}
                 OR response->'booking'->>'phone' NOT LIKE ${sealedLike})
          LIMIT ${BATCH}`,
    )
    let changed = 0
    for (const r of batch) {
      const { booking } = r.response
      const ctx = replayContext(r.member_id)
      const next = {
        booking: {
          ...booking,
          phone: sealer.isSealed(booking.phone) ? booking.phone : sealer.seal(booking.phone, ctx),
          description: sealer.isSealed(booking.description)
            ? booking.description
            : sealer.seal(booking.description, ctx),
        },
      }
      const done = await rows(
        tx,
        sql`UPDATE idempotency_keys SET response = ${JSON.stringify(next)}::jsonb
            WHERE member_id = ${r.member_id} AND key = ${r.key}
              AND response = ${JSON.stringify(r.response)}::jsonb
            RETURNING key`,
      )
      changed += done.length
    }
    sealed += changed
    // A batch in which another process sealed everything first is not read again forever.
    if (batch.length < BATCH || changed === 0) return sealed
  }
}
