import { useEffect } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { StaffEvent } from '@/contract/events'
import { EmptyState, ErrorState, LoadingState } from '@/components/page-state'
import {
  eventTimeText,
  flowerPhaseLabels,
  hostNames,
  signupWindow,
  signupStateLabels,
} from '@/features/events/labels'
import { useStaffEventsStore } from '@/features/events/staff/events-store'
import { STAFF_EVENT_PAGE } from '@/features/events/urls'
import '@/components/staff-list.scss'
import './events-staff.scss'

/** The page with the create form. */
export const EVENT_FORM_PAGE = '/packages/staff/pages/event-form'

function go(url: string) {
  Taro.navigateTo({ url }).catch(() => undefined)
}

function EventRow({ event }: { event: StaffEvent }) {
  return (
    <View
      className="card staff-item staff-event"
      onClick={() => go(`${STAFF_EVENT_PAGE}?id=${event.id}`)}
    >
      <View className="staff-item-head">
        <View className="staff-item-main">
          <Text className="staff-item-name">{event.title}</Text>
          <Text className="staff-item-meta">{hostNames(event)}</Text>
        </View>
        <Text className="staff-tool-side">管理 ›</Text>
      </View>
      <Text className="staff-item-meta">{eventTimeText(event.startsAt, event.endsAt)}</Text>
      <Text className="staff-item-meta">
        {signupStateLabels[signupWindow(event)]} · 已报名 {event.confirmedCount}/{event.capacity}
        {event.waitlistCount ? ` · 候补 ${event.waitlistCount}` : ''} · 已签到{' '}
        {event.checkedInCount}
      </Text>
      <Text className="staff-item-meta">送花：{flowerPhaseLabels[event.flowerPhase]}</Text>
    </View>
  )
}

/** 联谊活动管理: the events the staff member runs, with 新建活动. */
export function EventAdmin() {
  const { events, status, error, load } = useStaffEventsStore()

  useEffect(() => {
    void load()
  }, [load])
  useDidShow(() => {
    if (useStaffEventsStore.getState().status === 'ready') void load()
  })

  if (status === 'error' && error) return <ErrorState message={error} onRetry={() => void load()} />
  if (status !== 'ready') return <LoadingState />

  return (
    <View className="page staff-events">
      <Button className="btn btn-primary btn-block event-new" onClick={() => go(EVENT_FORM_PAGE)}>
        新建活动
      </Button>
      <Text className="section-title">活动（{events.length}）</Text>
      {events.length === 0 ? <EmptyState text="还没有活动，点上方按钮新建" /> : null}
      {events.map((event) => (
        <EventRow key={event.id} event={event} />
      ))}
    </View>
  )
}
