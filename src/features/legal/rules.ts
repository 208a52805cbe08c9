import {
  cancelCutoffHours,
  cancelCutoffMs,
  descriptionLength,
  maxUpcomingBookings,
} from '@/contract/legal'
import { inAppZone, toDateInput } from '@/services/time'

/** The longest problem description a member can write (the contract's limit). */
export const DESCRIPTION_MAX = descriptionLength.max

const weekdays = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']

/** One day of the booking strip. */
export interface StripDay {
  /** `YYYY-MM-DD` in Asia/Shanghai. */
  date: string
  /** `今天`, `明天` or `周三`. */
  label: string
  /** `11/26` */
  short: string
}

const nearLabels: Record<number, string> = { [-1]: '昨天', 0: '今天', 1: '明天' }

/**
 * `count` days in Asia/Shanghai from `first` days after today (-1: yesterday), labelled
 * 昨天 / 今天 / 明天 / 周三 and 11/26.
 */
export function dayStrip(now: number, count: number, first = 0): StripDay[] {
  const today = inAppZone(new Date(now)).startOf('day')
  return Array.from({ length: count }, (_, i) => {
    // Noon of the day: adding days near midnight never slips a date on a zone fallback.
    const day = today.add(first + i, 'day').hour(12)
    return {
      date: day.format('YYYY-MM-DD'),
      label: nearLabels[first + i] ?? weekdays[day.day()],
      short: day.format('M/D'),
    }
  })
}

/** `今天 11/26`, `明天 11/27` or `周三 11/28` for any moment. */
export function dayLabel(iso: string, now: number): string {
  const date = toDateInput(iso)
  const found = dayStrip(now, 3, -1).find((d) => d.date === date)
  const d = inAppZone(iso)
  return `${found?.label ?? weekdays[d.day()]} ${d.format('M/D')}`
}

/** Anything with a start time (a slot, a booking). */
interface Timed {
  startsAt: string
}

/** The items starting on `date` (`YYYY-MM-DD`, Asia/Shanghai), earliest first. */
export function onDay<T extends Timed>(items: T[], date: string): T[] {
  return items
    .filter((i) => toDateInput(i.startsAt) === date)
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))
}

/** Whether a free slot exists on `date` (the strip marks days without one). */
export function hasFreeSlot<T extends Timed & { available: boolean }>(
  slots: T[],
  date: string,
  now: number,
): boolean {
  return onDay(slots, date).some((s) => s.available && Date.parse(s.startsAt) > now)
}

/**
 * Whether the member may still cancel: `ok`, `too_late` (less than `cancelCutoffHours` before
 * the start — the server refuses with `TOO_LATE_TO_CANCEL`) or `started`.
 */
export function cancelWindow(startsAt: string, now: number): 'ok' | 'too_late' | 'started' {
  const left = Date.parse(startsAt) - now
  if (left <= 0) return 'started'
  return left < cancelCutoffMs ? 'too_late' : 'ok'
}

/** Why the cancel button is gone inside the cancel cutoff. */
export const TOO_LATE_NOTE = `距开始不足 ${cancelCutoffHours} 小时，如需取消请电话联系工作站`

/** The member's booked consultations not yet started (the server allows `maxUpcomingBookings`). */
export function upcomingCount<T extends Timed & { status: string }>(bookings: T[], now: number) {
  return bookings.filter((b) => b.status === 'booked' && Date.parse(b.startsAt) > now).length
}

/** Said before the form when the member already holds the most upcoming bookings. */
export const LIMIT_NOTE = `您已有 ${maxUpcomingBookings} 个未完成预约`
export const LIMIT_HINT = `每人最多同时保留 ${maxUpcomingBookings} 个待进行的预约。咨询完成或取消其中一个后，就可以再预约。`
