import { sql } from 'drizzle-orm'
import {
  flowerAnonymityFloor,
  type FlowerMatch,
  type FlowerPhase,
  type FlowersResponse,
  type MatchesResponse,
  type OneSidedFlowers,
  type SendFlowerResponse,
} from '../../../src/contract/events'
import type { Tx } from '../../db/client'
import { first, pgConstraint, rows } from '../../db/sql'
import { AppError } from '../../lib/errors'

/** The caller's checked-in registration at the event, or 422 `NOT_CHECKED_IN`. */
export async function checkedInAttendee(
  tx: Tx,
  eventId: number,
  memberId: number,
): Promise<{ id: number; public_id: string; flowers_left: number }> {
  const me = await first<{ id: number; public_id: string; flowers_left: number; ok: boolean }>(
    tx,
    sql`SELECT r.id, r.public_id, a.flowers_left,
               (r.status = 'confirmed' AND r.checked_in_at IS NOT NULL
                AND a.registration_id IS NOT NULL) AS ok
        FROM event_registrations r LEFT JOIN flower_allowances a ON a.registration_id = r.id
        WHERE r.event_id = ${eventId} AND r.member_id = ${memberId}`,
  )
  if (!me || !me.ok) {
    throw new AppError('NOT_CHECKED_IN', '你还没有在本场活动签到')
  }
  return me
}

const sentToStatement = `
  SELECT r.public_id FROM flowers f JOIN event_registrations r ON r.id = f.recipient_id
  WHERE f.sender_id = $1::int ORDER BY f.id`

async function sentTo(tx: Tx, senderId: number): Promise<string[]> {
  const list = await rows<{ public_id: string }>(tx, asSql(sentToStatement, [senderId]))
  return list.map((r) => r.public_id)
}

/**
 * One statement sends one flower, in the request's transaction (where the route helper claimed
 * the idempotency key). Every rule is held by the database, not by a read-then-write:
 *  - the sender's `flower_allowances` row is locked FOR UPDATE first: a sender's parallel sends
 *    queue there and each sees the `flowers_left` the one before it left;
 *  - the phase: the event must read `open` and the allowance must not be `closed`, which the
 *    close sets on every allowance of the event in its own transaction. A send holding its
 *    allowance makes the close wait; a send after the close sees the flag (the lock re-reads the
 *    row). So no flower lands after the close, and no send touches the shared event row;
 *  - the flower is inserted ON CONFLICT DO NOTHING on unique (event, sender, recipient), so a
 *    second flower to the same person inserts nothing and spends nothing;
 *  - the allowance is then decremented for the inserted flower; CHECK (0..3) would undo the whole
 *    statement past zero; CHECK sender <> recipient and composite foreign keys (same event) are
 *    backstops too.
 */
const sendStatement = `
  WITH ev AS (
    SELECT flower_phase FROM events WHERE id = $1::int
  ), me AS (
    SELECT id, (status = 'confirmed' AND checked_in_at IS NOT NULL) AS ok
    FROM event_registrations WHERE event_id = $1::int AND member_id = $2::int
  ), mine AS (
    SELECT a.registration_id, a.flowers_left, a.closed
    FROM flower_allowances a WHERE a.registration_id = (SELECT id FROM me)
    FOR UPDATE
  ), them AS (
    SELECT id FROM event_registrations
    WHERE event_id = $1::int AND public_id = $3::text AND status = 'confirmed'
      AND checked_in_at IS NOT NULL
  ), go AS (
    SELECT mine.registration_id AS me_id, them.id AS them_id FROM ev, mine, them
    WHERE ev.flower_phase = 'open' AND NOT mine.closed AND mine.registration_id <> them.id
      AND mine.flowers_left > 0
  ), ins AS (
    INSERT INTO flowers (event_id, sender_id, recipient_id)
    SELECT $1::int, me_id, them_id FROM go
    ON CONFLICT (event_id, sender_id, recipient_id) DO NOTHING
    RETURNING sender_id
  ), spend AS (
    UPDATE flower_allowances a SET flowers_left = a.flowers_left - 1
    FROM ins WHERE a.registration_id = ins.sender_id
    RETURNING a.flowers_left
  )
  SELECT CASE WHEN mine.closed THEN 'closed' ELSE (SELECT flower_phase FROM ev) END AS phase,
         (SELECT flower_phase FROM ev) IS NOT NULL AS found,
         me.id AS me_id, coalesce(me.ok AND mine.registration_id IS NOT NULL, false) AS me_in,
         mine.flowers_left AS had, (SELECT id FROM them) AS them_id,
         (SELECT flowers_left FROM spend) AS left
  FROM (SELECT 1) AS one LEFT JOIN me ON true LEFT JOIN mine ON true`

