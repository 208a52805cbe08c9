import { sql } from 'drizzle-orm'
import type {
  FlowerMatch,
  FlowerPhase,
  FlowersResponse,
  MatchesResponse,
  SendFlowerResponse,
} from '../../../src/contract/events'
import type { SqlClient, Tx } from '../../db/client'
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
    sql`SELECT id, public_id, flowers_left,
               (status = 'confirmed' AND checked_in_at IS NOT NULL) AS ok
        FROM event_registrations WHERE event_id = ${eventId} AND member_id = ${memberId}`,
  )
  if (!me || !me.ok) {
    throw new AppError('NOT_CHECKED_IN', 422, '你还没有在本场活动签到')
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
 * One statement sends one flower (atomic on its own, or inside the caller's transaction when an
 * idempotency key is claimed). Every rule is held by the database, not by a read-then-write:
 *  - the event row is read FOR SHARE, so the phase cannot change (that update takes the row
 *    FOR UPDATE) while this flower is on its way: none lands after the close;
 *  - the flower is inserted ON CONFLICT DO NOTHING on unique (event, sender, recipient), so a
 *    second flower to the same person inserts nothing and spends nothing;
 *  - the sender's `flowers_left` is then decremented for the inserted flower; past 0 the CHECK
 *    (0..3) fails and the whole statement, flower included, is undone → NO_FLOWERS_LEFT. The
 *    decrement waits for the sender's other sends (row lock), so at most 3 ever succeed;
 *  - CHECK sender <> recipient and composite foreign keys (same event) as backstops.
 * The early `flowers_left > 0` only spares the common case an error round trip.
 */
const sendStatement = `
  WITH ev AS (
    SELECT flower_phase FROM events WHERE id = $1::int FOR SHARE
  ), me AS (
    SELECT id, flowers_left, (status = 'confirmed' AND checked_in_at IS NOT NULL) AS ok
    FROM event_registrations WHERE event_id = $1::int AND member_id = $2::int
  ), them AS (
    SELECT id FROM event_registrations
    WHERE event_id = $1::int AND public_id = $3::text AND status = 'confirmed'
      AND checked_in_at IS NOT NULL
  ), go AS (
    SELECT me.id AS me_id, them.id AS them_id FROM ev, me, them
    WHERE ev.flower_phase = 'open' AND me.ok AND me.id <> them.id AND me.flowers_left > 0
  ), ins AS (
    INSERT INTO flowers (event_id, sender_id, recipient_id)
    SELECT $1::int, me_id, them_id FROM go
    ON CONFLICT (event_id, sender_id, recipient_id) DO NOTHING
    RETURNING sender_id
  ), spend AS (
    UPDATE event_registrations r SET flowers_left = r.flowers_left - 1
    FROM ins WHERE r.id = ins.sender_id
    RETURNING r.flowers_left
  )
  SELECT (SELECT flower_phase FROM ev) AS phase, me.id AS me_id, coalesce(me.ok, false) AS me_in,
         me.flowers_left AS had, (SELECT id FROM them) AS them_id,
         (SELECT flowers_left FROM spend) AS left
  FROM (SELECT 1) AS one LEFT JOIN me ON true`

interface SendRow {
  phase: FlowerPhase | null
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
  if (!r || r.phase === null) return new AppError('NOT_FOUND', 404, '活动不存在')
  if (r.me_id === null || !r.me_in) {
    return new AppError('NOT_CHECKED_IN', 422, '你还没有在本场活动签到，不能送花')
  }
  if (r.phase !== 'open') {
    return new AppError(
      'FLOWER_PHASE_CLOSED',
      409,
      r.phase === 'not_open' ? '送花环节还没有开始' : '送花环节已经结束',
    )
  }
  if (r.them_id === null)
    return new AppError('NOT_CHECKED_IN', 422, 'TA 没有在本场活动签到，不能送花')
  if (r.them_id === r.me_id) return new AppError('CANNOT_SEND_TO_SELF', 422)
  if (r.had === 0) return new AppError('NO_FLOWERS_LEFT', 409)
  return new AppError('ALREADY_SENT', 409)
}

/**
 * Sends one flower: `on` is the database (the statement commits on its own) or a transaction.
 * Privacy: which answer the sender gets depends only on the phase, the sender's own flowers and
 * whether the recipient is checked in here — never on what the recipient sent; the statement
 * never reads the reverse flower.
 */
export async function sendFlower(
  on: { raw: SqlClient } | { tx: Tx },
  req: { eventId: number; memberId: number; toAttendeeId: string },
): Promise<SendFlowerResponse> {
  const params = [req.eventId, req.memberId, req.toAttendeeId]
  let row: SendRow | undefined
  try {
    row =
      'raw' in on
        ? (await on.raw.query<SendRow>(sendStatement, params, 'send_flower'))[0]
        : await first<SendRow>(on.tx, asSql(sendStatement, params))
  } catch (err) {
    // The CHECK on flowers_left: a parallel send took the last flower first.
    if (pgConstraint(err) === 'event_registrations_flowers_left') {
      throw new AppError('NO_FLOWERS_LEFT', 409)
    }
    throw err
  }
  if (!row || row.left === null || row.me_id === null) throw refusal(row)
  const sent =
    'raw' in on
      ? await on.raw.query<{ public_id: string }>(sentToStatement, [row.me_id], 'flowers_sent_to')
      : await rows<{ public_id: string }>(on.tx, asSql(sentToStatement, [row.me_id]))
  return { left: row.left, sentTo: sent.map((r) => r.public_id) }
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
 * sends: no received count, no matches (a count rising live would point at whoever just tapped).
 */
export async function myFlowers(
  tx: Tx,
  req: { eventId: number; memberId: number },
): Promise<FlowersResponse> {
  const ev = await first<{ flower_phase: FlowerPhase }>(
    tx,
    sql`SELECT flower_phase FROM events WHERE id = ${req.eventId}`,
  )
  if (!ev) throw new AppError('NOT_FOUND', 404, '活动不存在')
  const me = await checkedInAttendee(tx, req.eventId, req.memberId)
  const base = {
    left: me.flowers_left,
    sentTo: await sentTo(tx, me.id),
    phase: ev.flower_phase,
    myAttendeeId: me.public_id,
  }
  if (ev.flower_phase !== 'closed') return { ...base, receivedCount: null, matches: [] }
  const received = await first<{ n: number }>(
    tx,
    sql`SELECT count(*)::int AS n FROM flowers WHERE event_id = ${req.eventId}
        AND recipient_id = ${me.id}`,
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
  return { ...base, receivedCount: received?.n ?? 0, matches }
}

/** What the organiser sees: totals always, the mutual pairs once the phase is closed. */
export async function organiserMatches(
  tx: Tx,
  eventId: number,
  phase: FlowerPhase,
): Promise<MatchesResponse> {
  const totals = await first<{ sent: number; attendees: number }>(
    tx,
    sql`SELECT (SELECT count(*)::int FROM flowers WHERE event_id = ${eventId}) AS sent,
               (SELECT count(*)::int FROM event_registrations
                WHERE event_id = ${eventId} AND checked_in_at IS NOT NULL) AS attendees`,
  )
  const pairs = phase === 'closed' ? await mutualPairs(tx, eventId) : []
  return {
    pairs: pairs.map((p) => [p.a.attendeeId, p.b.attendeeId] as [string, string]),
    pairDetails: pairs.map((p) => [p.a, p.b] as [FlowerMatch, FlowerMatch]),
    flowersSent: totals?.sent ?? 0,
    attendees: totals?.attendees ?? 0,
    phase,
  }
}
