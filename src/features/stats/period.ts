import { inAppZone } from '@/services/time'

/** The periods a person picks with one tap; 自定义 uses the two date pickers. */
export const periodPresets = [
  { key: 'month', label: '本月' },
  { key: 'quarter', label: '本季度' },
  { key: 'year', label: '今年' },
  { key: 'last-year', label: '去年' },
] as const
export type PeriodPreset = (typeof periodPresets)[number]['key']

/** A period of days, `YYYY-MM-DD` (Asia/Shanghai), both included. */
export interface Period {
  from: string
  to: string
}

/** The days of a preset period as of `now` (in Asia/Shanghai): up to today, or all of last year. */
export function presetPeriod(preset: PeriodPreset, now: Date = new Date()): Period {
  const today = inAppZone(now)
  const to = today.format('YYYY-MM-DD')
  const year = today.year()
  switch (preset) {
    case 'month':
      return { from: today.format('YYYY-MM-01'), to }
    case 'quarter': {
      const month = Math.floor(today.month() / 3) * 3 + 1
      return { from: `${year}-${String(month).padStart(2, '0')}-01`, to }
    }
    case 'year':
      return { from: `${year}-01-01`, to }
    case 'last-year':
      return { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` }
  }
}

/** `2026年3月1日 至 3月31日`: a period as a person reads it (the year once when it is the same). */
export function periodText({ from, to }: Period): string {
  const [fy, fm, fd] = from.split('-').map(Number)
  const [ty, tm, td] = to.split('-').map(Number)
  const start = `${fy}年${fm}月${fd}日`
  if (from === to) return start
  return `${start} 至 ${ty === fy ? '' : `${ty}年`}${tm}月${td}日`
}
