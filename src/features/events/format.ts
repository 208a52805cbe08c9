import type { MemberEvent, RegistrationSummary } from '@/contract/events'

/** `剩余 8 个名额`, `剩余名额：男 3 · 女 5`, or `名额已满，可报名候补`. */
export function placesText(event: MemberEvent): string {
  const perGender = event.placesLeftPerGender
  if (perGender) {
    if (perGender.male + perGender.female === 0 || event.placesLeft === 0) {
      return '名额已满，可报名候补'
    }
    return `剩余名额：男 ${perGender.male} · 女 ${perGender.female}`
  }
  return event.placesLeft > 0 ? `剩余 ${event.placesLeft} 个名额` : '名额已满，可报名候补'
}

/** `报名成功`, `候补中 第 2 位`, `已签到` or `已取消`: the member's registration in a word or two. */
export function registrationLabel(
  r: Pick<RegistrationSummary, 'status' | 'waitlistPosition' | 'checkedIn'>,
): string {
  switch (r.status) {
    case 'confirmed':
      return r.checkedIn ? '已签到' : '报名成功'
    case 'waitlisted':
      return r.waitlistPosition ? `候补中 第 ${r.waitlistPosition} 位` : '候补中'
    default:
      return '已取消'
  }
}

/** `1990–2000 年出生`, `2000 年及以后出生`… or null when there is no age limit. */
export function birthYearRangeText(
  event: Pick<MemberEvent, 'minBirthYear' | 'maxBirthYear'>,
): string | null {
  const { minBirthYear: min, maxBirthYear: max } = event
  if (min !== null && max !== null) return `${min}–${max} 年出生`
  if (min !== null) return `${min} 年及以后出生`
  if (max !== null) return `${max} 年及以前出生`
  return null
}

/** Birth years offered by the picker, newest first (the contract accepts 1940–2015). */
export function birthYearOptions(): number[] {
  const years: number[] = []
  for (let y = 2015; y >= 1940; y--) years.push(y)
  return years
}

/** The year preselected when the picker first opens: a young worker's, not 2015. */
export const DEFAULT_PICKER_YEAR = 1996
