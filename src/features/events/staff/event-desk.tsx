import { useEffect, useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { ErrorState, LoadingState } from '@/components/page-state'
import {
  eventTimeText,
  hostNames,
  signupWindow,
  signupWindowLabels,
} from '@/features/events/labels'
import { useEventDeskStore } from '@/features/events/staff/event-desk-store'
import { EventSignups } from '@/features/events/staff/event-signups'
import { EventCheckinDesk } from '@/features/events/staff/event-checkin-desk'
import { EventGroups } from '@/features/events/staff/event-groups'
import { EventFlowersAdmin } from '@/features/events/staff/event-flowers-admin'
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

/** One event for its organisers: sign-ups and waitlist, check-in, groups, the flower phase. */
export function EventDesk({ eventId }: EventDeskProps) {
  const { event, open, loadEvent } = useEventDeskStore()
  const current = useEventDeskStore((s) => s.eventId === eventId)
  const [tab, setTab] = useState<Tab>('signups')

  useEffect(() => {
    void open(eventId)
  }, [open, eventId])
  usePullDownRefresh(() => {
    void loadEvent().finally(() => Taro.stopPullDownRefresh())
  })

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
          报名{signupWindowLabels[signupWindow(e)]} · 报名成功 {e.confirmedCount}/{e.capacity}
          {e.capacityPerGender
            ? `（男 ${e.confirmedPerGender.male}/${e.capacityPerGender.male} · 女 ${e.confirmedPerGender.female}/${e.capacityPerGender.female}）`
            : ''}{' '}
          · 候补 {e.waitlistCount} · 已签到 {e.checkedInCount}
        </Text>
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
