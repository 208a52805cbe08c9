import { useEffect } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { flowersPerAttendee } from '@/contract/events'
import { ErrorState, LoadingState } from '@/components/page-state'
import { flowerPhaseLabels } from '@/features/events/labels'
import { useEventDeskStore } from '@/features/events/staff/event-desk-store'

async function confirmPhase(open: boolean) {
  const { confirm } = await Taro.showModal(
    open
      ? {
          title: '开启送花',
          content: `开启后，每位已签到的参与者有 ${flowersPerAttendee} 朵花，可以送给其他已签到的参与者。`,
          confirmText: '开启送花',
          confirmColor: '#d4380d',
          cancelText: '取消',
        }
      : {
          title: '结束送花并揭晓',
          content:
            '结束后不能再送花，也不能重新开启；所有互相送花的“牵手成功”会同时向每位参与者揭晓。确定结束吗？',
          // showModal allows at most 4 Chinese characters here.
          confirmText: '结束揭晓',
          confirmColor: '#d4380d',
          cancelText: '取消',
        },
  )
  if (confirm) await useEventDeskStore.getState().setPhase(open)
}

/**
 * 送花: open and close the flower phase (closing reveals every match at once), totals, and the
 * matched pairs for the souvenirs — never one-sided flowers.
 */
export function EventFlowersAdmin() {
  const { event, matches, loadMatches, busy } = useEventDeskStore()
  const phase = event.data?.flowerPhase
  const sending = busy === 'phase'

  useEffect(() => {
    void loadMatches()
  }, [loadMatches, phase])

  if (!event.data) return <LoadingState />

  return (
    <View>
      <View className="card flower-phase">
        <Text className="section-title">送花环节</Text>
        <Text className={`flower-phase-state is-${event.data.flowerPhase}`}>
          {flowerPhaseLabels[event.data.flowerPhase]}
        </Text>
        {phase === 'not_open' ? (
          <>
            <Text className="muted">
              开启后，已签到的 {event.data.checkedInCount} 位参与者每人有 {flowersPerAttendee}{' '}
              朵花可送。
            </Text>
            <Button
              className={
                sending
                  ? 'btn btn-primary btn-block phase-open is-busy'
                  : 'btn btn-primary btn-block phase-open'
              }
              disabled={sending || undefined}
              onClick={() => !sending && void confirmPhase(true).catch(() => undefined)}
            >
              {sending ? '开启中…' : '开启送花'}
            </Button>
          </>
        ) : null}
        {phase === 'open' ? (
          <>
            <Text className="muted">
              结束送花后，所有牵手成功的结果会同时向每位参与者揭晓；结束后不能重新开启。
            </Text>
            <Button
              className={
                sending
                  ? 'btn btn-primary btn-block phase-close is-busy'
                  : 'btn btn-primary btn-block phase-close'
              }
              disabled={sending || undefined}
              onClick={() => !sending && void confirmPhase(false).catch(() => undefined)}
            >
              {sending ? '结束中…' : '结束送花并揭晓'}
            </Button>
          </>
        ) : null}
        {phase === 'closed' ? (
          <Text className="muted">送花已结束，牵手结果已向所有参与者揭晓。</Text>
        ) : null}
      </View>

      {matches.status === 'error' && matches.error ? (
        <ErrorState message={matches.error} onRetry={() => void loadMatches()} />
      ) : !matches.data ? (
        <LoadingState />
      ) : (
        <View className="card matches">
          <Text className="section-title">统计</Text>
          <View className="info-line">
            <Text className="info-line-key">已签到</Text>
            <Text className="info-line-val matches-attendees">{matches.data.attendees} 人</Text>
          </View>
          <View className="info-line">
            <Text className="info-line-key">已送出鲜花</Text>
            <Text className="info-line-val matches-sent">
              {matches.data.flowersSent !== null
                ? `${matches.data.flowersSent} 朵`
                : matches.data.phase === 'closed'
                  ? '送花人数少于 5 人，不显示'
                  : '送花结束后显示'}
            </Text>
          </View>
          <View className="info-line">
            <Text className="info-line-key">牵手成功</Text>
            <Text className="info-line-val matches-count">
              {matches.data.phase === 'closed'
                ? `${matches.data.pairDetails.length} 对`
                : '结束后揭晓'}
            </Text>
          </View>
          {matches.data.phase === 'closed' ? (
            <>
              <Text className="section-title">牵手名单（发放纪念品）</Text>
              {matches.data.pairDetails.length === 0 ? (
                <Text className="muted">这次没有互相送花的配对。</Text>
              ) : null}
              {matches.data.pairDetails.map(([a, b]) => (
                <View key={`${a.attendeeId}-${b.attendeeId}`} className="match-pair">
                  <Text className="match-pair-name">{a.nickname}</Text>
                  <Text className="match-pair-heart">♥</Text>
                  <Text className="match-pair-name">{b.nickname}</Text>
                </View>
              ))}
            </>
          ) : null}
          <Button
            className="btn btn-ghost btn-block matches-reload"
            onClick={() => void loadMatches()}
          >
            刷新统计
          </Button>
        </View>
      )}
    </View>
  )
}
