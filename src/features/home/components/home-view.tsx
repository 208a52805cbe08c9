import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { Member } from '@/contract/auth'
import { ErrorState, KeptNotice } from '@/components/page-state'
import { openPage } from '@/services/navigate'
import { usePointsBalance } from '@/services/points-balance'
import { hasRole } from '@/services/session'
import {
  lawyerEntry,
  memberEntries,
  pointsEntry,
  staffEntry,
  type HomeEntry,
} from '@/features/home/entries'
import { useHomeStore } from '@/features/home/store'
import { HomeReminders } from '@/features/home/components/reminders'
import { HomeTodos } from '@/features/home/components/todo-list'
import './home-view.scss'

/** Props of the home screen. */
export interface HomeViewProps {
  /** The signed-in member (from the session). */
  member: Member
}

function open(entry: HomeEntry) {
  void openPage(entry.url, entry.isTab ? 'tab' : 'navigate')
}

/** 首页: greeting, points balance and the service tiles; loads on each show and on pull-down. */
export function HomeView({ member }: HomeViewProps) {
  const { status, error, keptAt, load } = useHomeStore()
  const points = usePointsBalance((s) => s.summary)

  // Taro shows a page right after mounting it, so this is also the first load (no mount effect:
  // that made two loads on start).
  useDidShow(() => {
    void load()
  })
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  const entries = [
    ...memberEntries,
    ...(hasRole(member, 'lawyer') ? [lawyerEntry] : []),
    ...(hasRole(member, 'staff', 'admin') ? [staffEntry] : []),
  ]

  return (
    <View className="home">
      <View className="home-header">
        <Text className="home-greeting">你好，{member.name}</Text>
        <Text className="home-union">{member.unionName}</Text>
      </View>

      <KeptNotice keptAt={keptAt} onRetry={() => void load()} />

      <View className="home-balance card" onClick={() => open(pointsEntry)}>
        <Text className="home-balance-label">我的积分</Text>
        {status === 'error' && !points ? null : points ? (
          <Text className="home-balance-value">{points.balance}</Text>
        ) : (
          <View className="skeleton home-balance-skeleton">
            <Text className="muted">加载中…</Text>
          </View>
        )}
      </View>

      {status === 'error' && !points && error ? (
        <ErrorState message={error} onRetry={() => void load()} />
      ) : null}

      <HomeTodos />

      <HomeReminders />

      <Text className="section-title">工会服务</Text>
      <View className="home-grid">
        {entries.map((entry) => (
          <View
            key={entry.key}
            className={`home-tile home-tile-${entry.key}`}
            onClick={() => open(entry)}
          >
            <Text className="home-tile-badge">{entry.badge}</Text>
            <Text className="home-tile-title">{entry.title}</Text>
            <Text className="home-tile-note">{entry.note}</Text>
          </View>
        ))}
      </View>
    </View>
  )
}
