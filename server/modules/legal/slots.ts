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

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000

/** `HHmm` of every minute of a day: a slot id's time without formatting a Date. */
const minuteStamps = Array.from(
  { length: 24 * 60 },
  (_, m) => `${String(Math.floor(m / 60)).padStart(2, '0')}${String(m % 60).padStart(2, '0')}`,
)

/** A rule with its times in minutes, ready for every day it applies to. */
interface DayRule {
  lawyerId: number
  servicePointId: number
  startMinute: number
  endMinute: number
  slotMinutes: number
  validFrom: string
  validTo: string | null
}

/** A slot of one day before it becomes a `Slot`: its start as minutes after 00:00 Shanghai. */
interface DaySlot {
  rule: DayRule
  minute: number
}

/**
 * The slots the rules give between two days, minus closed days and (with `now`) times already
 * past or too soon. A rule's day is cut into whole slots of `slotMinutes` (a remainder shorter
 * than one slot is dropped). Where rules overlap for one lawyer, the first slot starting at a time
 * wins (a lawyer sits in one place at a time); ordered by start, then lawyer.
 *
 * Cheap on purpose (issue #11): rules are grouped by weekday once; each day is one calendar
 * computation (its date, weekday and Shanghai midnight, fixed +08:00) and every slot is plain
 * arithmetic on that midnight, its id a string concatenation.
 */
export function generateSlots(
  rules: SlotRule[],
  closures: SlotClosure[],
  window: SlotWindow,
): Slot[] {
  const firstMidnight = shanghaiWallClock(window.from)?.getTime()
  const days = daysBetween(window.from, window.to)
  if (firstMidnight === undefined || !(days >= 0)) return []
  const closedEverywhere = new Set<string>()
  const closedAt = new Set<string>()
  for (const c of closures) {
    if (c.servicePointId === null) closedEverywhere.add(c.date)
    else closedAt.add(`${c.date}|${c.servicePointId}`)
  }
  const cutoff =
    window.now === undefined ? -Infinity : window.now.getTime() + (window.leadMinutes ?? 0) * 60_000
  // Index 1 Monday … 7 Sunday; each list in rule id order (the older rule wins an overlap).
  const byWeekday: DayRule[][] = Array.from({ length: 8 }, () => [])
  for (const rule of [...rules].sort((a, b) => a.id - b.id)) {
    byWeekday[rule.weekday]?.push({
      lawyerId: rule.lawyerId,
      servicePointId: rule.servicePointId,
      startMinute: minutesOf(rule.start),
      endMinute: minutesOf(rule.end),
      slotMinutes: rule.slotMinutes,
      validFrom: rule.validFrom,
      validTo: rule.validTo,
    })
  }
  const slots: Slot[] = []
  const startWeekday = isoWeekday(window.from)
  for (let i = 0; i <= days; i++) {
    const dayRules = byWeekday[((startWeekday - 1 + i) % 7) + 1]
    if (dayRules.length === 0) continue
    const date = i === 0 ? window.from : addDays(window.from, i)
    if (closedEverywhere.has(date)) continue
    const midnight = firstMidnight + i * DAY_MS
    const stamp = date.slice(0, 4) + date.slice(5, 7) + date.slice(8, 10)
    // A lawyer's minute of this day: `lawyerId * 1440 + minute` (exact far beyond 2^31 ids).
    const taken = new Set<number>()
    const daySlots: DaySlot[] = []
    for (const rule of dayRules) {
      if (date < rule.validFrom || (rule.validTo !== null && date > rule.validTo)) continue
      if (closedAt.size > 0 && closedAt.has(`${date}|${rule.servicePointId}`)) continue
      for (
        let m = rule.startMinute;
        m + rule.slotMinutes <= rule.endMinute;
        m += rule.slotMinutes
      ) {
        if (midnight + m * MINUTE_MS < cutoff) continue
        const key = rule.lawyerId * 1440 + m
        if (taken.has(key)) continue
        taken.add(key)
        daySlots.push({ rule, minute: m })
      }
    }
    daySlots.sort((a, b) => a.minute - b.minute || a.rule.lawyerId - b.rule.lawyerId)
    for (const { rule, minute } of daySlots) {
      const startsAt = midnight + minute * MINUTE_MS
      slots.push({
        id: `${rule.lawyerId}-${rule.servicePointId}-${stamp}${minuteStamps[minute]}`,
        lawyerId: rule.lawyerId,
        servicePointId: rule.servicePointId,
        startsAt: new Date(startsAt),
        endsAt: new Date(startsAt + rule.slotMinutes * MINUTE_MS),
      })
    }
  }
  return slots
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