// Hand-tuned SQL: a flower is sent in one statement that holds the 3-flower cap under race.
interface SendRow {
  phase: FlowerPhase | null
  found: boolean
  me_id: number | null
  me_in: boolean
  had: number | null
  them_id: number | null
  left: number | null
}

/** Turns a `$1…` statement into drizzle SQL (to run it inside a drizzle transaction). */
function asSql(text: string, params: unknown[]) {
  const parts = text.split(/\$(\d+)/)
  const chunks = parts.map((part, i) =>
    i % 2 === 0 ? sql.raw(part) : sql`${params[Number(part) - 1]}`,
  )
  return sql.join(chunks, sql``)
}

/** Why a send did nothing, as the sender's error; it never depends on what the recipient sent. */
function refusal(r: SendRow | undefined): AppError {
  if (!r || !r.found) return new AppError('NOT_FOUND', '活动不存在')
  if (r.me_id === null || !r.me_in) {
    return new AppError('NOT_CHECKED_IN', '你还没有在本场活动签到，不能送花')
  }
  if (r.phase !== 'open') {
    return new AppError(
      'FLOWER_PHASE_CLOSED',
      r.phase === 'not_open' ? '送花环节还没有开始' : '送花环节已经结束',
    )
  }
  if (r.them_id === null) return new AppError('NOT_CHECKED_IN', 'TA 没有在本场活动签到，不能送花')
  if (r.them_id === r.me_id) return new AppError('CANNOT_SEND_TO_SELF')
  if (r.had === 0) return new AppError('NO_FLOWERS_LEFT')
  return new AppError('ALREADY_SENT')
}

/**
 * Sends one flower: `on` is the database (the statement commits on its own) or a transaction.
 * Privacy: which answer the sender gets depends only on the phase, the sender's own flowers and
 * whether the recipient is checked in here — never on what the recipient sent; the statement
 * never reads the reverse flower.
 */
export async function sendFlower(
  tx: Tx,
  req: { eventId: number; memberId: number; toAttendeeId: string },
): Promise<SendFlowerResponse> {
  const params = [req.eventId, req.memberId, req.toAttendeeId]
  let row: SendRow | undefined
  try {
    row = await first<SendRow>(tx, asSql(sendStatement, params))
  } catch (err) {
    // The CHECK on flowers_left: a parallel send took the last flower first.
    if (pgConstraint(err) === 'flower_allowances_flowers_left') {
      throw new AppError('NO_FLOWERS_LEFT')
    }
    throw err
  }
  if (!row || row.left === null || row.me_id === null) throw refusal(row)
  return { left: row.left, sentTo: await sentTo(tx, row.me_id) }
}

/** Mutual flowers of the event as pairs of registration ids (lower id first). */
async function mutualPairs(
  tx: Tx,
  eventId: number,
): Promise<Array<{ a: FlowerMatch; b: FlowerMatch }>> {
  const list = await rows<{ a_id: string; a_nick: string; b_id: string; b_nick: string }>(
    tx,
    sql`SELECT ra.public_id AS a_id, ra.nickname AS a_nick, rb.public_id AS b_id,
               rb.nickname AS b_nick
        FROM flowers f
        JOIN flowers back ON back.event_id = f.event_id AND back.sender_id = f.recipient_id
                         AND back.recipient_id = f.sender_id
        JOIN event_registrations ra ON ra.id = f.sender_id
        JOIN event_registrations rb ON rb.id = f.recipient_id
        WHERE f.event_id = ${eventId} AND f.sender_id < f.recipient_id
        ORDER BY ra.public_id, rb.public_id`,
  )
  return list.map((r) => ({
    a: { attendeeId: r.a_id, nickname: r.a_nick },
    b: { attendeeId: r.b_id, nickname: r.b_nick },
  }))
}

/**
 * The caller's flowers. While the phase is not closed the answer holds only the caller's own
 * sends: nothing received, no matches (anything rising live would point at whoever just tapped).
 *
 * Once closed: the matches by name, and of the one-sided flowers only whether any arrived —
 * never a number — and only where that cannot single a sender out. Who could have sent the
 * caller a one-sided flower: a checked-in attendee other than the caller and other than anyone
 * the caller sent a flower to (their flower back would have been a match). Unless at least
 * `flowerAnonymityFloor` of them sent flowers in the event, nothing is said (`withheld`); when
 * there is nobody at all, `none` tells the caller only what they know already. Every branch
 * runs the same statement, so the answer's timing says nothing either.
 */
