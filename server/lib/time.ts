/**
 * Shanghai time for the whole server: every date, weekday and wall-clock time the product shows
 * or reasons about is Asia/Shanghai's, whatever the server's TZ. Asia/Shanghai has kept UTC+8 all
 * year since 1991, so fixed-offset arithmetic is exact (and ~60× cheaper than a tz database).
 */
export const SHANGHAI_OFFSET_MS = 8 * 3600_000

const DAY_MS = 86_400_000
const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** `at` shifted so that its UTC fields read as Shanghai wall-clock time. */
const local = (at: Date) => new Date(at.getTime() + SHANGHAI_OFFSET_MS)

/** `7月3日 10:00`, Shanghai time: how a moment reads in a Chinese message. */
export function shanghaiDateTime(d: Date): string {
  const l = local(d)
  return `${l.getUTCMonth() + 1}月${l.getUTCDate()}日 ${pad(l.getUTCHours())}:${pad(l.getUTCMinutes())}`
}

/** `YYYY-MM-DD` of a moment in Shanghai. */
export function shanghaiDate(at: Date): string {
  const l = local(at)
  return `${pad(l.getUTCFullYear(), 4)}-${pad(l.getUTCMonth() + 1)}-${pad(l.getUTCDate())}`
}

/** `YYYYMMDDHHmm` of a moment in Shanghai. */
export function shanghaiMinuteStamp(at: Date): string {
  const l = local(at)
  return (
    `${pad(l.getUTCFullYear(), 4)}${pad(l.getUTCMonth() + 1)}${pad(l.getUTCDate())}` +
    `${pad(l.getUTCHours())}${pad(l.getUTCMinutes())}`
  )
}

/** The first moment (00:00, Shanghai time) of the day `days` days after `from`'s day. */
export function startOfShanghaiDay(from: Date, days = 0): Date {
  const l = local(from)
  const start = Date.UTC(l.getUTCFullYear(), l.getUTCMonth(), l.getUTCDate() + days)
  return new Date(start - SHANGHAI_OFFSET_MS)
}

/** The last millisecond (23:59:59.999, Shanghai time) of the day `days` days after `from`'s day. */
export function endOfShanghaiDay(from: Date, days = 0): Date {
  return new Date(startOfShanghaiDay(from, days + 1).getTime() - 1)
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Midnight UTC of a calendar date `YYYY-MM-DD` (NaN when it is not one). */
function utcMidnight(date: string): number {
  const m = DATE.exec(date)
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN
}

/**
 * The moment `minutes` minutes after 00:00 of the Shanghai day `date` (`YYYY-MM-DD`); undefined
 * when the date or the time does not exist (2026-02-30, 25:00) instead of rolling over.
 */
export function shanghaiWallClock(date: string, minutes = 0): Date | undefined {
  const midnight = utcMidnight(date)
  if (Number.isNaN(midnight) || minutes < 0 || minutes >= 24 * 60) return undefined
  if (new Date(midnight).toISOString().slice(0, 10) !== date) return undefined
  return new Date(midnight + minutes * 60_000 - SHANGHAI_OFFSET_MS)
}

/** The first moment of a Shanghai day (`YYYY-MM-DD`) and of the day after it. */
export function shanghaiDayBounds(date: string): [Date, Date] {
  const start = utcMidnight(date) - SHANGHAI_OFFSET_MS
  return [new Date(start), new Date(start + DAY_MS)]
}

/** The number of days from `from` to `to` (calendar days, `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS)
}

/** The calendar date `days` days after `date` (`YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  return new Date(utcMidnight(date) + days * DAY_MS).toISOString().slice(0, 10)
}

/** ISO weekday of a calendar date (1 Monday … 7 Sunday): no time zone can shift it. */
export function isoWeekday(date: string): number {
  const day = new Date(utcMidnight(date)).getUTCDay()
  return day === 0 ? 7 : day
}
