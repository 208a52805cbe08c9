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