export async function myFlowers(
  tx: Tx,
  req: { eventId: number; memberId: number },
): Promise<FlowersResponse> {
  const ev = await first<{ flower_phase: FlowerPhase }>(
    tx,
    sql`SELECT flower_phase FROM events WHERE id = ${req.eventId}`,
  )
  if (!ev) throw new AppError('NOT_FOUND', '活动不存在')
  const me = await checkedInAttendee(tx, req.eventId, req.memberId)
  const base = {
    left: me.flowers_left,
    sentTo: await sentTo(tx, me.id),
    phase: ev.flower_phase,
    myAttendeeId: me.public_id,
  }
  if (ev.flower_phase !== 'closed')
    return { ...base, receivedCount: null, oneSided: null, matches: [] }
  const pool = await first<{ possible: number; senders: number; some: boolean }>(
    tx,
    sql`WITH pool AS (
          SELECT r.id FROM event_registrations r
          WHERE r.event_id = ${req.eventId} AND r.status = 'confirmed'
            AND r.checked_in_at IS NOT NULL AND r.id <> ${me.id}
            AND NOT EXISTS (SELECT 1 FROM flowers mine
                            WHERE mine.event_id = r.event_id AND mine.sender_id = ${me.id}
                              AND mine.recipient_id = r.id)
        )
        SELECT (SELECT count(*)::int FROM pool) AS possible,
               (SELECT count(DISTINCT f.sender_id)::int FROM flowers f
                WHERE f.event_id = ${req.eventId} AND f.sender_id IN (SELECT id FROM pool))
                 AS senders,
               EXISTS (SELECT 1 FROM flowers f
                       WHERE f.event_id = ${req.eventId} AND f.recipient_id = ${me.id}
                         AND f.sender_id IN (SELECT id FROM pool)) AS some`,
  )
  const matches = await rows<FlowerMatch>(
    tx,
    sql`SELECT r.public_id AS "attendeeId", r.nickname
        FROM flowers f
        JOIN flowers back ON back.event_id = f.event_id AND back.sender_id = f.recipient_id
                         AND back.recipient_id = f.sender_id
        JOIN event_registrations r ON r.id = f.recipient_id
        WHERE f.event_id = ${req.eventId} AND f.sender_id = ${me.id}
        ORDER BY r.public_id`,
  )
  return { ...base, receivedCount: null, oneSided: oneSidedAnswer(pool), matches }
}

/** The rule of `myFlowers` for one-sided flowers (see `oneSidedFlowers` in the contract). */
export function oneSidedAnswer(
  pool: { possible: number; senders: number; some: boolean } | undefined,
): OneSidedFlowers {
  if (!pool || pool.possible === 0) return 'none'
  if (pool.senders < flowerAnonymityFloor) return 'withheld'
  return pool.some ? 'some' : 'none'
}

/**
 * What the organiser sees: the mutual pairs and the total of flowers sent once the phase is
 * closed — the total only when at least `flowerAnonymityFloor` attendees sent flowers (in a
 * small event the total minus twice the pairs, told to an attendee, could point at a sender).
 * Nothing while open: a total rising as someone in the room taps would say who sends.
 */
export async function organiserMatches(
  tx: Tx,
  eventId: number,
  phase: FlowerPhase,
): Promise<MatchesResponse> {
  const totals = await first<{ sent: number; senders: number; attendees: number }>(
    tx,
    sql`SELECT (SELECT count(*)::int FROM flowers WHERE event_id = ${eventId}) AS sent,
               (SELECT count(DISTINCT sender_id)::int FROM flowers
                WHERE event_id = ${eventId}) AS senders,
               (SELECT count(*)::int FROM event_registrations
                WHERE event_id = ${eventId} AND checked_in_at IS NOT NULL) AS attendees`,
  )
  const closed = phase === 'closed'
  const pairs = closed ? await mutualPairs(tx, eventId) : []
  const shown = closed && totals !== undefined && totals.senders >= flowerAnonymityFloor
  return {
    pairs: pairs.map((p) => [p.a.attendeeId, p.b.attendeeId] as [string, string]),
    pairDetails: pairs.map((p) => [p.a, p.b] as [FlowerMatch, FlowerMatch]),
    flowersSent: shown ? totals.sent : null,
    attendees: totals?.attendees ?? 0,
    phase,
  }
}
