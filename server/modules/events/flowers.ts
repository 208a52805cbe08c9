import { sql } from 'drizzle-orm'
import type {
  FlowerMatch,
  FlowerPhase,
  FlowersResponse,
  MatchesResponse,
  SendFlowerResponse,
} from '../../../src/contract/events'
import type { Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
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

async function sentTo(tx: Tx, senderId: number): Promise<string[]> {
  const list = await rows<{ public_id: string }>(
    tx,
    sql`SELECT r.public_id FROM flowers f JOIN event_registrations r ON r.id = f.recipient_id
        WHERE f.sender_id = ${senderId} ORDER BY f.id`,
  )
  return list.map((r) => r.public_id)
}

/**
 * Sends one flower, in the caller's transaction. Every rule is held by the database, not by a
 * read-then-write here:
 *  - the event row is read FOR SHARE, so the phase cannot close (that update takes the row
 *    FOR UPDATE) while this flower is on its way, and none lands after the close;
 *  - `flowers_left` is decremented only WHERE it is > 0 (CHECK 0..3 as backstop): a sender's
 *    parallel requests queue on their registration row and at most 3 succeed;
 *  - the flower is inserted ON CONFLICT DO NOTHING on unique (event, sender, recipient): a second
 *    flower to the same person fails and the transaction (with its decrement) rolls back;
 *  - CHECK sender <> recipient and composite foreign keys (same event) as backstops.
 *
 * Privacy: which error the sender gets depends only on the phase, the sender's own flowers and
 * whether the recipient is checked in here — never on what the recipient sent.
 */
export async function sendFlower(
  tx: Tx,
  req: { eventId: number; memberId: number; toAttendeeId: string },
): Promise<SendFlowerResponse> {
  const state = await first<{
    phase: FlowerPhase | null
    me_id: number | null
    me_in: boolean | null
    them_id: number | null
  }>(
    tx,
    sql`WITH ev AS (SELECT flower_phase FROM events WHERE id = ${req.eventId} FOR SHARE)
        SELECT (SELECT flower_phase FROM ev) AS phase, me.id AS me_id,
               (me.status = 'confirmed' AND me.checked_in_at IS NOT NULL) AS me_in,
               them.id AS them_id
        FROM (SELECT 1) AS one
        LEFT JOIN event_registrations me
          ON me.event_id = ${req.eventId} AND me.member_id = ${req.memberId}
        LEFT JOIN event_registrations them
          ON them.event_id = ${req.eventId} AND them.public_id = ${req.toAttendeeId}
             AND them.status = 'confirmed' AND them.checked_in_at IS NOT NULL`,
  )
  if (!state || state.phase === null) throw new AppError('NOT_FOUND', 404, '活动不存在')
  if (!state.me_id || !state.me_in) {
    throw new AppError('NOT_CHECKED_IN', 422, '你还没有在本场活动签到，不能送花')
  }
  if (state.phase !== 'open') {
    throw new AppError(
      'FLOWER_PHASE_CLOSED',
      409,
      state.phase === 'not_open' ? '送花环节还没有开始' : '送花环节已经结束',
    )
  }
  if (state.them_id === null) {
    throw new AppError('NOT_CHECKED_IN', 422, 'TA 没有在本场活动签到，不能送花')
  }
  if (state.them_id === state.me_id) throw new AppError('CANNOT_SEND_TO_SELF', 422)
  const sent = await first<{ left: number | null; inserted: number }>(
    tx,
    sql`WITH dec AS (
          UPDATE event_registrations SET flowers_left = flowers_left - 1
          WHERE id = ${state.me_id} AND flowers_left > 0
          RETURNING flowers_left
        ), ins AS (
          INSERT INTO flowers (event_id, sender_id, recipient_id)
          SELECT ${req.eventId}, ${state.me_id}, ${state.them_id} FROM dec
          ON CONFLICT (event_id, sender_id, recipient_id) DO NOTHING
          RETURNING id
        )
        SELECT (SELECT flowers_left FROM dec) AS left, (SELECT count(*)::int FROM ins) AS inserted`,
  )
  if (!sent || sent.left === null) throw new AppError('NO_FLOWERS_LEFT', 409)
  if (sent.inserted === 0) throw new AppError('ALREADY_SENT', 409)
  return { left: sent.left, sentTo: await sentTo(tx, state.me_id) }
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
