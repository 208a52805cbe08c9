import { useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import type { Member } from '@/contract/auth'
import { createServicePointBody } from '@/contract/legal'
import { EmptyState } from '@/components/page-state'
import { Field } from '@/components/form/field'
import { LocationField, locationOf, noCoordinates } from '@/components/form/location-field'
import { SaveButton } from '@/components/form/save-button'
import { UnionPicker, useUnionTree } from '@/components/form/union-picker'
import { useCreateForm } from '@/components/form/use-create-form'
import type { ServicePoint } from '@/contract/legal'
import { createServicePoint, retireServicePoint } from '@/services/legal'
import { validate } from '@/services/validation'
import { useStaffLegalStore } from '@/features/legal/staff/legal-store'
import { useLegalAdmin } from '@/features/legal/staff/use-legal-admin'
import { PointEdit } from '@/features/legal/staff/point-edit'
import { RetiredBadge, RowActions, useRowAction } from '@/features/legal/staff/row-actions'
import '@/components/form/form.scss'
import '@/components/staff-list.scss'
import './legal-staff.scss'

/** 服务点 (staff): workstations (with address) and online services (phone or video). */
export function LegalPointsAdmin({ member }: { member: Member }) {
  const gate = useLegalAdmin()
  const { mine: unions, gate: unionsGate } = useUnionTree(member)
  const { servicePoints, addServicePoint, replaceServicePoint } = useStaffLegalStore()
  const rows = useRowAction()
  const [editing, setEditing] = useState<ServicePoint | null>(null)
  const form = useCreateForm<Awaited<ReturnType<typeof createServicePoint>>>()
  // The first union the member manages until they pick another.
  const [pickedUnionId, setUnionId] = useState<number | null>(null)
  const [name, setName] = useState('')
  const [kind, setKind] = useState<'workstation' | 'online'>('workstation')
  const [address, setAddress] = useState('')
  const [channel, setChannel] = useState<'phone' | 'video'>('phone')
  const [phone, setPhone] = useState('')
  const [coordinates, setCoordinates] = useState(noCoordinates)
  if (gate) return gate
  if (unionsGate) return unionsGate

  const unionId = pickedUnionId ?? unions[0]?.union.id ?? null
  const body = () => ({
    unionId: unionId ?? 0,
    name,
    kind,
    ...(kind === 'workstation' ? { address } : { channel }),
    ...(phone.trim() ? { phone } : {}),
    // Both blank: not on the map; one blank: the contract asks for it.
    ...(kind === 'workstation' ? { location: locationOf(coordinates) } : {}),
  })
  const submit = () =>
    form.send(
      () => validate(createServicePointBody, body()),
      (options) => createServicePoint(createServicePointBody.parse(body()), options),
      (point) => {
        addServicePoint(point)
        setName('')
        setAddress('')
        setPhone('')
        setCoordinates(noCoordinates)
      },
    )
  const retire = (p: ServicePoint) =>
    rows.run(
      p.id,
      {
        title: '停用服务点',
        content: `停用后「${p.name}」不再开放预约，它的排班一并停用。还有待进行的预约时不能停用。`,
        confirmText: '停用',
      },
      () => retireServicePoint(p.id),
      replaceServicePoint,
    )
  return (
    <View className="page legal-points-admin">
      <Text className="section-title">服务点（{servicePoints.length}）</Text>
      {servicePoints.length === 0 ? <EmptyState text="还没有服务点" /> : null}
      {servicePoints.map((p) => (
        <View key={p.id} className={`card${p.retiredAt ? ' is-retired' : ''}`}>
          <Text className="staff-tool-title">
            {p.name}
            <RetiredBadge at={p.retiredAt} />
          </Text>
          <Text className="staff-item-meta">
            {p.kind === 'online'
              ? p.channel === 'video'
                ? '线上 · 视频'
                : '线上 · 电话'
              : p.address}
          </Text>
          {p.phone ? <Text className="staff-item-meta">电话 {p.phone}</Text> : null}
          {p.kind === 'workstation' ? (
            <Text className="staff-item-meta legal-point-map">
              {p.location
                ? `地图位置 ${p.location.latitude}, ${p.location.longitude}`
                : '未标注地图位置'}
            </Text>
          ) : null}
          <Text className="staff-item-meta">{p.unionName}</Text>
          {p.retiredAt ? null : editing?.id === p.id ? (
            <PointEdit
              point={p}
              onSaved={(saved) => (replaceServicePoint(saved), setEditing(null))}
              onCancel={() => setEditing(null)}
            />
          ) : (
            <RowActions
              onEdit={() => setEditing(p)}
              onRetire={() => void retire(p)}
              busy={rows.busyId === p.id}
              error={rows.errorOf(p.id)}
            />
          )}
        </View>
      ))}
      <Text className="section-title">添加服务点</Text>
      <View className="card">
        {form.errors.form ? <Text className="form-error">{form.errors.form}</Text> : null}
        <UnionPicker
          label="所属工会"
          rows={unions}
          value={unionId}
          onChange={(id) => (setUnionId(id), form.changed())}
          error={form.errors.unionId}
        />
        <Field label="名称" error={form.errors.name}>
          <Input
            className="input"
            value={name}
            onInput={(e) => (setName(e.detail.value), form.changed())}
          />
        </Field>
        <Field label="方式">
          <View className="legal-admin-choices">
            {(['workstation', 'online'] as const).map((k) => (
              <View
                key={k}
                className={`legal-admin-choice${kind === k ? ' is-on' : ''}`}
                onClick={() => (setKind(k), form.changed())}
              >
                {k === 'workstation' ? '工作站（到场）' : '线上'}
              </View>
            ))}
          </View>
        </Field>
        {kind === 'workstation' ? (
          <Field label="地址" error={form.errors.address}>
            <Input
              className="input"
              value={address}
              onInput={(e) => (setAddress(e.detail.value), form.changed())}
            />
          </Field>
        ) : (
          <Field label="线上方式" error={form.errors.channel}>
            <View className="legal-admin-choices">
              {(['phone', 'video'] as const).map((c) => (
                <View
                  key={c}
                  className={`legal-admin-choice${channel === c ? ' is-on' : ''}`}
                  onClick={() => (setChannel(c), form.changed())}
                >
                  {c === 'phone' ? '电话' : '视频'}
                </View>
              ))}
            </View>
          </Field>
        )}
        <Field label="电话（选填，会员可一键拨打）" error={form.errors.phone}>
          <Input
            className="input legal-point-phone"
            type="text"
            value={phone}
            placeholder="如 010-68881234 或 13800138000"
            onInput={(e) => (setPhone(e.detail.value), form.changed())}
          />
        </Field>
        {kind === 'workstation' ? (
          <LocationField
            label="地图位置（选填，会员可查看地图、导航）"
            value={coordinates}
            onChange={(value) => (setCoordinates(value), form.changed())}
            error={form.errors.location}
            classPrefix="legal-point"
          />
        ) : null}
        <SaveButton
          className="legal-admin-save"
          busy={form.busy}
          onClick={() => void submit()}
          label="添加服务点"
        />
      </View>
    </View>
  )
}
