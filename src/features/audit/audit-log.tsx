import { useEffect } from 'react'
import { Button, Picker, Text, View } from '@tarojs/components'
import { EmptyState, ErrorState, LoadingState } from '@/components/page-state'
import { formatDateTime } from '@/services/time'
import { useAuditStore } from '@/features/audit/audit-store'
import { actionLabel, areaChoices } from '@/features/audit/labels'
import '@/components/staff-list.scss'
import './audit.scss'

/**
 * 操作记录 (staff): who did what and when in the union's subtree, newest first, with filters by
 * area, day range and person. What changed is shown without phone numbers or confidential
 * texts: a read of a consultation's description says who read which bookings, never the text.
 */
export function AuditLog() {
  const { filter, entries, next, status, error, more, setFilter, load, loadMore } = useAuditStore()
  useEffect(() => {
    void load()
  }, [load])
  const areaIndex = Math.max(
    0,
    areaChoices.findIndex(([value]) => value === filter.action),
  )
  return (
    <View className="page audit-log">
      <View className="card audit-filters">
        <Picker
          mode="selector"
          range={areaChoices.map(([, label]) => label)}
          value={areaIndex}
          onChange={(e) => void setFilter({ action: areaChoices[Number(e.detail.value)][0] })}
        >
          <View className="picker-value audit-area">{areaChoices[areaIndex][1]} ▾</View>
        </Picker>
        <View className="audit-dates">
          <Picker
            mode="date"
            value={filter.from || filter.to || ''}
            onChange={(e) => void setFilter({ from: String(e.detail.value) })}
          >
            <View className="picker-value audit-from">{filter.from || '开始日期'}</View>
          </Picker>
          <Text className="audit-dash">至</Text>
          <Picker
            mode="date"
            value={filter.to || filter.from || ''}
            onChange={(e) => void setFilter({ to: String(e.detail.value) })}
          >
            <View className="picker-value audit-to">{filter.to || '结束日期'}</View>
          </Picker>
        </View>
        {filter.actorId !== null ? (
          <View className="audit-actor-filter">
            <Text>只看：{filter.actorName}</Text>
            <Text
              className="audit-clear"
              onClick={() => void setFilter({ actorId: null, actorName: '' })}
            >
              全部人员 ×
            </Text>
          </View>
        ) : null}
        {filter.from || filter.to ? (
          <Text className="audit-clear" onClick={() => void setFilter({ from: '', to: '' })}>
            清除日期 ×
          </Text>
        ) : null}
      </View>
      {status === 'error' && error ? (
        <ErrorState message={error} onRetry={() => void load()} />
      ) : status !== 'ready' ? (
        <LoadingState />
      ) : entries.length === 0 ? (
        <EmptyState text="没有符合条件的操作记录" />
      ) : (
        <View>
          {entries.map((e) => (
            <View key={e.id} className="card audit-entry" data-id={e.id}>
              <View className="audit-entry-head">
                <Text className="audit-action">{actionLabel(e.action)}</Text>
                <Text className="audit-at">{formatDateTime(e.at)}</Text>
              </View>
              <Text
                className="audit-actor"
                onClick={() => void setFilter({ actorId: e.actorId, actorName: e.actorName })}
              >
                {e.actorName}（{e.actorNo}）· {e.actorUnionName}
              </Text>
              {e.entityId ? (
                <Text className="staff-item-meta">
                  对象：{e.entity} #{e.entityId}
                </Text>
              ) : null}
              {e.details ? <Text className="audit-details">{e.details}</Text> : null}
            </View>
          ))}
          {next ? (
            <Button
              className={`btn btn-ghost btn-block audit-more${more ? ' is-busy' : ''}`}
              onClick={() => void loadMore()}
            >
              {more ? '加载中…' : '更早的记录'}
            </Button>
          ) : (
            <Text className="audit-end">没有更早的记录了</Text>
          )}
        </View>
      )}
    </View>
  )
}
