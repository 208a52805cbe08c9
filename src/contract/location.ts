import { z } from 'zod'

/**
 * A place on the map (a legal workstation, a mixer's venue): what WeChat's `openLocation` takes.
 * Coordinates are GCJ-02 (国测局坐标), as 腾讯地图 and 高德地图 show them when a place is picked.
 */

export const latitude = z
  .number({ error: (issue) => (issue.input === undefined ? '请填写纬度' : '纬度须为数字') })
  .min(-90, '纬度应在 -90 到 90 之间（北京约为 39.9）')
  .max(90, '纬度应在 -90 到 90 之间（北京约为 39.9）')

export const longitude = z
  .number({ error: (issue) => (issue.input === undefined ? '请填写经度' : '经度须为数字') })
  .min(-180, '经度应在 -180 到 180 之间（北京约为 116.4）')
  .max(180, '经度应在 -180 到 180 之间（北京约为 116.4）')

/** The longest address line shown under a place's name on the map. */
export const mapAddressMax = 200

/** A place as the app shows it: `address` is the line under its name on the map, when set. */
export const mapLocation = z.object({
  latitude,
  longitude,
  address: z.string().nullable(),
})
export type MapLocation = z.infer<typeof mapLocation>

/** A place as staff enter it (the address line optional). */
export const mapLocationInput = z
  .object({
    latitude,
    longitude,
    address: z
      .string({ error: '地图地址须为文字' })
      .trim()
      .max(mapAddressMax, `地图地址最多 ${mapAddressMax} 个字`)
      .optional(),
  })
  .strict()
export type MapLocationInput = z.input<typeof mapLocationInput>

/**
 * A phone number people can dial: a mobile (13800138000), a landline with its area code
 * (010-68881234, 010 6888 1234) or a service line (400-810-1234, 12351); digits, spaces and
 * hyphens, 5–20 characters.
 */
export const dialPhone = z
  .string({ error: '电话须为文字' })
  .trim()
  .regex(/^\+?\d[\d -]{3,18}\d$/, '请填写正确的电话号码，如 010-68881234 或 13800138000')
  .refine((s) => s.replace(/\D/g, '').length >= 5, '电话号码至少 5 位数字')

/** The number as dialled (without spaces and hyphens). */
export function dialable(phone: string): string {
  return phone.replace(/[\s-]/g, '')
}

/**
 * A coordinate as typed into a form: a number when the text reads as one, undefined when blank,
 * else the text itself, so that the contract's own message says what is wrong.
 */
export function coordinateInput(text: string): number | string | undefined {
  const t = text.trim()
  if (t === '') return undefined
  return /^[-+]?\d+(\.\d+)?$/.test(t) ? Number(t) : t
}
