import { sql } from 'drizzle-orm'
import type { TemplateKey } from '../../../src/contract/notifications'
import type { Db, Tx } from '../../db/client'
import { rows } from '../../db/sql'
import { endOfShanghaiDay, shanghaiDateTime, startOfShanghaiDay } from '../../lib/time'

/** One message for the outbox: what the app shows and what WeChat's template gets. */
export interface OutboxMessage {
  memberId: number
  key: TemplateKey
  page: string
  title: string
  body: string
  data: Record<string, { value: string }>
  /** Names the event the message is about: a second write for it does nothing. */
  dedupeKey: string
}

/** WeChat's `thing` fields take at most 20 characters. */
const thing = (s: string) => ({ value: [...s].slice(0, 20).join('') })
const time = (d: Date) => ({ value: shanghaiDateTime(d) })

/**
 * Writes messages into the outbox in the caller's transaction (the one of the change that causes
 * them), each once: a message whose `dedupeKey` is there already is left alone. Answers how many
 * were new.
 */
export async function writeMessages(tx: Tx | Db, messages: OutboxMessage[]): Promise<number> {
  if (messages.length === 0) return 0
  const values = messages.map(
    (m) =>
      sql`(${m.memberId}::int, ${m.key}, ${m.page}, ${m.title}, ${m.body},
           ${JSON.stringify(m.data)}::jsonb, ${m.dedupeKey})`,
  )
  const inserted = await rows<{ id: number }>(
    tx,
    sql`INSERT INTO outbox (member_id, key, page, title, body, data, dedupe_key)
        VALUES ${sql.join(values, sql`, `)}
        ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
  )
  return inserted.length
}

/** 候补转正: the waitlisted registration got the place someone cancelled. */
export async function notifyWaitlistPromoted(tx: Tx, registrationId: number): Promise<void> {
  const found = await rows<{
    member_id: number
    event_id: number
    queue_seq: number
    title: string
    starts_at: Date
  }>(
    tx,
    sql`SELECT r.member_id, r.event_id, r.queue_seq, e.title, e.starts_at
        FROM event_registrations r JOIN events e ON e.id = r.event_id WHERE r.id = ${registrationId}`,
  )
  await writeMessages(
    tx,
    found.map((r) => ({
      memberId: r.member_id,
      key: 'waitlist_promoted',
      page: `packages/events/pages/event?id=${r.event_id}`,
      title: '候补成功',
      body: `你已从候补转为正式报名：「${r.title}」，${shanghaiDateTime(new Date(r.starts_at))} 开始。`,
      data: {
        thing1: thing(r.title),
        time2: time(new Date(r.starts_at)),
        thing3: thing('候补转正，请准时参加'),
      },
      // A member who cancels and signs up again queues anew (a new `queue_seq`): a new message.
      dedupeKey: `waitlist_promoted:registration:${registrationId}:${r.queue_seq}`,
    })),
  )
}

/** 送花结果: the organiser closed the flower phase; every checked-in attendee may look. */
export async function notifyFlowersResult(tx: Tx, eventId: number): Promise<void> {
  const found = await rows<{ id: number; member_id: number; title: string }>(
    tx,
    sql`SELECT r.id, r.member_id, e.title
        FROM event_registrations r JOIN events e ON e.id = r.event_id
        WHERE r.event_id = ${eventId} AND r.checked_in_at IS NOT NULL`,
  )
  await writeMessages(
    tx,
    found.map((r) => ({
      memberId: r.member_id,
      key: 'flowers_result',
      page: `packages/events/pages/flowers?id=${eventId}`,
      title: '送花结果已公布',
      body: `「${r.title}」的送花环节已结束，点击查看结果。`,
      data: { thing1: thing(r.title), thing2: thing('送花结果已公布，点击查看') },
      dedupeKey: `flowers_result:registration:${r.id}`,
    })),
  )
}

/** 礼包已发货: staff shipped these cooling packs. */
export async function notifyPacksShipped(tx: Tx, packIds: number[], now: Date): Promise<void> {
  if (packIds.length === 0) return
  const found = await rows<{ id: number; member_id: number; campaign_id: number; title: string }>(
    tx,
    sql`SELECT p.id, p.member_id, p.campaign_id, c.title
        FROM cooling_packs p JOIN cooling_campaigns c ON c.id = p.campaign_id
        WHERE p.id = ANY(${sql.param(packIds)}::int[])`,
  )
  await writeMessages(
    tx,
    found.map((p) => ({
      memberId: p.member_id,
      key: 'pack_shipped',
      page: `packages/cooling/pages/campaign?id=${p.campaign_id}`,
      title: '清凉礼包已发货',
      body: `你在「${p.title}」的礼包已发货，收到后请确认签收。`,
      data: { thing1: thing(p.title), time2: time(now), thing3: thing('礼包已发货，收到后请签收') },
      dedupeKey: `pack_shipped:pack:${p.id}`,
    })),
  )
}

/** Hours before the pickup deadline that the reminder goes out. */
export const PICKUP_REMINDER_HOURS = 24

/**
 * The reminders due at `now`, written once each (a later run finds them written): pickup codes
 * whose deadline falls within `PICKUP_REMINDER_HOURS`, and legal appointments tomorrow (Shanghai
 * calendar day). Answers how many were new.
 */
export async function writeDueReminders(db: Db, now: Date): Promise<number> {
  const horizon = new Date(now.getTime() + PICKUP_REMINDER_HOURS * 3600_000)
  const orders = await rows<{ id: number; member_id: number; name: string; pickup_deadline: Date }>(
    db,
    sql`SELECT o.id, o.member_id, i.name, o.pickup_deadline
        FROM mall_orders o JOIN mall_items i ON i.id = o.item_id
        WHERE o.status = 'awaiting_pickup' AND o.pickup_deadline > ${now}
          AND o.pickup_deadline <= ${horizon}
          AND NOT EXISTS (SELECT 1 FROM outbox x
                          WHERE x.dedupe_key = 'pickup_expiring:order:' || o.id)
        ORDER BY o.id`,
  )
  const bookings = await rows<{ id: number; member_id: number; topic: string; starts_at: Date }>(
    db,
    sql`SELECT b.id, b.member_id, t.name AS topic, b.starts_at
        FROM legal_bookings b JOIN legal_topics t ON t.id = b.topic_id
        WHERE b.status = 'booked' AND b.starts_at >= ${startOfShanghaiDay(now, 1)}
          AND b.starts_at <= ${endOfShanghaiDay(now, 1)}
          AND NOT EXISTS (SELECT 1 FROM outbox x
                          WHERE x.dedupe_key = 'legal_reminder:booking:' || b.id)
        ORDER BY b.id`,
  )
  const messages: OutboxMessage[] = [
    ...orders.map((o): OutboxMessage => {
      const deadline = new Date(o.pickup_deadline)
      return {
        memberId: o.member_id,
        key: 'pickup_expiring',
        page: 'packages/mall/pages/orders',
        title: '提货码即将过期',
        body: `你兑换的「${o.name}」请在 ${shanghaiDateTime(deadline)} 前提货，过期积分将退回。`,
        data: { thing1: thing(o.name), time2: time(deadline), thing3: thing('请尽快凭提货码提货') },
        dedupeKey: `pickup_expiring:order:${o.id}`,
      }
    }),
    ...bookings.map((b): OutboxMessage => {
      const at = new Date(b.starts_at)
      return {
        memberId: b.member_id,
        key: 'legal_reminder',
        page: `packages/legal/pages/booking?id=${b.id}`,
        title: '明天有法律咨询预约',
        body: `你预约的「${b.topic}」咨询在 ${shanghaiDateTime(at)}，请准时参加。`,
        data: { thing1: thing(b.topic), time2: time(at), thing3: thing('请准时参加法律咨询') },
        dedupeKey: `legal_reminder:booking:${b.id}`,
      }
    }),
  ]
  let written = 0
  for (let i = 0; i < messages.length; i += 500) {
    written += await writeMessages(db, messages.slice(i, i + 500))
  }
  return written
}
