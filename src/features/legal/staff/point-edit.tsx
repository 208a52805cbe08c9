import { useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import { patchServicePointBody, type ServicePoint } from '@/contract/legal'
import { Field } from '@/components/form/field'
import { LocationField, locationOf, type CoordinatesDraft } from '@/components/form/location-field'
import { SaveButton } from '@/components/form/save-button'
import { useCreateForm } from '@/components/form/use-create-form'
import { patchServicePoint } from '@/services/legal'
import { validate } from '@/services/validation'
import '@/components/form/form.scss'
import './legal-staff.scss'

interface PointEditProps {
  point: ServicePoint
  onSaved: (point: ServicePoint) => void
  onCancel: () => void
}

/**
 * 修改服务点: its name, phone, and a workstation's address and place on the map or an online
 * service's channel (the kind stays: a workstation that goes online is a new service point).
 * A blank phone or blank coordinates clear them.
 */
export function PointEdit({ point, onSaved, onCancel }: PointEditProps) {
  const form = useCreateForm<ServicePoint>()
  const [name, setName] = useState(point.name)
  const [address, setAddress] = useState(point.address ?? '')
  const [channel, setChannel] = useState<'phone' | 'video'>(point.channel ?? 'phone')
  const [phone, setPhone] = useState(point.phone ?? '')
  const initial: CoordinatesDraft = {
    latitude: point.location ? String(point.location.latitude) : '',
    longitude: point.location ? String(point.location.longitude) : '',
  }
  const [coordinates, setCoordinates] = useState(initial)
  /** The place as sent: null when cleared; the map address kept while the coordinates are. */
  const location = () => {
    const typed = locationOf(coordinates)
    if (!typed) return null
    const same =
      coordinates.latitude === initial.latitude && coordinates.longitude === initial.longitude
    return same && point.location?.address ? { ...typed, address: point.location.address } : typed
  }
  const body = () => ({
    name,
    ...(point.kind === 'workstation' ? { address, location: location() } : { channel }),
    phone: phone.trim() ? phone : null,
  })
  const submit = () =>
    form.send(
      () => validate(patchServicePointBody, body()),
      () => patchServicePoint(point.id, patchServicePointBody.parse(body())),
      onSaved,
      { toast: '已保存' },
    )
  return (
    <View className="card legal-point-edit">
      <Text className="staff-tool-title">修改服务点</Text>
      {form.errors.form ? <Text className="form-error">{form.errors.form}</Text> : null}
      <Field label="名称" error={form.errors.name}>
        <Input
          className="input legal-point-edit-name"
          value={name}
          onInput={(e) => (setName(e.detail.value), form.changed('name'))}
        />
      </Field>
      {point.kind === 'workstation' ? (
        <Field label="地址" error={form.errors.address}>
          <Input
            className="input legal-point-edit-address"
            value={address}
            onInput={(e) => (setAddress(e.detail.value), form.changed('address'))}
          />
        </Field>
      ) : (
        <Field label="线上方式" error={form.errors.channel}>
          <View className="legal-admin-choices">
            {(['phone', 'video'] as const).map((c) => (
              <View
                key={c}
                className={`legal-admin-choice${channel === c ? ' is-on' : ''}`}
                onClick={() => (setChannel(c), form.changed('channel'))}
              >
                {c === 'phone' ? '电话' : '视频'}
              </View>
            ))}
          </View>
        </Field>
      )}
      <Field label="电话（选填，会员可一键拨打；清空即不显示）" error={form.errors.phone}>
        <Input
          className="input legal-point-edit-phone"
          type="text"
          value={phone}
          placeholder="如 010-68881234 或 13800138000"
          onInput={(e) => (setPhone(e.detail.value), form.changed('phone'))}
        />
      </Field>
      {point.kind === 'workstation' ? (
        <LocationField
          label="地图位置（选填，清空即不在地图上显示）"
          value={coordinates}
          onChange={(value) => (setCoordinates(value), form.changed('location'))}
          error={form.errors.location}
          classPrefix="legal-point-edit"
        />
      ) : null}
      <SaveButton
        className="legal-point-edit-save"
        busy={form.busy}
        onClick={() => void submit()}
        label="保存修改"
      />
      <View className="btn btn-ghost btn-block" onClick={onCancel}>
        放弃修改
      </View>
    </View>
  )
}
