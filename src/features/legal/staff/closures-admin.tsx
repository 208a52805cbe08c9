import { useState } from 'react'
import { Input, Picker, Text, View } from '@tarojs/components'
import { createClosureBody } from '@/contract/legal'
import { EmptyState } from '@/components/page-state'
import { Field } from '@/components/form/field'
import { SaveButton } from '@/components/form/save-button'
import { useCreateForm } from '@/components/form/use-create-form'
import { createClosure } from '@/services/legal'
import { toDateInput } from '@/services/time'
import { validate } from '@/services/validation'
import { useStaffLegalStore } from '@/features/legal/staff/legal-store'
import { useLegalAdmin } from '@/features/legal/staff/use-legal-admin'
import '@/components/form/form.scss'
import '@/components/staff-list.scss'
import './legal-staff.scss'

/** 停诊日 (staff): days without consultations (holidays), everywhere or at one service point. */
export function LegalClosuresAdmin() {
  const gate = useLegalAdmin()
  const { closures, servicePoints, addClosure } = useStaffLegalStore()
  const form = useCreateForm<Awaited<ReturnType<typeof createClosure>>>()
  const [date, setDate] = useState(() => toDateInput(new Date()))
  const [reason, setReason] = useState('')
  // 0: every service point; i + 1: servicePoints[i].
  const [pointIndex, setPointIndex] = useState(0)
  if (gate) return gate

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
  const pointName = (id: number | null) =>
    id === null ? '全部服务点' : (servicePoints.find((p) => p.id === id)?.name ?? '服务点')
  return (
    <View className="page legal-closures-admin">
      <Text className="section-title">停诊日（{closures.length}）</Text>
      {closures.length === 0 ? <EmptyState text="还没有停诊日" /> : null}
      {closures.map((c) => (
        <View key={c.id} className="card">
          <Text className="staff-tool-title">
            {c.date} {c.reason}
          </Text>
          <Text className="staff-item-meta">{pointName(c.servicePointId)}</Text>
        </View>
      ))}
      <Text className="section-title">添加停诊日</Text>
      <View className="card">
        {form.errors.form ? <Text className="form-error">{form.errors.form}</Text> : null}
        <Field label="日期" error={form.errors.date}>
          <Picker
            mode="date"
            value={date}
            onChange={(e) => (setDate(String(e.detail.value)), form.changed())}
          >
            <View className="picker-value">{date}</View>
          </Picker>
        </Field>
        <Field label="原因" error={form.errors.reason}>
          <Input
            className="input"
            value={reason}
            placeholder="例如 元旦"
            onInput={(e) => (setReason(e.detail.value), form.changed())}
          />
        </Field>
        <Field label="服务点">
          <Picker
            mode="selector"
            range={['全部服务点', ...servicePoints.map((p) => p.name)]}
            value={pointIndex}
            onChange={(e) => (setPointIndex(Number(e.detail.value)), form.changed())}
          >
            <View className="picker-value">
              {pointIndex === 0 ? '全部服务点' : servicePoints[pointIndex - 1]?.name}
            </View>
          </Picker>
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
