import { useEffect, useMemo, useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Button, Picker, ScrollView, Text, Textarea, View } from '@tarojs/components'
import type { LawyerBooking } from '@/contract/legal'
import { EmptyState, ErrorState, LoadingState } from '@/components/page-state'
import { formatDate, inAppZone } from '@/services/time'
import { useMinuteClock } from '@/features/legal/clock'
import { bookingStatusLabels, clockText, ratingText } from '@/features/legal/format'
import { useLawyerDayStore } from '@/features/legal/lawyer-store'
import { dayStrip } from '@/features/legal/rules'
import { IS_WEAPP, callPhone } from '@/services/device'
import './legal.scss'

async function askOutcome(booking: LawyerBooking, status: 'completed' | 'no_show', notes: string) {
  const { confirm } = await Taro.showModal({
    title: status === 'completed' ? '标记为已完成' : '标记为未到场',
    content:
      status === 'completed'
        ? `确认与 ${booking.memberName} 的咨询已完成吗？会员随后可以评价。`
        : `确认 ${booking.memberName} 未到场吗？`,
    confirmText: '确认',
    confirmColor: '#d4380d',
    cancelText: '取消',
  })
  if (!confirm) return
  const trimmed = notes.trim()
  const ok = await useLawyerDayStore
    .getState()
    .record(booking.id, { status, ...(trimmed ? { notes: trimmed } : {}) })
  if (ok) Taro.showToast({ title: '已记录', icon: 'success' }).catch(() => undefined)
}

function LawyerBookingCard({ booking, now }: { booking: LawyerBooking; now: number }) {
  const busy = useLawyerDayStore((s) => s.busyId === booking.id)
  const actionError = useLawyerDayStore((s) =>
    s.actionError?.id === booking.id ? s.actionError.message : null,
  )
  const [notes, setNotes] = useState(booking.notes ?? '')
  const started = Date.parse(booking.startsAt) <= now

  return (
    <View className={`card booking-card lawyer-booking is-${booking.status}`}>
      <View className="booking-card-head">
        <Text className="booking-time">
          {clockText(booking.startsAt)}–{clockText(booking.endsAt)}
        </Text>
        <Text className={`booking-status is-${booking.status}`}>
          {bookingStatusLabels[booking.status]}
        </Text>
      </View>
      <Text className="booking-line booking-topic">{booking.topicName}</Text>
      <View className="booking-line lawyer-contact">
        <Text>
          {booking.memberName} · {booking.phone}
        </Text>
        {IS_WEAPP ? (
          <Text className="lawyer-call" onClick={() => callPhone(booking.phone)}>
            拨打
          </Text>
        ) : null}
      </View>
      <Text className="booking-line muted">{booking.servicePointName}</Text>
      {booking.status !== 'cancelled' ? (
        <Text className="booking-description lawyer-description">{booking.description}</Text>
      ) : null}
      {booking.ratingStars !== null ? (
        <Text className="rating-shown">
          会员评价：<Text aria-hidden="true">{'★'.repeat(booking.ratingStars)}</Text>{' '}
          {ratingText(booking.ratingStars)}
        </Text>
      ) : null}
      {actionError ? <Text className="form-error">{actionError}</Text> : null}
      {booking.status !== 'cancelled' ? (
        <View className="field lawyer-notes-field">
          <Text className="field-label">我的备注（仅自己可见）</Text>
          <Textarea
            className="textarea lawyer-notes"
            value={notes}
            maxlength={2000}
            placeholder={
              started ? '咨询要点、后续建议，可随时保存和修改' : '咨询要点、后续建议，开始后可保存'
            }
            onInput={(e) => setNotes(e.detail.value)}
          />
          {started ? (
            <Button
              className={`btn btn-ghost btn-block lawyer-save-notes${busy ? ' is-busy' : ''}`}
              disabled={busy || notes.trim() === (booking.notes ?? '') || undefined}
              onClick={() => {
                if (busy) return
                void useLawyerDayStore
                  .getState()
                  .saveNotes(booking.id, notes)
                  .then((ok) => {
                    if (ok)
                      Taro.showToast({ title: '备注已保存', icon: 'success' }).catch(
                        () => undefined,
                      )
                  })
              }}
            >
              {notes.trim() === (booking.notes ?? '') && booking.notes ? '备注已保存' : '保存备注'}
            </Button>
          ) : null}
        </View>
      ) : null}
      {booking.status === 'booked' ? (
        started ? (
          <View className="booking-actions">
            <Button
              className={`btn btn-primary lawyer-completed${busy ? ' is-busy' : ''}`}
              disabled={busy || undefined}
              onClick={() =>
                !busy && void askOutcome(booking, 'completed', notes).catch(() => undefined)
              }
            >
              已完成
            </Button>
            <Button
              className={`btn btn-ghost lawyer-no-show${busy ? ' is-busy' : ''}`}
              disabled={busy || undefined}
              onClick={() =>
                !busy && void askOutcome(booking, 'no_show', notes).catch(() => undefined)
              }
            >
              未到场
            </Button>
          </View>
        ) : (
          <Text className="booking-late-note">咨询开始后可以保存备注、记录结果</Text>
        )
      ) : null}
    </View>
  )
}

/** 律师工作台: a day strip (or any date), the day's bookings with descriptions, outcome and notes. */
export function LawyerDay() {
  const { date, bookings, status, error, load, setDate } = useLawyerDayStore()
  const now = useMinuteClock()
  // Yesterday to two weeks ahead in the strip; the picker reaches any day.
  const days = useMemo(() => dayStrip(now, 16, -1), [now])

  useEffect(() => {
    void load()
  }, [load])
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  return (
    <View className="page lawyer-day">
      <ScrollView scrollX className="day-strip" enableFlex>
        {days.map((day) => (
          <View
            key={day.date}
            className={`day-chip${day.date === date ? ' is-on' : ''}`}
            data-date={day.date}
            onClick={() => void setDate(day.date)}
          >
            <Text className="day-chip-label">{day.label}</Text>
            <Text className="day-chip-date">{day.short}</Text>
          </View>
        ))}
      </ScrollView>
      <Picker mode="date" value={date} onChange={(e) => void setDate(String(e.detail.value))}>
        <View className="picker-value lawyer-date">
          {formatDate(`${date}T12:00:00+08:00`)} 周
          {'日一二三四五六'[inAppZone(`${date}T12:00:00+08:00`).day()]} ▾
        </View>
      </Picker>
      <Text className="section-title">当天预约（{bookings.length}）</Text>
      {status === 'error' && error ? (
        <ErrorState message={error} onRetry={() => void load()} />
      ) : status !== 'ready' ? (
        <LoadingState />
      ) : bookings.length === 0 ? (
        <EmptyState text="这一天没有预约" />
      ) : (
        bookings.map((b) => <LawyerBookingCard key={b.id} booking={b} now={now} />)
      )}
    </View>
  )
}
