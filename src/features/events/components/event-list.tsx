import { useEffect } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { flowersPerAttendee, type MemberEvent } from '@/contract/events'
import { EmptyState, ErrorState, KeptNotice, LoadingState } from '@/components/page-state'
import { openPage } from '@/services/navigate'
import {
  eventTimeText,
  hostNames,
  signupWindow,
  signupWindowLabels,
} from '@/features/events/labels'
import { placesText, registrationLabel } from '@/features/events/format'
import { useEventsStore } from '@/features/events/store'
import { eventUrls } from '@/features/events/urls'
import './events.scss'

function EventCard({ event }: { event: MemberEvent }) {
  const signup = signupWindow(event)
  const mine = event.myRegistration
  const showMine = mine && mine.status !== 'cancelled'
  return (
    <View className="card event-card" onClick={() => void openPage(eventUrls.event(event.id))}>
      <View className="event-card-head">
        <Text className="event-card-title">{event.title}</Text>
        <Text className={`signup-badge is-${signup.replace('_', '-')}`}>
          {signupWindowLabels[signup]}
        </Text>
      </View>
      <Text className="event-meta">主办：{hostNames(event)}</Text>
      <Text className="event-meta">时间：{eventTimeText(event.startsAt, event.endsAt)}</Text>
      <Text className="event-meta">地点：{event.venue}</Text>
      <View className="event-card-foot">
        <Text className="event-places">{placesText(event)}</Text>
        {showMine ? (
          <Text className={`registration-badge is-${mine.status}`}>{registrationLabel(mine)}</Text>
        ) : null}
      </View>
    </View>
  )
}

/** 联谊活动: the mixers the member may join, with their sign-up state and places left. */
export function EventList() {
  const { events, status, error, keptAt, load } = useEventsStore()

  useEffect(() => {
    void load()
  }, [load])
  useDidShow(() => {
    if (useEventsStore.getState().status === 'ready') void load()
  })
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  if (status === 'error' && error) return <ErrorState message={error} onRetry={() => void load()} />
  if (status !== 'ready') return <LoadingState />

  return (
    <View className="page events">
      <KeptNotice keptAt={keptAt} onRetry={() => void load()} />
      <View className="events-intro">
        <Text className="events-intro-title">青年职工联谊</Text>
        <Text className="events-intro-text">
          多家工会联合举办，现场分组交流；活动最后每人有 {flowersPerAttendee} 朵鲜花，送给心仪的人。
        </Text>
      </View>
      {events.length === 0 ? (
        <EmptyState text="暂时没有可报名的联谊活动" />
      ) : (
        events.map((event) => <EventCard key={event.id} event={event} />)
      )}
    </View>
  )
}
