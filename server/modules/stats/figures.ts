import { sql, type SQL } from 'drizzle-orm'
import type {
  StatsCoolingCampaign,
  StatsEvent,
  StatsLegalGroup,
  StatsMallItem,
  StatsResponse,
} from '../../../src/contract/stats'
import type { Tx } from '../../db/client'
import { rows } from '../../db/sql'

// The figures of 数据看板, each read by one statement whose cost follows what the page shows:
// members from the counts the database keeps (union_member_counts), coverage from
// cooling_pack_counts, the period's points and orders by a range scan of a covering index on their
// time (migration 0018), events, packs to sites and bookings by the indexes of their parents.

/** The unions counted: a subtree's ids, or every union (null). */
export type StatsScope = number[] | null

/** The period as instants: [from, to) — the first moment of the first day, of the day after the last. */
export interface StatsPeriod {
  from: Date
  to: Date
}

/** `column` lies in the scope (always true for every union). */
const inScope = (scope: StatsScope, column: SQL): SQL =>
  scope === null ? sql`true` : sql`${column} = ANY(${sql.param(scope)}::int[])`

/** int8 sums come back as text from `pg` and as numbers from PGlite. */
const n = (v: number | string | null | undefined): number =>
  v === null || v === undefined ? 0 : Number(v)

export async function memberFigures(tx: Tx, scope: StatsScope): Promise<StatsResponse['members']> {
  const [row] = await rows<{ total: string | number; bound: string | number }>(
    tx,
    sql`SELECT coalesce(sum(members), 0)::int8 AS total, coalesce(sum(bound), 0)::int8 AS bound
        FROM union_member_counts WHERE ${inScope(scope, sql`union_id`)}`,
  )
  return { total: n(row?.total), bound: n(row?.bound) }
}

export async function pointFigures(
  tx: Tx,
  scope: StatsScope,
  period: StatsPeriod,
): Promise<StatsResponse['points']> {
  // The day totals the database keeps per union (migration 0020): a few rows per union and day,
  // whatever the ledger holds. The period's bounds are Shanghai midnights.
  const list = await rows<{ kind: string; total: string | number }>(
    tx,
    sql`SELECT kind, sum(amount)::int8 AS total FROM point_day_totals
        WHERE day >= (${period.from}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date
          AND day < (${period.to}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date
          AND ${inScope(scope, sql`union_id`)}
        GROUP BY kind`,
  )
  const of = (kind: string) => Math.abs(n(list.find((r) => r.kind === kind)?.total))
  return {
    granted: of('grant'),
    earned: of('earn'),
    redeemed: of('redeem'),
    refunded: of('refund'),
    expired: of('expire'),
  }
}

export async function mallFigures(
  tx: Tx,
  scope: StatsScope,
  period: StatsPeriod,
): Promise<StatsResponse['mall']> {
  const list = await rows<{
    item_id: number
    name: string
    orders: string | number
    quantity: string | number
    points: string | number
    fulfilled: string | number
    expired: string | number
    cancelled: string | number
    awaiting: string | number
  }>(
    tx,
    sql`SELECT o.item_id, i.name, o.orders, o.quantity, o.points, o.fulfilled, o.expired,
               o.cancelled, o.awaiting
        FROM (SELECT o.item_id, count(*) AS orders, sum(o.quantity)::int8 AS quantity,
                     sum(o.points_spent)::int8 AS points,
                     count(*) FILTER (WHERE o.status = 'fulfilled') AS fulfilled,
                     count(*) FILTER (WHERE o.status = 'expired') AS expired,
                     count(*) FILTER (WHERE o.status = 'cancelled') AS cancelled,
                     count(*) FILTER (WHERE o.status = 'awaiting_pickup') AS awaiting
              FROM mall_orders o
              ${scope === null ? sql`` : sql`JOIN members m ON m.id = o.member_id`}
              WHERE o.created_at >= ${period.from} AND o.created_at < ${period.to}
                AND ${scope === null ? sql`true` : inScope(scope, sql`m.union_id`)}
              GROUP BY o.item_id) o
        JOIN mall_items i ON i.id = o.item_id
        ORDER BY o.orders DESC, o.item_id`,
  )
  const items: StatsMallItem[] = list.map((r) => ({
    itemId: r.item_id,
    name: r.name,
    orders: n(r.orders),
    quantity: n(r.quantity),
    points: n(r.points),
    fulfilled: n(r.fulfilled),
  }))
  const sum = (pick: (r: (typeof list)[number]) => string | number) =>
    list.reduce((s, r) => s + n(pick(r)), 0)
  const fulfilled = sum((r) => r.fulfilled)
  const expired = sum((r) => r.expired)
  return {
    orders: sum((r) => r.orders),
    quantity: sum((r) => r.quantity),
    points: sum((r) => r.points),
    fulfilled,
    expired,
    cancelled: sum((r) => r.cancelled),
    awaiting: sum((r) => r.awaiting),
    pickupRate: fulfilled + expired === 0 ? null : fulfilled / (fulfilled + expired),
    items,
  }
}

