import { useEffect, useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { ErrorState, LoadingState } from '@/components/page-state'
import { eventTimeText, hostNames, signupWindow, signupStateLabels } from '@/features/events/labels'
import { useEventDeskStore } from '@/features/events/staff/event-desk-store'
import { EventSignups } from '@/features/events/staff/event-signups'
import { EventCheckinDesk } from '@/features/events/staff/event-checkin-desk'
import { EventGroups } from '@/features/events/staff/event-groups'
import { EventFlowersAdmin } from '@/features/events/staff/event-flowers-admin'
import { STAFF_EVENT_FORM_PAGE } from '@/features/events/urls'
import { usePolling } from '@/features/events/use-polling'
import '@/components/form/form.scss'
import '@/components/staff-list.scss'
import './events-staff.scss'

/** Props of the organiser desk. */
export interface EventDeskProps {
  eventId: number
}

type Tab = 'signups' | 'checkin' | 'groups' | 'flowers'

const tabs: Array<{ key: Tab; label: string }> = [
  { key: 'signups', label: '报名' },
  { key: 'checkin', label: '签到' },
  { key: 'groups', label: '分组' },
  { key: 'flowers', label: '送花' },
]

/**
 * One event for its organisers: sign-ups and waitlist, check-in, groups and rounds, the flower
 * phase; 修改活动 opens the edit form. Refreshes itself every few seconds while shown (check-ins
 * at the door, sign-ups, matches) — no 刷新 needed.
 */
export function EventDesk({ eventId }: EventDeskProps) {
  const { event, open, loadEvent, refresh } = useEventDeskStore()
  const current = useEventDeskStore((s) => s.eventId === eventId)
  const [tab, setTab] = useState<Tab>('signups')

  useEffect(() => {
    void open(eventId)
  }, [open, eventId])
  usePullDownRefresh(() => {
    void loadEvent().finally(() => Taro.stopPullDownRefresh())
  })
  usePolling(refresh)

  if (current && event.status === 'error' && event.error) {
    return <ErrorState message={event.error} onRetry={() => void loadEvent()} />
  }
  if (!current || !event.data) return <LoadingState />
  const e = event.data

  return (
    <View className="page event-desk">
      <View className="card">
        <Text className="staff-item-name">{e.title}</Text>
        <Text className="staff-item-meta">{hostNames(e)}</Text>
        <Text className="staff-item-meta">
          {eventTimeText(e.startsAt, e.endsAt)} · {e.venue}
        </Text>
        <Text className="staff-item-meta">
          {signupStateLabels[signupWindow(e)]} · 报名成功 {e.confirmedCount}/{e.capacity}
          {e.capacityPerGender
            ? `（男 ${e.confirmedPerGender.male}/${e.capacityPerGender.male} · 女 ${e.confirmedPerGender.female}/${e.capacityPerGender.female}）`
            : ''}{' '}
          · 候补 {e.waitlistCount} · 已签到 {e.checkedInCount}
        </Text>
        {e.checkinPoints > 0 ? (
          <Text className="staff-item-meta">签到奖励 {e.checkinPoints} 积分</Text>
        ) : null}
        <Button
          className="btn btn-ghost event-edit"
          onClick={() =>
            void Taro.navigateTo({ url: `${STAFF_EVENT_FORM_PAGE}?id=${e.id}` }).catch(
              () => undefined,
            )
          }
        >
          修改活动
        </Button>
      </View>

      <View className="desk-tabs">
        {tabs.map((t) => (
          <View
            key={t.key}
            className={
              tab === t.key ? `desk-tab desk-tab-${t.key} is-on` : `desk-tab desk-tab-${t.key}`
            }
            onClick={() => setTab(t.key)}
          >
            <Text>{t.label}</Text>
          </View>
        ))}
      </View>

      {tab === 'signups' ? <EventSignups /> : null}
      {tab === 'checkin' ? <EventCheckinDesk /> : null}
      {tab === 'groups' ? <EventGroups /> : null}
      {tab === 'flowers' ? <EventFlowersAdmin /> : null}
    </View>
  )
}
