import { z } from 'zod'

/** The largest value of a database `integer` column (int4): ids and counts must stay below it. */
export const MAX_INT = 2_147_483_647

/** The earliest and latest years a date or time in a request may have (both stored as-is). */
export const MIN_YEAR = 1900
export const MAX_YEAR = 9999

/** Whether `s` is a real calendar day `YYYY-MM-DD` (no `2026-02-30`) within MIN_YEAR–MAX_YEAR. */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return false
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
  return day <= days
}

/**
 * Whether an ISO 8601 timestamp (already checked for its form) denotes an instant the database
 * can store: a real calendar day whose UTC year lies within MIN_YEAR–MAX_YEAR.
 */
export function isStorableDateTime(s: string): boolean {
  if (!isCalendarDate(s.slice(0, 10))) return false
  const t = Date.parse(s)
  if (!Number.isFinite(t)) return false
  const year = new Date(t).getUTCFullYear()
  return year >= MIN_YEAR && year <= MAX_YEAR
}

/** An ISO 8601 timestamp with an offset, e.g. `2026-07-01T08:00:00.000Z` or `…+08:00`. */
export const isoDateTime = z.iso
  .datetime({
    offset: true,
    error: '时间格式不正确或日期不存在，应为带时区的 ISO 8601 时间，如 2026-07-01T08:00:00+08:00',
  })
  .refine(isStorableDateTime, `时间不存在或超出范围（${MIN_YEAR}–${MAX_YEAR} 年）`)

/** A calendar day `YYYY-MM-DD` that exists (no `2026-02-30`). */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine(isCalendarDate, '日期不存在或超出范围，请检查年月日')

const idTooLarge = '编号超出范围'

/** A database id: a positive integer that fits an `integer` column. */
export const id = z
  .number('编号须为数字')
  .int('编号须为整数')
  .positive('编号须为正整数')
  .max(MAX_INT, idTooLarge)

/**
 * An id in a path or query string (arrives as text; numbers are accepted too): at most 10 digits,
 * within the `integer` range. `abc`, `-1`, `0`, `1.5` and overlong strings are 400.
 */
export const idText = z
  .union([z.number(), z.string().max(10, idTooLarge)], '编号须为正整数')
  .pipe(
    z.coerce
      .number<string | number>()
      .int('编号须为正整数')
      .positive('编号须为正整数')
      .max(MAX_INT, idTooLarge),
  )

/** Ids in route parameters arrive as strings. */
export const idParams = z.object({ id: idText }).strict()

/** `{ ok: true }`, the health answer. */
export const healthResponse = z.object({ ok: z.literal(true) })
