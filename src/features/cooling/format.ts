import { useEffect, useState } from 'react'
import type { CampaignStatus, CoolingCampaign } from '@/contract/cooling'
import { formatMonthDay } from '@/services/time'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** `3 天 4 小时`, `5 小时 12 分钟`, `8 分钟`, `不到 1 分钟`: the time left until `to`. */
export function durationText(to: string, now: number): string {
  const left = Date.parse(to) - now
  if (left < MINUTE) return '不到 1 分钟'
  const days = Math.floor(left / DAY)
  const hours = Math.floor((left % DAY) / HOUR)
  const minutes = Math.floor((left % HOUR) / MINUTE)
  if (days > 0) return hours > 0 ? `${days} 天 ${hours} 小时` : `${days} 天`
  if (hours > 0) return minutes > 0 ? `${hours} 小时 ${minutes} 分钟` : `${hours} 小时`
  return `${minutes} 分钟`
}

/**
 * Where a campaign stands now. The server's status decides, the clock moves it on while the page
 * stays open (open → closed at `closesAt`, upcoming → open at `opensAt`).
 */
export function statusNow(campaign: CoolingCampaign, now: number): CampaignStatus {
  if (campaign.status === 'closed' || Date.parse(campaign.closesAt) <= now) return 'closed'
  if (campaign.status === 'upcoming' && Date.parse(campaign.opensAt) > now) return 'upcoming'
  return 'open'
}

/** `距截止还有 3 天 4 小时`, `7月1日 08:00 开始（距开始还有 2 天）` or `已于 7月20日 截止`. */
export function timeNote(campaign: CoolingCampaign, now: number): string {
  switch (statusNow(campaign, now)) {
    case 'open':
      return `距截止还有 ${durationText(campaign.closesAt, now)}`
    case 'upcoming':
      return `${formatMonthDay(campaign.opensAt)} 开始（距开始还有 ${durationText(campaign.opensAt, now)}）`
    default: {
      const closedAt =
        campaign.closedAt && Date.parse(campaign.closedAt) < Date.parse(campaign.closesAt)
          ? campaign.closedAt
          : campaign.closesAt
      return `已于 ${formatMonthDay(closedAt)} 截止`
    }
  }
}

/** Chinese names of campaign states. */
export const campaignStatusLabels: Record<CampaignStatus, string> = {
  upcoming: '未开始',
  open: '进行中',
  closed: '已截止',
}

/** The current time, renewed at the start of every minute while the component is mounted. */
export function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>
    const tick = () => {
      setNow(Date.now())
      timer = setTimeout(tick, MINUTE - (Date.now() % MINUTE) + 50)
    }
    timer = setTimeout(tick, MINUTE - (Date.now() % MINUTE) + 50)
    return () => clearTimeout(timer)
  }, [])
  return now
}
