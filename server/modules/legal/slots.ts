import {
  addDays,
  daysBetween,
  isoWeekday,
  shanghaiMinuteStamp,
  shanghaiWallClock,
} from '../../lib/time'

// Every date and weekday of the legal module is read in Shanghai time (server/lib/time.ts);
// `shanghaiDate` is re-exported for the suites that build slot dates with it.
export { shanghaiDate } from '../../lib/time'

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

/** `1-2-202611261400`: lawyer, service point and the start as Shanghai wall-clock time. */
export function slotId(lawyerId: number, servicePointId: number, startsAt: Date): string {
  return `${lawyerId}-${servicePointId}-${shanghaiMinuteStamp(startsAt)}`
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
  // Reject dates and times that do not exist (2026-02-30, 25:00): they would roll over.
  if (Number(h) > 23 || Number(mi) > 59) return null
  const startsAt = shanghaiWallClock(date, Number(h) * 60 + Number(mi))
  if (!startsAt) return null
  return { lawyerId: Number(lawyer), servicePointId: Number(point), date, startsAt }
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
    const date = addDays(window.from, i)
    const weekday = isoWeekday(date)
    for (const rule of ordered) {
      if (rule.weekday !== weekday) continue
      if (date < rule.validFrom || (rule.validTo !== null && date > rule.validTo)) continue
      if (closed.has(`${date}|*`) || closed.has(`${date}|${rule.servicePointId}`)) continue
      const midnight = shanghaiWallClock(date)
      if (!midnight) continue
      const end = minutesOf(rule.end)
      for (let m = minutesOf(rule.start); m + rule.slotMinutes <= end; m += rule.slotMinutes) {
        const startsAt = new Date(midnight.getTime() + m * 60_000)
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
