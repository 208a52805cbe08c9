import { useEffect } from 'react'
import { Text, View } from '@tarojs/components'
import type { StaffRegistration } from '@/contract/events'
import { EmptyState, ErrorState, LoadingState } from '@/components/page-state'
import { genderLabels } from '@/features/events/labels'
import { useEventDeskStore } from '@/features/events/staff/event-desk-store'

function Row({ r, note }: { r: StaffRegistration; note: string }) {
  return (
    <View className="signup-row">
      <View className="signup-row-main">
        <Text className="signup-row-name">
          {r.memberName}（{r.memberNo}）
        </Text>
        <Text className="staff-item-meta">
          {r.nickname} · {genderLabels[r.gender]} · {r.birthYear} 年 · {r.unionName}
        </Text>
      </View>
      <Text className={`signup-row-note is-${r.checkedIn ? 'checked-in' : r.status}`}>{note}</Text>
    </View>
  )
}

/** 报名名单: the confirmed in sign-up order, then the waitlist in its order, then the cancelled. */
export function EventSignups() {
  const { registrations, loadRegistrations } = useEventDeskStore()

  useEffect(() => {
    void loadRegistrations()
  }, [loadRegistrations])

  if (registrations.status === 'error' && registrations.error) {
    return <ErrorState message={registrations.error} onRetry={() => void loadRegistrations()} />
  }
  if (!registrations.data) return <LoadingState />

  const all = registrations.data
  const confirmed = all.filter((r) => r.status === 'confirmed')
  const waitlist = all
    .filter((r) => r.status === 'waitlisted')
    .sort((a, b) => (a.waitlistPosition ?? 0) - (b.waitlistPosition ?? 0))
  const cancelled = all.filter((r) => r.status === 'cancelled')

  return (
    <View>
      <View className="card">
        <Text className="section-title">报名成功（{confirmed.length}）</Text>
        {confirmed.length === 0 ? <EmptyState text="还没有人报名" /> : null}
        {confirmed.map((r, i) => (
          <Row key={r.id} r={r} note={r.checkedIn ? '已签到' : `第 ${i + 1} 位`} />
        ))}
      </View>
      <View className="card">
        <Text className="section-title">候补（{waitlist.length}）</Text>
        {waitlist.length === 0 ? <Text className="muted">暂无候补</Text> : null}
        {waitlist.map((r) => (
          <Row key={r.id} r={r} note={`候补第 ${r.waitlistPosition ?? '—'} 位`} />
        ))}
      </View>
      {cancelled.length ? (
        <View className="card">
          <Text className="section-title">已取消（{cancelled.length}）</Text>
          {cancelled.map((r) => (
            <Row key={r.id} r={r} note="已取消" />
          ))}
        </View>
      ) : null}
    </View>
  )
}
