import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { errorMessage } from '@/services/http'

/** A row's refusal (e.g. 409 `BOOKINGS_AFFECTED`, listing the bookings) shown under that row. */
interface RowError {
  id: number
  message: string
}

/**
 * Retiring (停用 / 取消停诊) a row of a staff list: asks first, runs the call, and keeps the
 * server's refusal — which names the bookings in the way — next to the row it belongs to.
 */
export function useRowAction() {
  const [error, setError] = useState<RowError | null>(null)
  const [busyId, setBusyId] = useState<number | null>(null)
  const run = async <T,>(
    id: number,
    ask: { title: string; content: string; confirmText: string },
    call: () => Promise<T>,
    done: (result: T) => void,
  ) => {
    const { confirm } = await Taro.showModal({
      ...ask,
      confirmColor: '#d4380d',
      cancelText: '再想想',
    })
    if (!confirm) return
    setError(null)
    setBusyId(id)
    try {
      done(await call())
      Taro.showToast({ title: '已保存', icon: 'success' }).catch(() => undefined)
    } catch (e) {
      setError({ id, message: errorMessage(e) })
    } finally {
      setBusyId(null)
    }
  }
  const errorOf = (id: number) => (error?.id === id ? error.message : null)
  return { run, busyId, errorOf, setError }
}

interface RowActionsProps {
  /** 修改: loads the row into the form below. */
  onEdit?: () => void
  onRetire: () => void
  retireLabel?: string
  busy: boolean
  /** The refusal of the last action on this row. */
  error: string | null
}

/** 修改 / 停用 under a row of a staff list, and the refusal of the last try. */
export function RowActions({
  onEdit,
  onRetire,
  retireLabel = '停用',
  busy,
  error,
}: RowActionsProps) {
  return (
    <View>
      <View className="legal-admin-actions">
        {onEdit ? (
          <View className="btn btn-ghost legal-admin-action" onClick={onEdit}>
            修改
          </View>
        ) : null}
        <View
          className={`btn btn-ghost legal-admin-action is-danger${busy ? ' is-busy' : ''}`}
          onClick={busy ? undefined : onRetire}
        >
          {busy ? '保存中…' : retireLabel}
        </View>
      </View>
      {error ? <Text className="form-error legal-admin-refusal">{error}</Text> : null}
    </View>
  )
}

/** 已停用 on a retired row. */
export function RetiredBadge({ at }: { at?: string | null }) {
  return at ? <Text className="legal-admin-retired">已停用</Text> : null
}
