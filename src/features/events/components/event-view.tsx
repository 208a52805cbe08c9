import { useEffect } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { MemberEvent, MyRegistration } from '@/contract/events'
import { EmptyState, ErrorState, KeptNotice, LoadingState } from '@/components/page-state'
import { PlaceActions } from '@/components/place-actions'
import { openPage } from '@/services/navigate'
import {
  eventTimeText,
  genderLabels,
  hostNames,
  signupWindow,
  signupWindowLabels,
  signupWindowText,
} from '@/features/events/labels'
import { formatDateTime } from '@/services/time'
import { IS_WEAPP, addToCalendar } from '@/services/device'
import { birthYearRangeText, placesText } from '@/features/events/format'
import { useEventStore } from '@/features/events/event-store'
import { eventUrls } from '@/features/events/urls'
import { SignupForm } from '@/features/events/components/signup-form'
import { CheckinPanel } from '@/features/events/components/checkin-panel'
import { ActedByStaff } from '@/components/acted-by-staff'
import './events.scss'

/** Props of the event page. */
export interface EventViewProps {
  eventId: number
}

function go(url: string) {
  void openPage(url)
}

async function confirmCancel(registration: MyRegistration) {
  const content =
    registration.status === 'waitlisted'
      ? '取消后你将退出候补队列，排在你后面的人会依次前移。如需参加，需要重新报名。'
      : '取消后你的名额会自动让给候补队列中的第一位，且不能恢复。如需参加，需要重新报名（名额已满时只能候补）。'
  const { confirm } = await Taro.showModal({
    title: '取消报名',
    content,
    confirmText: '确定取消',
    confirmColor: '#d4380d',
    cancelText: '再想想',
  })
  if (confirm) await useEventStore.getState().cancel()
}

function EventInfo({ event }: { event: MemberEvent }) {
  const signup = signupWindow(event)
  const range = birthYearRangeText(event)
  return (
    <View className="card event-info">
      <View className="event-card-head">
        <Text className="event-title">{event.title}</Text>
        <Text className={`signup-badge is-${signup.replace('_', '-')}`}>
          {signupWindowLabels[signup]}
        </Text>
      </View>
      {event.description ? <Text className="event-desc">{event.description}</Text> : null}
      <View className="event-row">
        <Text className="event-row-key">主办</Text>
        <Text className="event-row-val">{hostNames(event)}</Text>
      </View>
      <View className="event-row">
        <Text className="event-row-key">时间</Text>
        <Text className="event-row-val">{eventTimeText(event.startsAt, event.endsAt)}</Text>
      </View>
      <View className="event-row">
        <Text className="event-row-key">地点</Text>
        <Text className="event-row-val">{event.venue}</Text>
      </View>
      <PlaceActions name={event.venue} location={event.venueLocation} />
      {IS_WEAPP ? (
        <Button
          className="btn btn-ghost event-calendar"
          onClick={() =>
            addToCalendar({
              title: event.title,
              startsAt: event.startsAt,
              endsAt: event.endsAt,
              location: event.venue,
            })
          }
        >
          添加到日历
        </Button>
      ) : null}
      <View className="event-row">
        <Text className="event-row-key">报名时间</Text>
        <Text className="event-row-val">
          {signupWindowText(event.signupOpensAt, event.signupClosesAt)}
        </Text>
      </View>
      <View className="event-row">
        <Text className="event-row-key">名额</Text>
        <Text className="event-row-val event-places">{placesText(event)}</Text>
      </View>
      {event.waitlistCount > 0 ? (
        <View className="event-row">
          <Text className="event-row-key">候补</Text>
          <Text className="event-row-val">{event.waitlistCount} 人</Text>
        </View>
      ) : null}
      {range ? (
        <View className="event-row">
          <Text className="event-row-key">报名条件</Text>
          <Text className="event-row-val">{range}</Text>
        </View>
      ) : null}
    </View>
  )
}

