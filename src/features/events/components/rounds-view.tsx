import { useCallback, useEffect, useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { RoundsResponse } from '@/contract/events'
import { ErrorState, LoadingState } from '@/components/page-state'
import { errorMessage } from '@/services/http'
import { getRounds } from '@/services/events'
import './events.scss'

/** Props of 我的分组. */
export interface RoundsViewProps {
  eventId: number
}

/**
 * 我的分组: the group to go to in each round (第 1 轮 → 第 3 组 …). The contract does not say which
 * round is on now, so the first round is highlighted.
 */
export function RoundsView({ eventId }: RoundsViewProps) {
  const [data, setData] = useState<RoundsResponse | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(async () => {
    setError(null)
    try {
      setData(await getRounds(eventId))
    } catch (e) {
      setError(errorMessage(e))
    }
  }, [eventId])

  useEffect(() => {
    void load()
  }, [load])
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  if (error && !data) return <ErrorState message={error} onRetry={() => void load()} />
  if (!data) return <LoadingState />

  if (data.rounds.length === 0) {
    return (
      <View className="page rounds">
        <View className="state rounds-empty">
          <Text>分组还没有公布</Text>
          <Text className="muted">工作人员分好组后，这里会显示你每一轮要去的组。</Text>
          <Button className="btn btn-primary rounds-reload" onClick={() => void load()}>
            刷新
          </Button>
        </View>
      </View>
    )
  }

  const currentRound = data.rounds[0].round
  return (
    <View className="page rounds">
      <View className="card rounds-head">
        <Text className="rounds-title">我的分组</Text>
        <Text className="muted">
          共 {data.rounds.length} 轮 · {data.groupCount} 个组
          {data.cohort === 'stationary'
            ? ' · 你每轮都留在本组，迎接新朋友'
            : data.cohort === 'rotating'
              ? ' · 每轮结束后请按下表换到下一组'
              : ''}
        </Text>
      </View>
      {data.rounds.map(({ round, group }) => (
        <View
          key={round}
          className={round === currentRound ? 'card round-row is-current' : 'card round-row'}
        >
          <Text className="round-name">第 {round} 轮</Text>
          <Text className="round-arrow">→</Text>
          <Text className="round-group">第 {group} 组</Text>
          {round === currentRound ? <Text className="round-now">从这里开始</Text> : null}
        </View>
      ))}
    </View>
  )
}
