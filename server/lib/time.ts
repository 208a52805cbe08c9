/** Asia/Shanghai has kept UTC+8 all year since 1991: no DST to handle. */
export const SHANGHAI_OFFSET_MS = 8 * 3600_000

/** `7月3日 10:00`, Shanghai time: how a moment reads in a Chinese message. */
export function shanghaiDateTime(d: Date): string {
  const local = new Date(d.getTime() + SHANGHAI_OFFSET_MS)
  const hh = String(local.getUTCHours()).padStart(2, '0')
  const mm = String(local.getUTCMinutes()).padStart(2, '0')
  return `${local.getUTCMonth() + 1}月${local.getUTCDate()}日 ${hh}:${mm}`
}

/** The last millisecond (23:59:59.999, Shanghai time) of the day `days` days after `from`'s day. */
export function endOfShanghaiDay(from: Date, days = 0): Date {
  const local = new Date(from.getTime() + SHANGHAI_OFFSET_MS)
  const end = Date.UTC(
    local.getUTCFullYear(),
    local.getUTCMonth(),
    local.getUTCDate() + days,
    23,
    59,
    59,
    999,
  )
  return new Date(end - SHANGHAI_OFFSET_MS)
}
