import { sql } from 'drizzle-orm'
import {
  matchesShownDays,
  pointsExpiringDays,
  todoLinks,
  type TodoItem,
} from '../../../src/contract/todo'
import type { FlowerPhase } from '../../../src/contract/events'
import type { Tx } from '../../db/client'
import { first, rows } from '../../db/sql'
import { ancestorsOf } from '../org/union-tree'

type When = Date | string
const iso = (d: When) => new Date(d).toISOString()
const DAY_MS = 86_400_000

/** At most this many rows of each kind: the answer (and its cost) stays small. */
const PER_KIND = 10

/**
 * The member's 待办, soonest first: five reads, each through an index on the member (or on the
 * union tree for campaigns) and LIMITed — orders awaiting pickup, open campaigns without a pack,
 * live registrations, the next legal appointment, points expiring within `pointsExpiringDays`.
 */
export async function memberTodos(
  tx: Tx,
  member: { id: number; unionId: number },
  now: Date,
): Promise<TodoItem[]> {
  const todos: TodoItem[] = []

  const pickups = await rows<{
    id: number
    item_name: string
    quantity: number
    pickup_code: string
    pickup_deadline: When
    union_name: string
  }>(
    tx,
    sql`SELECT o.id, i.name AS item_name, o.quantity, o.pickup_code, o.pickup_deadline,
               u.name AS union_name
        FROM mall_orders o
        JOIN mall_items i ON i.id = o.item_id
        JOIN unions u ON u.id = i.union_id
        WHERE o.member_id = ${member.id} AND o.status = 'awaiting_pickup'
          AND o.pickup_deadline > ${now}
        ORDER BY o.pickup_deadline, o.id LIMIT ${PER_KIND}`,
  )
  for (const o of pickups) {
    todos.push({
      kind: 'pickup',
      key: `pickup:${o.id}`,
      link: todoLinks.pickup,
      dueAt: iso(o.pickup_deadline),
      orderId: o.id,
      itemName: o.item_name,
      quantity: o.quantity,
      pickupCode: o.pickup_code,
      unionName: o.union_name,
    })
  }

  const campaigns = await rows<{ id: number; title: string; closes_at: When }>(
    tx,
    sql`SELECT c.id, c.title, c.closes_at FROM cooling_campaigns c
        WHERE c.union_id IN (SELECT id FROM ${ancestorsOf(member.unionId)} up)
          AND c.closed_at IS NULL AND c.opens_at <= ${now} AND c.closes_at > ${now}
          AND NOT EXISTS (SELECT 1 FROM cooling_packs p
                          WHERE p.campaign_id = c.id AND p.member_id = ${member.id})
        ORDER BY c.closes_at, c.id LIMIT ${PER_KIND}`,
  )
  for (const c of campaigns) {
    todos.push({
      kind: 'cooling',
      key: `cooling:${c.id}`,
      link: todoLinks.cooling(c.id),
      dueAt: iso(c.closes_at),
      campaignId: c.id,
      title: c.title,
    })
  }

  const since = new Date(now.getTime() - matchesShownDays * DAY_MS)
  const registrations = await rows<{
    event_id: number
    title: string
    venue: string
    starts_at: When
    ends_at: When
    flower_phase: FlowerPhase
    status: 'confirmed' | 'waitlisted'
    checked_in: boolean
    waitlist_position: number | null
    flowers_left: number | null
    matches: number | null
  }>(
    tx,
    sql`SELECT e.id AS event_id, e.title, e.venue, e.starts_at, e.ends_at, e.flower_phase,
               r.status, r.checked_in_at IS NOT NULL AS checked_in,
               CASE WHEN r.status = 'waitlisted' THEN
                 (SELECT count(*)::int FROM event_registrations w
                  WHERE w.event_id = r.event_id AND w.status = 'waitlisted'
                    AND w.queue_seq <= r.queue_seq)
               END AS waitlist_position,
               (SELECT a.flowers_left FROM flower_allowances a
                WHERE a.registration_id = r.id AND NOT a.closed) AS flowers_left,
               CASE WHEN e.flower_phase = 'closed' AND r.checked_in_at IS NOT NULL THEN
                 (SELECT count(*)::int FROM flowers f
                  JOIN flowers back ON back.event_id = f.event_id AND back.sender_id = f.recipient_id
                                   AND back.recipient_id = f.sender_id
                  WHERE f.event_id = r.event_id AND f.sender_id = r.id)
               END AS matches
        FROM event_registrations r JOIN events e ON e.id = r.event_id
        WHERE r.member_id = ${member.id} AND r.status IN ('confirmed', 'waitlisted')
          AND e.ends_at > ${since}
        ORDER BY e.starts_at, e.id LIMIT ${PER_KIND}`,
  )
  for (const r of registrations) {
    const startsAt = new Date(r.starts_at)
    const endsAt = new Date(r.ends_at)
    const common = {
      kind: 'event' as const,
      key: `event:${r.event_id}`,
      link: todoLinks.event(r.event_id),
      eventId: r.event_id,
      title: r.title,
      venue: r.venue,
    }
    if (r.status === 'waitlisted') {
      if (startsAt > now) {
        todos.push({
          ...common,
          state: 'waitlisted',
          dueAt: iso(startsAt),
          ...(r.waitlist_position ? { waitlistPosition: r.waitlist_position } : {}),
        })
      }
    } else if (!r.checked_in) {
      if (endsAt > now) todos.push({ ...common, state: 'checkin', dueAt: iso(startsAt) })
    } else if (r.flower_phase === 'open' && (r.flowers_left ?? 0) > 0) {
      todos.push({
        ...common,
        link: todoLinks.flowers(r.event_id),
        state: 'flowers',
        dueAt: iso(endsAt),
      })
    } else if (r.flower_phase === 'closed' && (r.matches ?? 0) > 0) {
      todos.push({
        ...common,
        link: todoLinks.flowers(r.event_id),
        state: 'matched',
        // Shown until `matchesShownDays` after the event.
        dueAt: iso(new Date(endsAt.getTime() + matchesShownDays * DAY_MS)),
        matchCount: r.matches ?? 1,
      })
    }
  }

  const booking = await first<{
    id: number
    starts_at: When
    lawyer_name: string
    point_name: string
    topic_name: string
  }>(
    tx,
    sql`SELECT b.id, b.starts_at, lm.name AS lawyer_name, sp.name AS point_name,
               t.name AS topic_name
        FROM legal_bookings b
        JOIN legal_lawyers l ON l.id = b.lawyer_id
        JOIN members lm ON lm.id = l.member_id
        JOIN legal_service_points sp ON sp.id = b.service_point_id
        JOIN legal_topics t ON t.id = b.topic_id
        WHERE b.member_id = ${member.id} AND b.status = 'booked' AND b.ends_at > ${now}
        ORDER BY b.starts_at, b.id LIMIT 1`,
  )
  if (booking) {
    todos.push({
      kind: 'legal',
      key: `legal:${booking.id}`,
      link: todoLinks.legal(booking.id),
      dueAt: iso(booking.starts_at),
      bookingId: booking.id,
      lawyerName: booking.lawyer_name,
      servicePointName: booking.point_name,
      topicName: booking.topic_name,
    })
  }

  const horizon = new Date(now.getTime() + pointsExpiringDays * DAY_MS)
  const expiring = await first<{ points: number; first_expiry: When | null }>(
    tx,
    sql`SELECT coalesce(sum(remaining), 0)::int AS points, min(expires_at) AS first_expiry
        FROM point_lots
        WHERE member_id = ${member.id} AND remaining > 0
          AND expires_at > ${now} AND expires_at <= ${horizon}`,
  )
  if (expiring && expiring.points > 0 && expiring.first_expiry !== null) {
    todos.push({
      kind: 'points',
      key: 'points',
      link: todoLinks.points,
      dueAt: iso(expiring.first_expiry),
      points: expiring.points,
    })
  }

  return todos.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.key.localeCompare(b.key))
}
