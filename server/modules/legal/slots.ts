import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)
dayjs.extend(timezone)

/** Every date and weekday of the legal module is read in this zone, whatever the server's TZ. */
export const LEGAL_TZ = 'Asia/Shanghai'

/** A weekly availability rule (times and dates in Asia/Shanghai). */
export interface SlotRule {
  id: number
  lawyerId: number
  servicePointId: number
  /** 1 Monday … 7 Sunday. */
  weekday: number
  /** `HH:mm` */
  start: string
  end: string
  slotMinutes: number
  /** `YYYY-MM-DD`, inclusive. */
  validFrom: string
  validTo: string | null
}

export interface SlotClosure {
  /** `YYYY-MM-DD` */
  date: string
  /** null: every service point is closed that day. */
  servicePointId: number | null
}

export interface Slot {
  id: string
  lawyerId: number
  servicePointId: number
  startsAt: Date
  endsAt: Date
}

export interface SlotWindow {
  /** First and last day, `YYYY-MM-DD`, inclusive. */
  from: string
  to: string
  /** With `now`, slots starting before `now + leadMinutes` are left out. */
  now?: Date
  leadMinutes?: number
}

/** `YYYY-MM-DD` of a moment in Asia/Shanghai. */
export function shanghaiDate(at: Date): string {
  return dayjs(at).tz(LEGAL_TZ).format('YYYY-MM-DD')
}

/** The number of days from `from` to `to` (calendar days, `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  return dayjs.utc(to).diff(dayjs.utc(from), 'day')
}

/** `1-2-202611261400`: lawyer, service point and the start as Shanghai wall-clock time. */
export function slotId(lawyerId: number, servicePointId: number, startsAt: Date): string {
  return `${lawyerId}-${servicePointId}-${dayjs(startsAt).tz(LEGAL_TZ).format('YYYYMMDDHHmm')}`
}

export interface ParsedSlotId {
  lawyerId: number
  servicePointId: number
  /** `YYYY-MM-DD` (Shanghai) */
  date: string
  startsAt: Date
}

/** Reads a slot id back; null when it is not one (it still has to match a rule to be real). */
export function parseSlotId(id: string): ParsedSlotId | null {
  const m = /^([1-9]\d{0,9})-([1-9]\d{0,9})-(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(id)
  if (!m) return null
  const [, lawyer, point, y, mo, d, h, mi] = m
  const date = `${y}-${mo}-${d}`
  const local = dayjs.tz(`${date} ${h}:${mi}`, 'YYYY-MM-DD HH:mm', LEGAL_TZ)
  // Reject dates and times that do not exist (2026-02-30, 25:00): they would roll over.
  if (!local.isValid() || local.format('YYYYMMDDHHmm') !== `${y}${mo}${d}${h}${mi}`) return null
  return {
    lawyerId: Number(lawyer),
    servicePointId: Number(point),
    date,
    startsAt: local.toDate(),
  }
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/**
 * The slots the rules give between two days, minus closed days and (with `now`) times already
 * past or too soon. A rule's day is cut into whole slots of `slotMinutes` (a remainder shorter
 * than one slot is dropped). Where rules overlap for one lawyer, the first slot starting at a time
 * wins (a lawyer sits in one place at a time); ordered by start, then lawyer.
 */
export function generateSlots(
  rules: SlotRule[],
  closures: SlotClosure[],
  window: SlotWindow,
): Slot[] {
  const closed = new Set(closures.map((c) => `${c.date}|${c.servicePointId ?? '*'}`))
  const cutoff =
    window.now === undefined ? -Infinity : window.now.getTime() + (window.leadMinutes ?? 0) * 60_000
  const byLawyerStart = new Map<string, Slot>()
  const days = daysBetween(window.from, window.to)
  const ordered = [...rules].sort((a, b) => a.id - b.id)
  for (let i = 0; i <= days; i++) {
    const day = dayjs.utc(window.from).add(i, 'day')
    const date = day.format('YYYY-MM-DD')
    // ISO weekday from the calendar date itself: no time zone can shift it.
    const weekday = day.day() === 0 ? 7 : day.day()
    for (const rule of ordered) {
      if (rule.weekday !== weekday) continue
      if (date < rule.validFrom || (rule.validTo !== null && date > rule.validTo)) continue
      if (closed.has(`${date}|*`) || closed.has(`${date}|${rule.servicePointId}`)) continue
      const midnight = dayjs.tz(`${date} 00:00`, 'YYYY-MM-DD HH:mm', LEGAL_TZ)
      const end = minutesOf(rule.end)
      for (let m = minutesOf(rule.start); m + rule.slotMinutes <= end; m += rule.slotMinutes) {
        const startsAt = midnight.add(m, 'minute').toDate()
        if (startsAt.getTime() < cutoff) continue
        const key = `${rule.lawyerId}|${startsAt.getTime()}`
        if (byLawyerStart.has(key)) continue
        byLawyerStart.set(key, {
          id: slotId(rule.lawyerId, rule.servicePointId, startsAt),
          lawyerId: rule.lawyerId,
          servicePointId: rule.servicePointId,
          startsAt,
          endsAt: new Date(startsAt.getTime() + rule.slotMinutes * 60_000),
        })
      }
    }
  }
  return [...byLawyerStart.values()].sort(
    (a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.lawyerId - b.lawyerId,
  )
}

/**
 * The slot a (client-sent) id stands for, if the rules and closures give exactly it; null for a
 * forged or stale id. Past slots are found too: the caller decides what "past" means.
 */
export function findSlot(id: string, rules: SlotRule[], closures: SlotClosure[]): Slot | null {
  const parsed = parseSlotId(id)
  if (!parsed) return null
  const mine = rules.filter((r) => r.lawyerId === parsed.lawyerId)
  const slots = generateSlots(mine, closures, { from: parsed.date, to: parsed.date })
  return slots.find((s) => s.id === id) ?? null
}

/** The first moment of a Shanghai day and of the day after it. */
export function shanghaiDayBounds(date: string): [Date, Date] {
  const start = dayjs.tz(`${date} 00:00`, 'YYYY-MM-DD HH:mm', LEGAL_TZ)
  return [start.toDate(), start.add(1, 'day').toDate()]
}
