import { useState } from 'react'
import { Input, Picker, Text, View } from '@tarojs/components'
import { createClosureBody } from '@/contract/legal'
import { EmptyState } from '@/components/page-state'
import { Field } from '@/components/form/field'
import { SaveButton } from '@/components/form/save-button'
import { useCreateForm } from '@/components/form/use-create-form'
import type { Closure } from '@/contract/legal'
import { createClosure, retireClosure } from '@/services/legal'
import { toDateInput } from '@/services/time'
import { validate } from '@/services/validation'
import { useStaffLegalStore } from '@/features/legal/staff/legal-store'
import { useLegalAdmin } from '@/features/legal/staff/use-legal-admin'
import { RowActions, useRowAction } from '@/features/legal/staff/row-actions'
import '@/components/form/form.scss'
import '@/components/staff-list.scss'
import './legal-staff.scss'

/** 停诊日 (staff): days without consultations (holidays), everywhere or at one service point. */
export function LegalClosuresAdmin() {
  const gate = useLegalAdmin()
  const { closures, addClosure, replaceClosure, ...store } = useStaffLegalStore()
  const servicePoints = store.servicePoints.filter((p) => !p.retiredAt)
  const form = useCreateForm<Closure>()
  const rows = useRowAction()
  const [date, setDate] = useState(() => toDateInput(new Date()))
  const [reason, setReason] = useState('')
  // 0: every service point (the top union's staff only); i + 1: servicePoints[i]. Until chosen,
  // the first of the staff member's own service points: one they may always close.
  const [chosenIndex, setChosenIndex] = useState<number | null>(null)
  if (gate) return gate
  const pointIndex = chosenIndex ?? (servicePoints.length > 0 ? 1 : 0)

  const body = () => ({
    date,
    reason,
    ...(pointIndex > 0 ? { servicePointId: servicePoints[pointIndex - 1]?.id } : {}),
  })
  const submit = () =>
    form.send(
      () => validate(createClosureBody, body()),
      (options) => createClosure(body(), options),
      (closure) => {
        addClosure(closure)
        setReason('')
      },
    )
  const lift = (c: Closure) =>
    rows.run(
      c.id,
      {
        title: '取消停诊',
        content: `取消「${c.date} ${c.reason}」后，这一天恢复开放预约。`,
        confirmText: '取消停诊',
      },
      () => retireClosure(c.id),
      replaceClosure,
    )
  const pointName = (id: number | null) =>
    id === null ? '全部服务点' : (servicePoints.find((p) => p.id === id)?.name ?? '服务点')
  return (
    <View className="page legal-closures-admin">
      <Text className="section-title">停诊日（{closures.length}）</Text>
      <Text className="legal-admin-hint">
        已有会员预约的日子不能设为停诊日：系统会列出这些预约，请先联系会员取消或改约。
      </Text>
      {closures.length === 0 ? <EmptyState text="还没有停诊日" /> : null}
      {closures.map((c) => (
        <View key={c.id} className="card">
          <Text className="staff-tool-title">
            {c.date} {c.reason}
          </Text>
          <Text className="staff-item-meta">{pointName(c.servicePointId)}</Text>
          <RowActions
            onRetire={() => void lift(c)}
            retireLabel="取消停诊"
            busy={rows.busyId === c.id}
            error={rows.errorOf(c.id)}
          />
        </View>
      ))}
      <Text className="section-title">添加停诊日</Text>
      <View className="card">
        {form.errors.form ? <Text className="form-error">{form.errors.form}</Text> : null}
        <Field label="日期" error={form.errors.date}>
          <Picker
            mode="date"
            value={date}
            onChange={(e) => (setDate(String(e.detail.value)), form.changed('date'))}
          >
            <View className="picker-value">{date}</View>
          </Picker>
        </Field>
        <Field label="原因" error={form.errors.reason}>
          <Input
            className="input legal-closure-reason"
            value={reason}
            placeholder="例如 元旦"
            onInput={(e) => (setReason(e.detail.value), form.changed('reason'))}
          />
        </Field>
        <Field label="服务点">
          <Picker
            mode="selector"
            range={['全部服务点', ...servicePoints.map((p) => p.name)]}
            value={pointIndex}
            onChange={(e) => (setChosenIndex(Number(e.detail.value)), form.changed())}
          >
            <View className="picker-value legal-closure-point">
              {pointIndex === 0 ? '全部服务点' : servicePoints[pointIndex - 1]?.name}
            </View>
          </Picker>
          {pointIndex === 0 ? (
            <Text className="staff-item-meta">全部服务点停诊只能由市总工会设置</Text>
          ) : null}
        </Field>
        <SaveButton
          className="legal-admin-save"
          busy={form.busy}
          onClick={() => void submit()}
          label="添加停诊日"
        />
      </View>
    </View>
  )
}