export async function coolingFigures(
  tx: Tx,
  scope: StatsScope,
  period: StatsPeriod,
): Promise<StatsCoolingCampaign[]> {
  // Each campaign's packs from its 16 count shards, and the members it reaches from the counts of
  // its union's subtree: a few rows per campaign, however many members and packs it has.
  const list = await rows<{
    id: number
    title: string
    union_id: number
    union_name: string
    opens_at: Date | string
    closes_at: Date | string
    closed: boolean
    chosen: number
    defaulted: number
    shipped: number
    received: number
  }>(
    tx,
    sql`SELECT c.id, c.title, c.union_id, u.name AS union_name, c.opens_at, c.closes_at,
               (c.closed_at IS NOT NULL OR c.closes_at <= now()) AS closed,
               coalesce(k.chosen, 0)::int AS chosen, coalesce(k.defaulted, 0)::int AS defaulted,
               coalesce(k.shipped, 0)::int AS shipped, coalesce(k.received, 0)::int AS received
        FROM cooling_campaigns c
        JOIN unions u ON u.id = c.union_id
        LEFT JOIN LATERAL (
          SELECT sum(chosen) AS chosen, sum(defaulted) AS defaulted, sum(shipped) AS shipped,
                 sum(received) AS received
          FROM cooling_pack_counts WHERE campaign_id = c.id) k ON true
        WHERE ${inScope(scope, sql`c.union_id`)}
          AND c.opens_at < ${period.to} AND c.closes_at >= ${period.from}
        ORDER BY c.opens_at DESC, c.id DESC`,
  )
  if (list.length === 0) return []
  const ids = list.map((c) => c.id)
  const roots = [...new Set(list.map((c) => c.union_id))]
  const reach = await rows<{ root: number; n: number | string }>(
    tx,
    sql`WITH RECURSIVE tree(root, id, depth) AS (
          SELECT id, id, 0 FROM unions WHERE id = ANY(${sql.param(roots)}::int[])
          UNION ALL
          SELECT tree.root, u.id, tree.depth + 1 FROM unions u JOIN tree ON u.parent_id = tree.id
          WHERE tree.depth < 64
        )
        SELECT tree.root, coalesce(sum(c.role_members), 0)::int8 AS n
        FROM (SELECT DISTINCT root, id FROM tree) tree
        JOIN union_member_counts c ON c.union_id = tree.id
        GROUP BY tree.root`,
  )
  // Packs to sites only (an index range of `cooling_packs_site_idx` that skips the pickup packs,
  // most of them); pickup is what the counts hold beyond the sites.
  const sites = await rows<{ campaign_id: number; site_id: number; name: string; packs: number }>(
    tx,
    sql`SELECT p.campaign_id, p.site_id, s.name, p.packs::int AS packs
        FROM (SELECT campaign_id, site_id, count(*) AS packs FROM cooling_packs
              WHERE campaign_id = ANY(${sql.param(ids)}::int[]) AND site_id IS NOT NULL
              GROUP BY campaign_id, site_id) p
        JOIN cooling_sites s ON s.id = p.site_id
        ORDER BY p.campaign_id, p.packs DESC, s.name`,
  )
  const reachOf = new Map(reach.map((r) => [r.root, n(r.n)]))
  return list.map((c) => {
    const members = reachOf.get(c.union_id) ?? 0
    const own = sites.filter((s) => s.campaign_id === c.id)
    const toSites = own.reduce((s, x) => s + x.packs, 0)
    const pickup = Math.max(0, c.chosen + c.defaulted - toSites)
    return {
      id: c.id,
      title: c.title,
      unionName: c.union_name,
      opensAt: new Date(c.opens_at).toISOString(),
      closesAt: new Date(c.closes_at).toISOString(),
      closed: c.closed,
      reach: members,
      chose: c.chosen,
      defaulted: c.defaulted,
      notCovered: Math.max(0, members - c.chosen - c.defaulted),
      shipped: c.shipped,
      received: c.received,
      sites: [
        ...(pickup > 0 ? [{ siteId: null, name: '到工会自取', packs: pickup }] : []),
        ...own.map((s) => ({ siteId: s.site_id, name: s.name, packs: s.packs })),
      ],
    }
  })
}

