import { useEffect } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { openPage } from '@/services/navigate'
import { useMyBookingsStore } from '@/features/legal/bookings-store'
import { LIMIT_HINT, LIMIT_NOTE, upcomingCount } from '@/features/legal/rules'
import { maxUpcomingBookings } from '@/contract/legal'
import { legalUrls } from '@/features/legal/urls'
import './legal.scss'

/**
 * Whether the member already holds the most upcoming bookings (read from 我的预约, loaded here):
 * then the booking pages say so before anything is filled in, instead of refusing at the end.
 * While the list is unknown (loading, offline) nobody is held back: the server still refuses.
 */
export function useAtBookingLimit(now: number): boolean {
  const { bookings, status, load } = useMyBookingsStore()
  useEffect(() => {
    void load()
  }, [load])
  return status === 'ready' && upcomingCount(bookings, now) >= maxUpcomingBookings
}

/** 「您已有 2 个未完成预约」 with the way to them. */
export function BookingLimitNotice() {
  return (
    <View className="card legal-limit">
      <Text className="legal-limit-title">{LIMIT_NOTE}</Text>
      <Text className="legal-limit-hint">{LIMIT_HINT}</Text>
      <Button
        className="btn btn-primary btn-block legal-limit-mine"
        onClick={() => void openPage(legalUrls.mine)}
      >
        查看我的预约
      </Button>
    </View>
  )
}
