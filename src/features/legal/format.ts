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

/**
 * Who calls whom in an online consultation: the lawyer calls the member's number at the time (a
 * video one is agreed on that call); the line's own number, when set, is there if no call comes.
 */
export function callNote(
  point: Pick<ServicePoint, 'kind' | 'channel' | 'phone'>,
  lawyerName: string | null,
  memberPhone: string | null,
): string {
  const who = lawyerName ? `${lawyerName}律师` : '接待律师'
  const number = memberPhone ? `你留的电话 ${memberPhone}` : '你留的电话'
  const how =
    point.channel === 'video'
      ? `到预约时间，${who}会先拨打${number}，再和你进行视频咨询，请保持电话畅通。`
      : `到预约时间，${who}会拨打${number}，请保持电话畅通，不用到场。`
  return point.phone ? `${how}如未接到来电，请拨打服务电话 ${point.phone}。` : how
}

/** What the member hears right after booking: where to be, or who calls whom. */
export function bookedNote(
  point: Pick<ServicePoint, 'kind' | 'channel' | 'phone'> | undefined,
  lawyerName: string,
  memberPhone: string,
): string {
  if (point?.kind === 'online') return `预约成功！${callNote(point, lawyerName, memberPhone)}`
  return '预约成功！请按时到达服务点，可带上劳动合同、工资条等材料；律师也可能提前用你留的电话联系你。'
}

/** `明天 11/27 09:30–10:00` */
export function slotTimeText(startsAt: string, endsAt: string, now: number): string {
  return `${dayLabel(startsAt, now)} ${inAppZone(startsAt).format('HH:mm')}–${inAppZone(endsAt).format('HH:mm')}`
}

/** `09:30` */
export function clockText(iso: string): string {
  return inAppZone(iso).format('HH:mm')
}

/** What each number of stars means, said in words next to the stars (not by colour alone). */
export const ratingWords: Record<number, string> = {
  1: '很不满意',
  2: '不满意',
  3: '一般',
  4: '满意',
  5: '非常满意',
}

/** `4 星（满意）`: a rating in words. */
export function ratingText(stars: number): string {
  return `${stars} 星（${ratingWords[stars] ?? ''}）`
}