export async function eventFigures(
  tx: Tx,
  scope: StatsScope,
  period: StatsPeriod,
): Promise<StatsResponse['events']> {
  const list = await rows<{
    id: number
    title: string
    starts_at: Date | string
    signups: number
    checkins: number
    waitlisted: number
    flowers: number
    matches: number
  }>(
    tx,
    sql`SELECT e.id, e.title, e.starts_at,
               r.signups::int AS signups, r.checkins::int AS checkins,
               r.waitlisted::int AS waitlisted, f.flowers::int AS flowers, f.matches::int AS matches
        FROM events e
        CROSS JOIN LATERAL (
          SELECT count(*) FILTER (WHERE status <> 'cancelled') AS signups,
                 count(*) FILTER (WHERE checked_in_at IS NOT NULL) AS checkins,
                 count(*) FILTER (WHERE status = 'waitlisted') AS waitlisted
          FROM event_registrations WHERE event_id = e.id) r
        CROSS JOIN LATERAL (
          SELECT count(*) AS flowers,
                 count(*) FILTER (WHERE f.sender_id < f.recipient_id AND EXISTS (
                   SELECT 1 FROM flowers back
                   WHERE back.event_id = f.event_id AND back.sender_id = f.recipient_id
                     AND back.recipient_id = f.sender_id)) AS matches
          FROM flowers f WHERE f.event_id = e.id) f
        WHERE e.starts_at >= ${period.from} AND e.starts_at < ${period.to}
          AND ${
            scope === null
              ? sql`true`
              : sql`EXISTS (SELECT 1 FROM event_hosts h
                            WHERE h.event_id = e.id AND ${inScope(scope, sql`h.union_id`)})`
          }
        ORDER BY e.starts_at DESC, e.id DESC`,
  )
  const events: StatsEvent[] = list.map((e) => ({
    id: e.id,
    title: e.title,
    startsAt: new Date(e.starts_at).toISOString(),
    signups: e.signups,
    checkins: e.checkins,
    waitlisted: e.waitlisted,
    flowers: e.flowers,
    matches: e.matches,
  }))
  const sum = (pick: (e: StatsEvent) => number) => events.reduce((s, e) => s + pick(e), 0)
  return {
    events: events.length,
    signups: sum((e) => e.signups),
    checkins: sum((e) => e.checkins),
    waitlisted: sum((e) => e.waitlisted),
    flowers: sum((e) => e.flowers),
    matches: sum((e) => e.matches),
    list: events,
  }
}

export async function legalFigures(
  tx: Tx,
  scope: StatsScope,
  period: StatsPeriod,
): Promise<StatsResponse['legal']> {
  // One row per (topic, service point): the bookings of the scope's service points in the period,
  // read through `legal_bookings_point_idx` (service point, start).
  const list = await rows<{
    topic_id: number
    topic: string
    sort_order: number
    point_id: number
    point: string
    bookings: number
    booked: number
    completed: number
    no_show: number
    cancelled: number
    ratings: number
    stars: number
  }>(
    tx,
    sql`SELECT b.topic_id, t.name AS topic, t.sort_order, b.point_id, sp.name AS point,
               b.bookings::int AS bookings, b.booked::int AS booked,
               b.completed::int AS completed, b.no_show::int AS no_show,
               b.cancelled::int AS cancelled, b.ratings::int AS ratings, b.stars::int AS stars
        FROM (SELECT b.topic_id, b.service_point_id AS point_id,
                     count(*) FILTER (WHERE b.status <> 'cancelled') AS bookings,
                     count(*) FILTER (WHERE b.status = 'booked') AS booked,
                     count(*) FILTER (WHERE b.status = 'completed') AS completed,
                     count(*) FILTER (WHERE b.status = 'no_show') AS no_show,
                     count(*) FILTER (WHERE b.status = 'cancelled') AS cancelled,
                     count(b.rating_stars) AS ratings, coalesce(sum(b.rating_stars), 0) AS stars
              FROM legal_bookings b
              JOIN legal_service_points p ON p.id = b.service_point_id
              WHERE ${inScope(scope, sql`p.union_id`)}
                AND b.starts_at >= ${period.from} AND b.starts_at < ${period.to}
              GROUP BY b.topic_id, b.service_point_id) b
        JOIN legal_topics t ON t.id = b.topic_id
        JOIN legal_service_points sp ON sp.id = b.point_id`,
  )
  const group = (key: (r: (typeof list)[number]) => [number, string, number]) => {
    const out = new Map<number, StatsLegalGroup & { order: number }>()
    for (const r of list) {
      const [id, name, order] = key(r)
      const g = out.get(id) ?? { id, name, bookings: 0, completed: 0, noShow: 0, order }
      g.bookings += r.bookings
      g.completed += r.completed
      g.noShow += r.no_show
      out.set(id, g)
    }
    return [...out.values()]
      .filter((g) => g.bookings > 0)
      .sort((a, b) => b.bookings - a.bookings || a.order - b.order || a.id - b.id)
      .map(({ order: _order, ...g }) => g)
  }
  const sum = (pick: (r: (typeof list)[number]) => number) => list.reduce((s, r) => s + pick(r), 0)
  const ratings = sum((r) => r.ratings)
  const stars = sum((r) => r.stars)
  return {
    bookings: sum((r) => r.bookings),
    booked: sum((r) => r.booked),
    completed: sum((r) => r.completed),
    noShow: sum((r) => r.no_show),
    cancelled: sum((r) => r.cancelled),
    ratings,
    averageRating: ratings === 0 ? null : Math.round((stars / ratings) * 10) / 10,
    topics: group((r) => [r.topic_id, r.topic, r.sort_order]),
    servicePoints: group((r) => [r.point_id, r.point, r.point_id]),
  }
}
