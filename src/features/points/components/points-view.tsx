import { useEffect } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { EmptyState, ErrorState, KeptNotice, LoadingState } from '@/components/page-state'
import { openPage } from '@/services/navigate'
import { usePointsBalance } from '@/services/points-balance'
import { formatDate, formatDateTime } from '@/services/time'
import { kindLabels, signedAmount } from '@/features/points/format'
import { usePointsStore } from '@/features/points/store'
import './points-view.scss'

/** The mall's list page (its own subpackage). */
const MALL_PAGE = '/packages/mall/pages/index'

/** 积分: balance, points about to expire and the ledger with load-more on reaching the bottom. */
export function PointsView() {
  const { entries, nextCursor, status, error, keptAt, loadingMore, moreError, refresh, loadMore } =
    usePointsStore()
  const summary = usePointsBalance((s) => s.summary)

  useEffect(() => {
    void refresh()
  }, [refresh])
  useDidShow(() => {
    void refresh()
  })
  usePullDownRefresh(() => {
    void refresh().finally(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => {
    void loadMore()
  })

  if (!summary || (status !== 'ready' && entries.length === 0)) {
    if (status === 'error' && error)
      return <ErrorState message={error} onRetry={() => void refresh()} />
    return <LoadingState />
  }

  return (
    <View className="page points">
      <KeptNotice keptAt={keptAt} onRetry={() => void refresh()} />
      <View className="card points-balance">
        <Text className="points-balance-label">当前积分</Text>
        <Text className="points-balance-value">{summary.balance}</Text>
        <Button className="btn points-to-mall" onClick={() => void openPage(MALL_PAGE)}>
          去积分商城兑换
        </Button>
      </View>

      {summary.expiring.length > 0 ? (
        <View className="card points-expiring">
          <Text className="section-title">即将到期</Text>
          {summary.expiring.map((item) => (
            <View key={`${item.expiresAt}-${item.amount}`} className="points-expiring-row">
              <Text className="points-expiring-amount">{item.amount} 分</Text>
              <Text className="muted">{formatDate(item.expiresAt)} 到期</Text>
            </View>
          ))}
        </View>
      ) : null}

      <Text className="section-title">积分明细</Text>
      {entries.length === 0 ? (
        <EmptyState text="还没有积分记录" />
      ) : (
        <View className="card points-ledger">
          {entries.map((entry) => (
            <View key={entry.id} className="ledger-row">
              <View className="ledger-main">
                <Text className="ledger-kind">{kindLabels[entry.kind]}</Text>
                <Text className="ledger-reason">{entry.reason}</Text>
                <Text className="ledger-time">{formatDateTime(entry.createdAt)}</Text>
              </View>
              <View className="ledger-side">
                <Text className={entry.amount >= 0 ? 'ledger-amount plus' : 'ledger-amount minus'}>
                  {signedAmount(entry.amount)}
                </Text>
                <Text className="ledger-after">余额 {entry.balanceAfter}</Text>
              </View>
            </View>
          ))}
        </View>
      )}

      {moreError ? (
        <View className="state">
          <Text className="state-error-text">{moreError}</Text>
          <Button className="btn btn-ghost" onClick={() => void loadMore()}>
            重新加载
          </Button>
        </View>
      ) : null}
      {entries.length > 0 && !moreError ? (
        <Text
          className="points-footer muted"
          onClick={nextCursor && !loadingMore ? () => void loadMore() : undefined}
        >
          {loadingMore ? '加载中…' : nextCursor ? '上拉或点此加载更多' : '没有更多了'}
        </Text>
      ) : null}
    </View>
  )
}
