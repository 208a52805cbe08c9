import { useEffect } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { EmptyState, ErrorState, KeptNotice, LoadingState } from '@/components/page-state'
import { useMyBookingsStore } from '@/features/legal/bookings-store'
import { useMinuteClock } from '@/features/legal/clock'
import { useBookingStore } from '@/features/legal/store'
import { bookedNote } from '@/features/legal/format'
import { legalUrls } from '@/features/legal/urls'
import { BookingCard } from '@/features/legal/components/booking-card'
import { LawyerCard } from '@/features/legal/components/lawyer-card'
import './legal.scss'

/** Props of the booking page. */
export interface BookingViewProps {
  bookingId: number
  /** Just booked: say so. */
  isNew?: boolean
}

/** One booking: time, place and lawyer, the member's description, cancel or rating. */
export function BookingView({ bookingId, isNew }: BookingViewProps) {
  const { bookings, status, error, keptAt, load } = useMyBookingsStore()
  const catalog = useBookingStore()
  const now = useMinuteClock()
  const booking = bookings.find((b) => b.id === bookingId)

  useEffect(() => {
    void load()
    void catalog.load()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [load])

  if (!booking) {
    if (status === 'error' && error) {
      return <ErrorState message={error} onRetry={() => void load()} />
    }
    if (status !== 'ready') return <LoadingState />
    return <EmptyState text="没有找到这条预约" />
  }
  const lawyer = catalog.lawyers.find((l) => l.id === booking.lawyerId)
  const point = catalog.servicePoints.find((p) => p.id === booking.servicePointId)
  return (
    <View className="page legal-booking">
      <KeptNotice keptAt={keptAt} onRetry={() => void load()} />
      {isNew && booking.status === 'booked' ? (
        <Text className="form-success legal-booked">
          {bookedNote(point, booking.lawyerName, booking.phone)}
        </Text>
      ) : null}
      <BookingCard booking={booking} point={point} now={now} detailed />
      {lawyer ? <LawyerCard lawyer={lawyer} /> : null}
      <Button
        className="btn btn-ghost btn-block legal-to-mine"
        onClick={() => void Taro.redirectTo({ url: legalUrls.mine }).catch(() => undefined)}
      >
        查看我的全部预约
      </Button>
    </View>
  )
}
