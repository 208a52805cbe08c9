import type { TodoItem } from '@/contract/todo'
import { inAppZone } from '@/services/time'

/** How one 待办 reads: a short label (never colour alone), the line, a detail and when. */
export interface TodoText {
  label: string
  title: string
  detail: string
  when: string
}

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** `今天 18:00`, `明天 09:30`, `12月8日 14:00` (Asia/Shanghai). */
export function dueText(iso: string, now: Date): string {
  const at = inAppZone(iso)
  const today = inAppZone(now).startOf('day')
  const days = at.startOf('day').diff(today, 'day')
  const time = at.format('HH:mm')
  if (days === 0) return `今天 ${time}`
  if (days === 1) return `明天 ${time}`
  if (days === 2) return `后天 ${time}`
  return `${at.format('M月D日')} ${time}`
}

/** `还剩 3 天`, `还剩 5 小时`, `不到 1 小时`: the countdown to a deadline. */
export function countdownText(iso: string, now: Date): string {
  const left = Date.parse(iso) - now.getTime()
  if (left <= 0) return '已截止'
  if (left >= DAY) return `还剩 ${Math.floor(left / DAY)} 天`
  if (left >= HOUR) return `还剩 ${Math.floor(left / HOUR)} 小时`
  return '不到 1 小时'
}

/** The words of one 待办 at `now`. */
export function todoText(todo: TodoItem, now: Date): TodoText {
  const due = dueText(todo.dueAt, now)
  switch (todo.kind) {
    case 'pickup':
      return {
        label: '取货',
        title: `领取「${todo.itemName}」×${todo.quantity}`,
        detail: `提货码 ${todo.pickupCode} · ${todo.unionName}`,
        when: `${due} 前领取`,
      }
    case 'cooling':
      return {
        label: '清凉',
        title: `挑选清凉礼包：${todo.title}`,
        detail: `${countdownText(todo.dueAt, now)}截止，不选将发默认礼包`,
        when: `${due} 截止`,
      }
    case 'event':
      switch (todo.state) {
        case 'waitlisted':
          return {
            label: '活动',
            title: `「${todo.title}」候补中`,
            detail: todo.waitlistPosition
              ? `候补第 ${todo.waitlistPosition} 位，有空位会自动转为报名成功`
              : '有空位会自动转为报名成功',
            when: `${due} 开始`,
          }
        case 'flowers':
          return {
            label: '活动',
            title: `「${todo.title}」正在送花`,
            detail: '还有花可以送出，活动结束前送出',
            when: `${due} 结束`,
          }
        case 'matched':
          return {
            label: '活动',
            title: `「${todo.title}」有 ${todo.matchCount ?? 1} 位与你互送了花`,
            detail: '点开查看配对结果',
            when: `${due} 前可查看`,
          }
        default:
          return {
            label: '活动',
            title: `参加「${todo.title}」`,
            detail: `${todo.venue} · 到场后签到`,
            when: `${due} 开始`,
          }
      }
    case 'legal':
      return {
        label: '咨询',
        title: `法律咨询：${todo.topicName}`,
        detail: `${todo.lawyerName} 律师 · ${todo.servicePointName}`,
        when: `${due} 开始`,
      }
    case 'points':
      return {
        label: '积分',
        title: `${todo.points} 积分即将过期`,
        detail: '过期前可到积分商城兑换',
        when: `${due} 起过期`,
      }
  }
}
