import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { roundsResponse, type RoundsResponse } from '@/contract/events'
import { ErrorState, KeptNotice, LoadingState } from '@/components/page-state'
import { errorMessage } from '@/services/http'
import { fetchKept } from '@/services/loadable'
import { getRounds } from '@/services/events'
import { usePolling } from '@/features/events/use-polling'
import './events.scss'

/** Props of 我的分组. */
export interface RoundsViewProps {
  eventId: number
}

/**
 * 我的分组: the group to go to in each round (第 1 轮 → 第 3 组 …), the round the organiser says
 * is on now highlighted with where to go now. Asks again every few seconds while shown, so the
 * groups appear and the highlight moves on without 刷新.
 */
export function RoundsView({ eventId }: RoundsViewProps) {
  const [data, setData] = useState<RoundsResponse | null>(null)
  const [error, setError] = useState<string | null>(null)
  /** When what is shown was loaded, if the network could not refresh it (null: fresh). */
  const [keptAt, setKeptAt] = useState<number | null>(null)
  /** When the data on screen was loaded (the server's answer, or the device's copy). */
  const shownAt = useRef<number | null>(null)

  /**
   * Asks for the groups; without an answer the device's copy is shown (first load) or what is
   * shown stays, with the notice of its time. `quiet` (the live refresh): any failure keeps what
   * is shown without a word (the next tick tries again).
   */
  const ask = useCallback(
    async (quiet: boolean) => {
      const startedAt = Date.now()
      if (!quiet) setError(null)
      try {
        const kept = await fetchKept(`rounds:${eventId}`, roundsResponse, () => getRounds(eventId))
        if (kept.keptAt !== null && shownAt.current !== null) {
          setKeptAt(shownAt.current)
          return
        }
        shownAt.current = kept.keptAt ?? startedAt
        setData(kept.data)
        setKeptAt(kept.keptAt)
        setError(null)
      } catch (e) {
        if (quiet) return
        if (shownAt.current === null) setError(errorMessage(e))
        else Taro.showToast({ title: errorMessage(e), icon: 'none' }).catch(() => undefined)
      }
    },
    [eventId],
  )
  const load = useCallback(() => ask(false), [ask])
  // Live: a failed ask keeps what is shown (the next one tries again).
  const refresh = useCallback(() => ask(true), [ask])

  useEffect(() => {
    void load()
  }, [load])
  usePolling(refresh)
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  if (error && !data) return <ErrorState message={error} onRetry={() => void load()} />
  if (!data) return <LoadingState />

  const notice = <KeptNotice keptAt={keptAt} onRetry={() => void load()} />
  if (data.rounds.length === 0) {
    return (
      <View className="page rounds">
        {notice}
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

  const now = data.rounds.find((r) => r.round === data.currentRound) ?? null
  return (
    <View className="page rounds">
      {notice}
      {now ? (
        <View className="card rounds-now">
          <Text className="rounds-now-round">现在是第 {now.round} 轮</Text>
          <Text className="rounds-now-group">请到第 {now.group} 组</Text>
          {now.round < data.rounds.length ? (
            <Text className="muted">工作人员宣布下一轮后，这里会自动更新</Text>
          ) : (
            <Text className="muted">这是最后一轮</Text>
          )}
        </View>
      ) : (
        <View className="card rounds-now rounds-now-waiting">
          <Text className="muted">等待工作人员宣布开始，开始后这里会显示你现在要去的组</Text>
        </View>
      )}
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
      {data.rounds.map(({ round, group }) => {
        const current = round === data.currentRound
        const done = data.currentRound !== null && round < data.currentRound
        return (
          <View
            key={round}
            className={
              current
                ? 'card round-row is-current'
                : done
                  ? 'card round-row is-done'
                  : 'card round-row'
            }
          >
            <Text className="round-name">第 {round} 轮</Text>
            <Text className="round-arrow">→</Text>
            <Text className="round-group">第 {group} 组</Text>
            {current ? <Text className="round-now">现在</Text> : null}
            {done ? <Text className="round-done">已结束</Text> : null}
          </View>
        )
      })}
    </View>
  )
}
