import { useEffect, useMemo, useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { Member } from '@/contract/auth'
import { createSiteBody, patchSiteBody, type CoolingSite } from '@/contract/cooling'
import { EmptyState, ErrorState, LoadingState } from '@/components/page-state'
import { SaveButton } from '@/components/form/save-button'
import { TextField } from '@/components/form/text-field'
import { UnionPicker, useUnionTree } from '@/components/form/union-picker'
import { useCreateForm } from '@/components/form/use-create-form'
import { createCoolingSite, patchCoolingSite } from '@/services/cooling'
import { validate } from '@/services/validation'
import { useStaffSitesStore } from '@/features/cooling/staff/cooling-store'
import '@/components/staff-list.scss'
import './cooling-staff.scss'

/**
 * 修改收货地点: name and address. Packs already shipped keep the address they were shipped to;
 * packs not shipped yet go to the new address.
 */
function SiteEdit({
  site,
  onSaved,
  onCancel,
}: {
  site: CoolingSite
  onSaved: (site: CoolingSite) => void
  onCancel: () => void
}) {
  const form = useCreateForm<CoolingSite>()
  const [name, setName] = useState(site.name)
  const [address, setAddress] = useState(site.address)
  const [recipient, setRecipient] = useState(site.recipient ?? '')
  const submit = () =>
    form.send(
      () => validate(patchSiteBody, { name, address, recipient }),
      () => patchCoolingSite(site.id, patchSiteBody.parse({ name, address, recipient })),
      onSaved,
      { toast: '已保存' },
    )
  return (
    <View className="site-edit">
      {form.errors.form ? <Text className="form-error">{form.errors.form}</Text> : null}
      <TextField
        label="地点名称"
        value={name}
        inputClassName="site-edit-name"
        error={form.errors.name}
        onInput={(value) => (setName(value), form.changed('name'))}
      />
      <TextField
        label="详细地址"
        value={address}
        inputClassName="site-edit-address"
        error={form.errors.address}
        onInput={(value) => (setAddress(value), form.changed('address'))}
      />
      <TextField
        label="现场收货人（选填）"
        value={recipient}
        placeholder="在现场代收礼包的人，留空表示不指定"
        inputClassName="site-edit-recipient"
        error={form.errors.recipient}
        onInput={(value) => (setRecipient(value), form.changed('recipient'))}
      />
      <Text className="staff-item-meta">
        已发货的礼包仍显示发货时的地址和收货人；未发货的礼包将寄往新地址。
      </Text>
      <SaveButton
        className="site-edit-save"
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

/** Props of the work sites page. */
export interface CoolingSitesProps {
  member: Member
}

/**
 * 收货地点: the work sites of the enterprises the staff member manages, and a form to add one
 * (only enterprise unions — those without unions below them — keep sites).
 */
export function CoolingSites({ member }: CoolingSitesProps) {
  const { rows, mine, gate } = useUnionTree(member)
  const { sites, status, error, load, add } = useStaffSitesStore()
  const enterprises = useMemo(() => {
    const parents = new Set(rows.map((r) => r.union.parentId))
    return mine.filter((r) => !parents.has(r.union.id))
  }, [rows, mine])
  const [unionId, setUnionId] = useState<number | null>(null)
  const [name, setName] = useState('')
  const [address, setAddress] = useState('')
  const [recipient, setRecipient] = useState('')
  const form = useCreateForm<CoolingSite>()
  const errors = form.errors
  const [editingId, setEditingId] = useState<number | null>(null)

  useEffect(() => {
    void load()
  }, [load])
  useEffect(() => {
    if (unionId === null && enterprises.length) setUnionId(enterprises[0].union.id)
  }, [unionId, enterprises])

  if (gate) return gate
  if (status === 'error' && error) return <ErrorState message={error} onRetry={() => void load()} />
  if (status !== 'ready') return <LoadingState />

  const submit = () =>
    form.send(
      () => {
        const checked = validate(createSiteBody, {
          unionId: unionId ?? undefined,
          name,
          address,
          recipient,
        })
        if (checked.ok) return checked
        return {
          ok: false,
          errors: { ...checked.errors, ...(unionId === null ? { unionId: '请选择企业工会' } : {}) },
        }
      },
      (options) =>
        createCoolingSite(createSiteBody.parse({ unionId, name, address, recipient }), options),
      (site) => {
        add(site)
        setName('')
        setAddress('')
        setRecipient('')
      },
    )

  const byUnion = new Map<string, typeof sites>()
  for (const site of sites)
    byUnion.set(site.unionName, [...(byUnion.get(site.unionName) ?? []), site])

  return (
    <View className="page cooling-sites">
      <Text className="section-title">收货地点（{sites.length}）</Text>
      {sites.length === 0 ? <EmptyState text="还没有收货地点" /> : null}
      {[...byUnion.entries()].map(([unionName, list]) => (
        <View key={unionName} className="card site-group">
          <Text className="site-group-title">{unionName}</Text>
          {list.map((site) => (
            <View key={site.id} className="site-row">
              <Text className="site-name">{site.name}</Text>
              <Text className="staff-item-meta">{site.address}</Text>
              {site.recipient ? (
                <Text className="staff-item-meta">现场收货人：{site.recipient}</Text>
              ) : null}
              {editingId === site.id ? (
                <SiteEdit
                  site={site}
                  onSaved={(saved) => (add(saved), setEditingId(null))}
                  onCancel={() => setEditingId(null)}
                />
              ) : (
                <Text className="site-edit-link" onClick={() => setEditingId(site.id)}>
                  修改
                </Text>
              )}
            </View>
          ))}
        </View>
      ))}

      <Text className="section-title">添加收货地点</Text>
      {enterprises.length === 0 ? (
        <EmptyState text="你管理的工会中没有企业工会" />
      ) : (
        <View className="card site-form">
          {errors.form ? <Text className="form-error">{errors.form}</Text> : null}
          <UnionPicker
            label="企业工会"
            rows={enterprises}
            indent={false}
            value={unionId}
            onChange={(id) => (setUnionId(id), form.changed())}
            error={errors.unionId}
            valueClassName="site-union"
          />
          <TextField
            label="地点名称"
            value={name}
            placeholder="例如 若羌光伏项目部"
            inputClassName="site-name-input"
            error={errors.name}
            onInput={(value) => (setName(value), form.changed('name'))}
          />
          <TextField
            label="详细地址"
            value={address}
            placeholder="省市区、街道、项目部"
            inputClassName="site-address-input"
            error={errors.address}
            onInput={(value) => (setAddress(value), form.changed('address'))}
          />
          <TextField
            label="现场收货人（选填）"
            value={recipient}
            placeholder="在现场代收礼包的人"
            inputClassName="site-recipient-input"
            error={errors.recipient}
            onInput={(value) => (setRecipient(value), form.changed('recipient'))}
          />
          <SaveButton
            className="site-save"
            busy={form.busy}
            onClick={() => void submit()}
            label="添加地点"
            busyLabel="添加中…"
          />
        </View>
      )}
    </View>
  )
}
