import type { BookingStatus, ServicePoint } from '@/contract/legal'
import { inAppZone } from '@/services/time'
import { dayLabel } from '@/features/legal/rules'

/** Chinese names of booking states. */
export const bookingStatusLabels: Record<BookingStatus, string> = {
  booked: '已预约',
  cancelled: '已取消',
  completed: '已完成',
  no_show: '未到场',
}

/** Where a consultation takes place: the address, or 线上 · 电话 / 视频. */
export function placeNote(point: Pick<ServicePoint, 'kind' | 'address' | 'channel'>): string {
  if (point.kind === 'online')
    return point.channel === 'video' ? '线上 · 视频咨询' : '线上 · 电话咨询'
  return point.address ?? ''
}

/** `明天 11/27 09:30–10:00` */
export function slotTimeText(startsAt: string, endsAt: string, now: number): string {
  return `${dayLabel(startsAt, now)} ${inAppZone(startsAt).format('HH:mm')}–${inAppZone(endsAt).format('HH:mm')}`
}

/** `09:30` */
export function clockText(iso: string): string {
  return inAppZone(iso).format('HH:mm')
}
