import { useEffect } from 'react'
import Taro from '@tarojs/taro'
import { Button, Picker, Text, View } from '@tarojs/components'
import { EmptyState, ErrorState, LoadingState } from '@/components/page-state'
import { formatDate, formatDateTime, inAppZone } from '@/services/time'
import { useStaffBookingsStore } from '@/features/legal/staff/legal-store'
import '@/components/staff-list.scss'
import './legal-staff.scss'

/** The line on the page that explains why descriptions are missing. */
export const CONFIDENTIAL_NOTE = '咨询内容保密，仅会员与律师可见'

const statusLabels = {
  booked: '已预约',
  cancelled: '已取消',
  completed: '已完成',
  no_show: '未到场',
} as const

const links = [
  { key: 'lawyers', title: '律师', url: '/packages/staff/pages/legal-lawyers' },
  { key: 'points', title: '服务点', url: '/packages/staff/pages/legal-points' },
  { key: 'availability', title: '排班', url: '/packages/staff/pages/legal-availability' },
  { key: 'closures', title: '停诊日', url: '/packages/staff/pages/legal-closures' },
]

/**
 * 法律服务 (staff): links to lawyers, service points, weekly availability and closures, and the
 * bookings at the union's service points — who and when, never what the member wrote.
 */
export function LegalBookings() {
  const { date, bookings, total, status, error, load } = useStaffBookingsStore()
  useEffect(() => {
    void load()
  }, [load])

  return (
    <View className="page staff-legal">
      <View className="legal-admin-links">
        {links.map((l) => (
          <View
            key={l.key}
            className={`card legal-admin-link legal-admin-${l.key}`}
            onClick={() => void Taro.navigateTo({ url: l.url }).catch(() => undefined)}
          >
            <Text>{l.title} ›</Text>
          </View>
        ))}
      </View>

      <Text className="section-title">咨询预约{status === 'ready' ? `（${total}）` : ''}</Text>
      <Text className="form-success legal-confidential">{CONFIDENTIAL_NOTE}</Text>
      <View className="legal-admin-date">
        <Picker mode="date" value={date} onChange={(e) => void load(String(e.detail.value))}>
          <View className="picker-value">
            {date ? formatDate(`${date}T12:00:00+08:00`) : '全部日期'} ▾
          </View>
        </Picker>
        {date ? (
          <Button className="btn btn-ghost legal-admin-all" onClick={() => void load('')}>
            全部
          </Button>
        ) : null}
      </View>
      {status === 'error' && error ? (
        <ErrorState message={error} onRetry={() => void load()} />
      ) : status !== 'ready' ? (
        <LoadingState />
      ) : bookings.length === 0 ? (
        <EmptyState text="没有预约" />
      ) : (
        bookings.map((b) => (
          <View key={b.id} className="card staff-legal-booking">
            <View className="staff-legal-booking-head">
              <Text className="staff-tool-title">
                {formatDateTime(b.startsAt)}–{inAppZone(b.endsAt).format('HH:mm')}
              </Text>
              <Text className={`staff-legal-status is-${b.status}`}>{statusLabels[b.status]}</Text>
            </View>
            <Text className="staff-item-meta">
              {b.memberName}（{b.memberNo}，{b.unionName}）
            </Text>
            <Text className="staff-item-meta">
              {b.topicName} · {b.lawyerName} 律师 · {b.servicePointName}
            </Text>
          </View>
        ))
      )}
    </View>
  )
}