function RegistrationCard({
  registration,
  cancelling,
}: {
  registration: MyRegistration
  cancelling: boolean
}) {
  const { status, waitlistPosition, checkedIn, profile } = registration
  return (
    <View className={`card registration is-${status}`}>
      <ActedByStaff when={registration.actedByStaff} />
      {status === 'confirmed' ? (
        <>
          <Text className="registration-state">{checkedIn ? '已签到' : '报名成功'}</Text>
          <Text className="registration-note">
            {checkedIn
              ? `签到时间 ${registration.checkedInAt ? formatDateTime(registration.checkedInAt) : ''}，祝你今天收获满满！`
              : '你的名额已保留，请按时到场签到。'}
          </Text>
        </>
      ) : (
        <>
          <Text className="registration-state">候补中 第 {waitlistPosition ?? '—'} 位</Text>
          <Text className="registration-note">
            有人取消报名时，候补队列中的第一位会自动递补为报名成功，无需再次操作。
          </Text>
        </>
      )}
      <Text className="muted registration-profile">
        {profile.nickname} · {genderLabels[profile.gender]} · {profile.birthYear} 年
      </Text>
      <Text className="muted registration-visibility">
        {profile.showDetails
          ? '其他参加者能看到你的昵称、自我介绍、性别和出生年份。'
          : '其他参加者只能看到你的昵称和自我介绍。'}
      </Text>
      {!checkedIn ? (
        <Button
          className={
            cancelling
              ? 'btn btn-ghost btn-block registration-cancel is-busy'
              : 'btn btn-ghost btn-block registration-cancel'
          }
          disabled={cancelling || undefined}
          onClick={() => !cancelling && void confirmCancel(registration).catch(() => undefined)}
        >
          {cancelling ? '取消中…' : '取消报名'}
        </Button>
      ) : null}
    </View>
  )
}

/**
 * One mixer: details, the member's registration (报名成功 / 候补中 第 N 位 / 已签到) with cancel,
 * the sign-up form while the window is open, check-in at the venue, and the ways to 我的分组 and 送花.
 */
export function EventView({ eventId }: EventViewProps) {
  const { event, registration, status, error, keptAt, busy, load } = useEventStore()
  const current = useEventStore((s) => s.eventId === eventId)

  useEffect(() => {
    void load(eventId)
  }, [load, eventId])
  useDidShow(() => {
    if (useEventStore.getState().status === 'ready') void load(eventId)
  })
  usePullDownRefresh(() => {
    void load(eventId).finally(() => Taro.stopPullDownRefresh())
  })

  if (!current || status === 'idle' || status === 'loading') return <LoadingState />
  if (status === 'error' && error) {
    return <ErrorState message={error} onRetry={() => void load(eventId)} />
  }
  if (!event) return <EmptyState text="活动不存在或你不在受邀范围内" />

  const active = registration && registration.status !== 'cancelled' ? registration : null
  const signup = signupWindow(event)

  return (
    <View className="page event-page">
      <KeptNotice keptAt={keptAt} onRetry={() => void load(eventId)} />
      <EventInfo event={event} />

      {active ? <RegistrationCard registration={active} cancelling={busy === 'cancel'} /> : null}

      {active?.status === 'confirmed' && !active.checkedIn ? (
        <CheckinPanel registration={active} event={event} />
      ) : null}

      {active?.checkedIn ? (
        <View className="card event-links">
          <Button
            className="btn btn-primary btn-block event-rounds-link"
            onClick={() => go(eventUrls.rounds(event.id))}
          >
            我的分组
          </Button>
          <Button
            className="btn btn-ghost btn-block event-flowers-link"
            onClick={() => go(eventUrls.flowers(event.id))}
          >
            送花
          </Button>
        </View>
      ) : null}

      {!active && signup === 'open' ? (
        <>
          {registration?.status === 'cancelled' ? (
            <Text className="muted event-cancelled-note">你已取消报名，如需参加可以重新报名。</Text>
          ) : null}
          <SignupForm event={event} />
        </>
      ) : null}
      {!active && signup === 'not_started' ? (
        <EmptyState text={`报名将于 ${formatDateTime(event.signupOpensAt)} 开始，届时再来报名吧`} />
      ) : null}
      {!active && signup === 'closed' ? <EmptyState text="报名已截止，感谢关注" /> : null}
    </View>
  )
}
