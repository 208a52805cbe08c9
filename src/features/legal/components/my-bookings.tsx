import { useEffect } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { MemberBooking } from '@/contract/legal'
import { EmptyState, ErrorState, KeptNotice, LoadingState } from '@/components/page-state'
import { openPage } from '@/services/navigate'
import { useMyBookingsStore } from '@/features/legal/bookings-store'
import { useMinuteClock } from '@/features/legal/clock'
import { useBookingStore } from '@/features/legal/store'
import { legalUrls } from '@/features/legal/urls'
import { BookingCard } from '@/features/legal/components/booking-card'
import './legal.scss'

/** Whether a booking is still ahead (booked and not over). */
export function isUpcoming(booking: MemberBooking, now: number): boolean {
  return booking.status === 'booked' && Date.parse(booking.endsAt) > now
}

/** 我的预约: upcoming bookings (soonest first), then past and cancelled ones. */
export function MyBookings() {
  const { bookings, status, error, keptAt, load } = useMyBookingsStore()
  const catalog = useBookingStore()
  const now = useMinuteClock()

  useEffect(() => {
    void load()
    void catalog.load()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [load])
  useDidShow(() => {
    if (useMyBookingsStore.getState().status === 'ready') void load()
  })
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  if (status === 'error' && error) return <ErrorState message={error} onRetry={() => void load()} />
  if (status !== 'ready') return <LoadingState />

  const upcoming = bookings
    .filter((b) => isUpcoming(b, now))
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))
  const past = bookings
    .filter((b) => !isUpcoming(b, now))
    .sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt))
  const card = (b: MemberBooking) => (
    <BookingCard
      key={b.id}
      booking={b}
      point={catalog.servicePoints.find((p) => p.id === b.servicePointId)}
      now={now}
      onOpen={() => void openPage(legalUrls.booking(b.id))}
    />
  )

  return (
    <View className="page legal-mine">
      <KeptNotice keptAt={keptAt} onRetry={() => void load()} />
      <Text className="section-title">即将进行（{upcoming.length}）</Text>
      {upcoming.length === 0 ? (
        <View>
          <EmptyState text="暂时没有待进行的咨询" />
          <Button
            className="btn btn-primary btn-block legal-new"
            onClick={() => void openPage(legalUrls.choose)}
          >
            预约律师
          </Button>
        </View>
      ) : (
        upcoming.map(card)
      )}
      {past.length ? <Text className="section-title">历史预约</Text> : null}
      {past.map(card)}
    </View>
  )
}
