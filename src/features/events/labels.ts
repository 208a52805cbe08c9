import type { FlowerPhase, Gender } from '@/contract/events'
import { formatDateTime, inAppZone } from '@/services/time'

/** Chinese names of the genders of a profile. */
export const genderLabels: Record<Gender, string> = { male: '男', female: '女' }

/** Chinese names of the flower phase (member and staff pages). */
export const flowerPhaseLabels: Record<FlowerPhase, string> = {
  not_open: '未开始',
  open: '送花中',
  closed: '已揭晓',
}

/** Where an event's sign-up stands: before, inside or after its window. */
export type SignupWindow = 'not_started' | 'open' | 'closed'

/** Chinese names of the sign-up window states. */
export const signupWindowLabels: Record<SignupWindow, string> = {
  not_started: '未开始',
  open: '报名中',
  closed: '已截止',
}

/** The same states as a whole phrase, for a line that does not say 报名 before it (staff). */
export const signupStateLabels: Record<SignupWindow, string> = {
  not_started: '报名未开始',
  open: '报名中',
  closed: '报名已截止',
}

/** The sign-up window state of an event now (the server's `signupOpen` decides inside it). */
export function signupWindow(
  event: { signupOpensAt: string; signupClosesAt: string; signupOpen: boolean },
  now = Date.now(),
): SignupWindow {
  if (event.signupOpen) return 'open'
  return Date.parse(event.signupOpensAt) > now ? 'not_started' : 'closed'
}

/** `2026年7月1日 14:00 – 17:30`, or both full dates when the event spans days (Asia/Shanghai). */
export function eventTimeText(startsAt: string, endsAt: string): string {
  const start = inAppZone(startsAt)
  const end = inAppZone(endsAt)
  return start.format('YYYY-MM-DD') === end.format('YYYY-MM-DD')
    ? `${formatDateTime(startsAt)} – ${end.format('HH:mm')}`
    : `${formatDateTime(startsAt)} – ${formatDateTime(endsAt)}`
}

/** `7月1日 09:00 – 7月10日 18:00`: the sign-up window. */
export function signupWindowText(signupOpensAt: string, signupClosesAt: string): string {
  const f = (iso: string) => inAppZone(iso).format('M月D日 HH:mm')
  return `${f(signupOpensAt)} – ${f(signupClosesAt)}`
}

/** `通州区总工会、武清区总工会`: the co-host unions in the order the event lists them. */
export function hostNames(event: { hostUnions: Array<{ name: string }> }): string {
  return event.hostUnions.map((u) => u.name).join('、')
}
