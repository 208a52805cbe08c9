import { useState } from 'react'
import { Input, Picker, Text, View } from '@tarojs/components'
import { createAvailabilityBody } from '@/contract/legal'
import { EmptyState } from '@/components/page-state'
import { Field } from '@/components/form/field'
import { SaveButton } from '@/components/form/save-button'
import { useCreateForm } from '@/components/form/use-create-form'
import { createAvailability } from '@/services/legal'
import { toDateInput } from '@/services/time'
import { validate } from '@/services/validation'
import { useStaffLegalStore } from '@/features/legal/staff/legal-store'
import { useLegalAdmin } from '@/features/legal/staff/use-legal-admin'
import '@/components/form/form.scss'
import '@/components/staff-list.scss'
import './legal-staff.scss'

const weekdayNames = ['周一', '周二', '周三', '周四', '周五', '周六', '周日']

/** 排班 (staff): weekly availability rules of a lawyer at a service point. */
export function LegalAvailabilityAdmin() {
  const gate = useLegalAdmin()
  const { rules, lawyers, servicePoints, addRule } = useStaffLegalStore()
  const form = useCreateForm<Awaited<ReturnType<typeof createAvailability>>>()
  const [lawyerIndex, setLawyerIndex] = useState(0)
  const [pointIndex, setPointIndex] = useState(0)
  const [weekday, setWeekday] = useState(1)
  const [start, setStart] = useState('09:00')
  const [end, setEnd] = useState('12:00')
  const [slotMinutes, setSlotMinutes] = useState('30')
  const [validFrom, setValidFrom] = useState(() => toDateInput(new Date()))
  const [validTo, setValidTo] = useState('')
  if (gate) return gate

  const body = () => ({
    lawyerId: lawyers[lawyerIndex]?.id ?? 0,
    servicePointId: servicePoints[pointIndex]?.id ?? 0,
    weekday,
    start,
    end,
    slotMinutes: Number(slotMinutes),
    validFrom,
    ...(validTo ? { validTo } : {}),
  })
  const submit = () =>
    form.send(
      () => validate(createAvailabilityBody, body()),
      (options) => createAvailability(body(), options),
      (rule) => addRule(rule),
    )
  const edit =
    <V,>(set: (v: V) => void) =>
    (v: V) => {
      set(v)
      form.changed()
    }
  return (
    <View className="page legal-availability-admin">
      <Text className="section-title">每周排班（{rules.length}）</Text>
      {rules.length === 0 ? <EmptyState text="还没有排班" /> : null}
      {rules.map((r) => (
        <View key={r.id} className="card">
          <Text className="staff-tool-title">
            {weekdayNames[r.weekday - 1]} {r.start}–{r.end}（每 {r.slotMinutes} 分钟）
          </Text>
          <Text className="staff-item-meta">
            {r.lawyerName} · {r.servicePointName}
          </Text>
          <Text className="staff-item-meta">
            {r.validFrom} 起{r.validTo ? ` 至 ${r.validTo}` : '，长期有效'}
          </Text>
        </View>
      ))}
      <Text className="section-title">添加排班</Text>
      {lawyers.length === 0 || servicePoints.length === 0 ? (
        <EmptyState text="请先添加律师和服务点" />
      ) : (
        <View className="card">
          {form.errors.form ? <Text className="form-error">{form.errors.form}</Text> : null}
          <Field label="律师">
            <Picker
              mode="selector"
              range={lawyers.map((l) => l.name)}
              value={lawyerIndex}
              onChange={(e) => edit(setLawyerIndex)(Number(e.detail.value))}
            >
              <View className="picker-value">{lawyers[lawyerIndex]?.name}</View>
            </Picker>
          </Field>
          <Field label="服务点">
            <Picker
              mode="selector"
              range={servicePoints.map((p) => p.name)}
              value={pointIndex}
              onChange={(e) => edit(setPointIndex)(Number(e.detail.value))}
            >
              <View className="picker-value">{servicePoints[pointIndex]?.name}</View>
            </Picker>
          </Field>
          <Field label="星期" error={form.errors.weekday}>
            <Picker
              mode="selector"
              range={weekdayNames}
              value={weekday - 1}
              onChange={(e) => edit(setWeekday)(Number(e.detail.value) + 1)}
            >
              <View className="picker-value">{weekdayNames[weekday - 1]}</View>
            </Picker>
          </Field>
          <Field label="开始时间" error={form.errors.start}>
            <Picker
              mode="time"
              value={start}
              onChange={(e) => edit(setStart)(String(e.detail.value))}
            >
              <View className="picker-value">{start}</View>
            </Picker>
          </Field>
          <Field label="结束时间" error={form.errors.end}>
            <Picker mode="time" value={end} onChange={(e) => edit(setEnd)(String(e.detail.value))}>
              <View className="picker-value">{end}</View>
            </Picker>
          </Field>
          <Field label="每个时段（分钟）" error={form.errors.slotMinutes}>
            <Input
              className="input"
              type="number"
              value={slotMinutes}
              onInput={(e) => edit(setSlotMinutes)(e.detail.value)}
            />
          </Field>
          <Field label="有效期开始" error={form.errors.validFrom}>
            <Picker
              mode="date"
              value={validFrom}
              onChange={(e) => edit(setValidFrom)(String(e.detail.value))}
            >
              <View className="picker-value">{validFrom}</View>
            </Picker>
          </Field>
          <Field label="有效期结束（可不填）" error={form.errors.validTo}>
            <Picker
              mode="date"
              value={validTo || validFrom}
              onChange={(e) => edit(setValidTo)(String(e.detail.value))}
            >
              <View className="picker-value">{validTo || '长期有效'}</View>
            </Picker>
          </Field>
          <SaveButton
            className="legal-admin-save"
            busy={form.busy}
            onClick={() => void submit()}
            label="添加排班"
          />
        </View>
      )}
    </View>
  )
}
