import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc'
import timezone from 'dayjs/plugin/timezone'

dayjs.extend(utc)
dayjs.extend(timezone)

/** Every date in the app is shown in this zone, whatever the device's zone is. */
export const APP_TIME_ZONE = 'Asia/Shanghai'
// China has kept UTC+8 all year since 1991. A fixed offset is the fallback where the runtime has no
// Intl time-zone data (some mini-program engines), so dates never shift with the device zone.
const SHANGHAI_OFFSET_MINUTES = 8 * 60

function hasIntlZones(): boolean {
  try {
    return (
      Number(
        new Intl.DateTimeFormat('en-US', {
          timeZone: APP_TIME_ZONE,
          hour: '2-digit',
          hourCycle: 'h23',
        })
          .formatToParts(new Date(0))
          .find((part) => part.type === 'hour')?.value,
      ) === 8
    )
  } catch {
    return false
  }
}

const intlZones = hasIntlZones()

/** A moment as seen in Asia/Shanghai. */
export function inAppZone(iso: string | Date): dayjs.Dayjs {
  return intlZones ? dayjs(iso).tz(APP_TIME_ZONE) : dayjs(iso).utcOffset(SHANGHAI_OFFSET_MINUTES)
}

/** `2026年7月1日` */
export function formatDate(iso: string | Date): string {
  return inAppZone(iso).format('YYYY年M月D日')
}

/** `2026年7月1日 08:05` */
export function formatDateTime(iso: string | Date): string {
  return inAppZone(iso).format('YYYY年M月D日 HH:mm')
}

/** `7月1日`, with the time (`7月1日 09:30`) unless the moment starts or ends a day. */
export function formatMonthDay(iso: string | Date): string {
  const d = inAppZone(iso)
  const hm = d.format('HH:mm')
  return hm === '00:00' || hm === '23:59' ? d.format('M月D日') : d.format('M月D日 HH:mm')
}

/** `2026-07-01`: the calendar day of a moment in Asia/Shanghai (for date pickers). */
export function toDateInput(iso: string | Date): string {
  return inAppZone(iso).format('YYYY-MM-DD')
}

/** The start (`00:00:00`) or the end (`23:59:59`) of a `YYYY-MM-DD` day in Asia/Shanghai, as ISO. */
export function dayBoundary(date: string, edge: 'start' | 'end'): string {
  return `${date}T${edge === 'start' ? '00:00:00' : '23:59:59'}+08:00`
}

/** `08:05`: the time of day of a moment in Asia/Shanghai (for time pickers). */
export function toTimeInput(iso: string | Date): string {
  return inAppZone(iso).format('HH:mm')
}

/** A `YYYY-MM-DD` day and an `HH:mm` time in Asia/Shanghai, as ISO with its offset. */
export function zonedDateTime(date: string, time: string): string {
  return `${date}T${time}:00+08:00`
}
