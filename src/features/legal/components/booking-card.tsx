import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import type { MemberBooking, ServicePoint } from '@/contract/legal'
import { PlaceActions } from '@/components/place-actions'
import { useMyBookingsStore } from '@/features/legal/bookings-store'
import {
  bookingStatusLabels,
  callNote,
  placeNote,
  ratingText,
  slotTimeText,
} from '@/features/legal/format'
import { cancelWindow, TOO_LATE_NOTE } from '@/features/legal/rules'
import { IS_WEAPP, addToCalendar } from '@/services/device'
import { ActedByStaff } from '@/components/acted-by-staff'

/** Props of a booking card. */
export interface BookingCardProps {
  booking: MemberBooking
  /** The booking's service point, for its address (when known). */
  point?: ServicePoint
  now: number
  /** Show the description and phone (the booking page), not only the summary (the list). */
  detailed?: boolean
  onOpen?: () => void
}

async function askCancel(booking: MemberBooking, now: number) {
  const { confirm } = await Taro.showModal({
    title: '取消预约',
    content: `确定取消 ${slotTimeText(booking.startsAt, booking.endsAt, now)} 的咨询吗？取消后时段会让给其他会员。`,
    confirmText: '取消预约',
    confirmColor: '#d4380d',
    cancelText: '不取消',
  })
  if (!confirm) return
  const ok = await useMyBookingsStore.getState().cancel(booking.id)
  if (ok) Taro.showToast({ title: '已取消', icon: 'success' }).catch(() => undefined)
}

/**
 * Five stars to tap, each a radio named by its meaning (「4 星（满意）」), and the choice said in
 * words under them: the lit stars' colour is never the only sign of what is chosen.
 */
function Stars({ value, onChange }: { value: number; onChange: (stars: number) => void }) {
  return (
    <View className="stars-field">
      <View className="stars" role="radiogroup" aria-label="评分">
        {[1, 2, 3, 4, 5].map((n) => (
          <View
            key={n}
            className={`star star-${n}${n <= value ? ' is-on' : ''}`}
            role="radio"
            aria-checked={n === value}
            aria-label={ratingText(n)}
            onClick={() => onChange(n)}
          >
            ★
          </View>
        ))}
      </View>
      <View className={value ? 'stars-chosen is-chosen' : 'stars-chosen'} role="status">
        {value ? `已选 ${ratingText(value)}` : '点星星打分：1 星很不满意，5 星非常满意'}
      </View>
    </View>
  )
}

function RatingForm({ booking }: { booking: MemberBooking }) {
  const busy = useMyBookingsStore((s) => s.busyId === booking.id)
  const [stars, setStars] = useState(0)
  const [comment, setComment] = useState('')
  const [error, setError] = useState<string | null>(null)
  const send = async () => {
    if (stars < 1) {
      setError('请先点选 1–5 颗星')
      return
    }
    setError(null)
    const ok = await useMyBookingsStore
      .getState()
      .rate(booking.id, { stars, ...(comment.trim() ? { comment: comment.trim() } : {}) })
    if (ok) Taro.showToast({ title: '感谢评价', icon: 'success' }).catch(() => undefined)
  }
  return (
    <View className="booking-rating">
      <Text className="booking-line">这次咨询对你有帮助吗？</Text>
      <Stars value={stars} onChange={(n) => (setStars(n), setError(null))} />
      <Input
        className="input rating-comment"
        value={comment}
        maxlength={200}
        placeholder="想对律师说的话（选填）"
        onInput={(e) => (setComment(e.detail.value), setError(null))}
      />
      {error ? <Text className="field-error">{error}</Text> : null}
      <Button
        className={`btn btn-primary btn-block rating-send${busy ? ' is-busy' : ''}`}
        disabled={busy || undefined}
        onClick={() => !busy && void send()}
      >
        {busy ? '提交中…' : '提交评价'}
      </Button>
    </View>
  )
}

/**
 * One of the member's bookings: time, place, lawyer and state; 取消预约 until 2 hours before (then
 * a line says why it is gone); the rating once the lawyer marked it completed.
 */
export function BookingCard({ booking, point, now, detailed, onOpen }: BookingCardProps) {
  const busy = useMyBookingsStore((s) => s.busyId === booking.id)
  const actionError = useMyBookingsStore((s) =>
    s.actionError?.id === booking.id ? s.actionError.message : null,
  )
  const cancelState = booking.status === 'booked' ? cancelWindow(booking.startsAt, now) : null
  return (
    <View className={`card booking-card is-${booking.status}`} data-id={booking.id}>
      <View className="booking-card-head" onClick={onOpen}>
        <Text className="booking-time">{slotTimeText(booking.startsAt, booking.endsAt, now)}</Text>
        <Text className={`booking-status is-${booking.status}`}>
          {bookingStatusLabels[booking.status]}
        </Text>
      </View>
      <View onClick={onOpen}>
        <Text className="booking-line booking-topic">{booking.topicName}</Text>
        <ActedByStaff when={booking.actedByStaff} />
        <Text className="booking-line booking-place">
          {booking.servicePointName}
          {point && placeNote(point) ? `（${placeNote(point)}）` : ''}
        </Text>
        <Text className="booking-line booking-lawyer">接待律师：{booking.lawyerName}</Text>
      </View>
      {detailed && point ? (
        <PlaceActions
          name={point.name}
          phone={point.phone}
          location={point.location}
          address={point.address}
        />
      ) : null}
      {detailed ? (
        <View>
          <Text className="booking-line">联系电话：{booking.phone}</Text>
          {point?.kind === 'online' && booking.status === 'booked' ? (
            <Text className="booking-line legal-call-note">
              {callNote(point, booking.lawyerName, booking.phone)}
            </Text>
          ) : null}
          <Text className="booking-description">{booking.description}</Text>
          <Text className="legal-private">仅你和接待律师可见，工会工作人员看不到</Text>
          {IS_WEAPP && booking.status === 'booked' ? (
            <Button
              className="btn btn-ghost booking-calendar"
              onClick={() =>
                addToCalendar({
                  title: `法律咨询：${booking.topicName}`,
                  startsAt: booking.startsAt,
                  endsAt: booking.endsAt,
                  description: `接待律师：${booking.lawyerName}`,
                  location: point?.address ?? booking.servicePointName,
                })
              }
            >
              添加到日历
            </Button>
          ) : null}
        </View>
      ) : null}
      {actionError ? <Text className="form-error booking-error">{actionError}</Text> : null}
      {cancelState === 'ok' ? (
        <View className="booking-actions">
          <Button
            className={`btn btn-ghost booking-cancel${busy ? ' is-busy' : ''}`}
            disabled={busy || undefined}
            onClick={() => !busy && void askCancel(booking, now).catch(() => undefined)}
          >
            {busy ? '取消中…' : '取消预约'}
          </Button>
        </View>
      ) : cancelState === 'too_late' ? (
        <Text className="booking-late-note">{TOO_LATE_NOTE}</Text>
      ) : null}
      {booking.status === 'completed' && booking.ratingStars === null ? (
        <RatingForm booking={booking} />
      ) : null}
      {booking.ratingStars !== null ? (
        <View className="rating-shown">
          <Text>
            我的评价：<Text aria-hidden="true">{'★'.repeat(booking.ratingStars)}</Text>{' '}
            {ratingText(booking.ratingStars)}
          </Text>
          {booking.ratingComment ? <Text>　{booking.ratingComment}</Text> : null}
        </View>
      ) : null}
    </View>
  )
}
