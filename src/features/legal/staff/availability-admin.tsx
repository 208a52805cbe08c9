import { useState } from 'react'
import { Input, Picker, Text, View } from '@tarojs/components'
import { createAvailabilityBody } from '@/contract/legal'
import { EmptyState } from '@/components/page-state'
import { Field } from '@/components/form/field'
import { SaveButton } from '@/components/form/save-button'
import { useCreateForm } from '@/components/form/use-create-form'
import type { AvailabilityRule } from '@/contract/legal'
import { createAvailability, patchAvailability, retireAvailability } from '@/services/legal'
import { toDateInput } from '@/services/time'
import { validate } from '@/services/validation'
import { useStaffLegalStore } from '@/features/legal/staff/legal-store'
import { useLegalAdmin } from '@/features/legal/staff/use-legal-admin'
import { RetiredBadge, RowActions, useRowAction } from '@/features/legal/staff/row-actions'
import '@/components/form/form.scss'
import '@/components/staff-list.scss'
import './legal-staff.scss'

const weekdayNames = ['周一', '周二', '周三', '周四', '周五', '周六', '周日']

/** 排班 (staff): weekly availability rules of a lawyer at a service point. */
export function LegalAvailabilityAdmin() {
  const gate = useLegalAdmin()
  const { rules, addRule, replaceRule, ...store } = useStaffLegalStore()
  // Retired lawyers and service points take no new rules.
  const lawyers = store.lawyers.filter((l) => !l.retiredAt)
  const servicePoints = store.servicePoints.filter((p) => !p.retiredAt)
  const form = useCreateForm<AvailabilityRule>()
  const rows = useRowAction()
  /** The rule being changed (its lawyer and service point stay), or null: a new rule. */
  const [editing, setEditing] = useState<AvailabilityRule | null>(null)
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
  const editBody = (rule: AvailabilityRule) => ({
    ...body(),
    lawyerId: rule.lawyerId,
    servicePointId: rule.servicePointId,
  })
  const submit = () =>
    editing
      ? form.send(
          () => validate(createAvailabilityBody, editBody(editing)),
          () =>
            patchAvailability(editing.id, {
              weekday,
              start,
              end,
              slotMinutes: Number(slotMinutes),
              validFrom,
              validTo: validTo || null,
            }),
          (rule) => {
            replaceRule(rule)
            setEditing(null)
          },
          { toast: '已保存' },
        )
      : form.send(
          () => validate(createAvailabilityBody, body()),
          (options) => createAvailability(body(), options),
          (rule) => addRule(rule),
        )
  /** A field's new value: its error goes with the old one. */
  const edit =
    <V,>(set: (v: V) => void, field?: string) =>
    (v: V) => {
      set(v)
      form.changed(field)
    }
  const startEditing = (r: AvailabilityRule) => {
    setEditing(r)
    setWeekday(r.weekday)
    setStart(r.start)
    setEnd(r.end)
    setSlotMinutes(String(r.slotMinutes))
    setValidFrom(r.validFrom)
    setValidTo(r.validTo ?? '')
    form.setErrors({})
  }
  const retire = (r: AvailabilityRule) =>
    rows.run(
      r.id,
      {
        title: '停用排班',
        content: `停用后「${r.lawyerName} ${weekdayNames[r.weekday - 1]} ${r.start}–${r.end}」不再开放预约。已有会员预约的时段不能停用。`,
        confirmText: '停用',
      },
      () => retireAvailability(r.id),
      replaceRule,
    )
  return (
    <View className="page legal-availability-admin">
      <Text className="section-title">每周排班（{rules.filter((r) => !r.retiredAt).length}）</Text>
      <Text className="legal-admin-hint">
        修改或停用排班时，如果会员已预约的时段会因此取消，系统不会保存，并列出这些预约：请先联系会员取消或改约。
      </Text>
      {rules.length === 0 ? <EmptyState text="还没有排班" /> : null}
      {rules.map((r) => (
        <View key={r.id} className={`card${r.retiredAt ? ' is-retired' : ''}`}>
          <Text className="staff-tool-title">
            {weekdayNames[r.weekday - 1]} {r.start}–{r.end}（每 {r.slotMinutes} 分钟）
            <RetiredBadge at={r.retiredAt} />
          </Text>
          <Text className="staff-item-meta">
            {r.lawyerName} · {r.servicePointName}
          </Text>
          <Text className="staff-item-meta">
            {r.validFrom} 起{r.validTo ? ` 至 ${r.validTo}` : '，长期有效'}
          </Text>
          {r.retiredAt ? null : (
            <RowActions
              onEdit={() => startEditing(r)}
              onRetire={() => void retire(r)}
              busy={rows.busyId === r.id}
              error={rows.errorOf(r.id)}
            />
          )}
        </View>
      ))}
      <Text className="section-title">{editing ? '修改排班' : '添加排班'}</Text>
      {lawyers.length === 0 || servicePoints.length === 0 ? (
        <EmptyState text="请先添加律师和服务点" />
      ) : (
        <View className="card">
          {form.errors.form ? <Text className="form-error">{form.errors.form}</Text> : null}
          {editing ? (
            <Text className="staff-item-meta">
              {editing.lawyerName} · {editing.servicePointName}
              （律师和服务点不能修改，如需更换请停用后新建）
            </Text>
          ) : null}
          {editing ? null : (
            <>
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
            </>
          )}
          <Field label="星期" error={form.errors.weekday}>
            <Picker
              mode="selector"
              range={weekdayNames}
              value={weekday - 1}
              onChange={(e) => edit(setWeekday, 'weekday')(Number(e.detail.value) + 1)}
            >
              <View className="picker-value">{weekdayNames[weekday - 1]}</View>
            </Picker>
          </Field>
          <Field label="开始时间" error={form.errors.start}>
            <Picker
              mode="time"
              value={start}
              onChange={(e) => edit(setStart, 'start')(String(e.detail.value))}
            >
              <View className="picker-value">{start}</View>
            </Picker>
          </Field>
          <Field label="结束时间" error={form.errors.end}>
            <Picker
              mode="time"
              value={end}
              onChange={(e) => edit(setEnd, 'end')(String(e.detail.value))}
            >
              <View className="picker-value">{end}</View>
            </Picker>
          </Field>
          <Field label="每个时段（分钟）" error={form.errors.slotMinutes}>
            <Input
              className="input"
              type="number"
              value={slotMinutes}
              onInput={(e) => edit(setSlotMinutes, 'slotMinutes')(e.detail.value)}
            />
          </Field>
          <Field label="有效期开始" error={form.errors.validFrom}>
            <Picker
              mode="date"
              value={validFrom}
              onChange={(e) => edit(setValidFrom, 'validFrom')(String(e.detail.value))}
            >
              <View className="picker-value">{validFrom}</View>
            </Picker>
          </Field>
          <Field label="有效期结束（可不填）" error={form.errors.validTo}>
            <Picker
              mode="date"
              value={validTo || validFrom}
              onChange={(e) => edit(setValidTo, 'validTo')(String(e.detail.value))}
            >
              <View className="picker-value">{validTo || '长期有效'}</View>
            </Picker>
          </Field>
          <SaveButton
            className="legal-admin-save"
            busy={form.busy}
            onClick={() => void submit()}
            label={editing ? '保存修改' : '添加排班'}
          />
          {editing ? (
            <View
              className="btn btn-ghost btn-block legal-admin-cancel-edit"
              onClick={() => (setEditing(null), form.setErrors({}))}
            >
              放弃修改
            </View>
          ) : null}
        </View>
      )}
    </View>
  )
}
