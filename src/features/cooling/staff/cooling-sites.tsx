import { useEffect, useMemo, useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { Member } from '@/contract/auth'
import { createSiteBody, type CoolingSite } from '@/contract/cooling'
import { EmptyState, ErrorState, LoadingState } from '@/components/page-state'
import { SaveButton } from '@/components/form/save-button'
import { TextField } from '@/components/form/text-field'
import { UnionPicker, useUnionTree } from '@/components/form/union-picker'
import { useCreateForm } from '@/components/form/use-create-form'
import { createCoolingSite } from '@/services/cooling'
import { validate } from '@/services/validation'
import { useStaffSitesStore } from '@/features/cooling/staff/cooling-store'
import '@/components/staff-list.scss'
import './cooling-staff.scss'

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
  const form = useCreateForm<CoolingSite>()
  const errors = form.errors

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
        const checked = validate(createSiteBody, { unionId: unionId ?? undefined, name, address })
        if (checked.ok) return checked
        return {
          ok: false,
          errors: { ...checked.errors, ...(unionId === null ? { unionId: '请选择企业工会' } : {}) },
        }
      },
      (options) => createCoolingSite(createSiteBody.parse({ unionId, name, address }), options),
      (site) => {
        add(site)
        setName('')
        setAddress('')
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
            onInput={(value) => (setName(value), form.changed())}
          />
          <TextField
            label="详细地址"
            value={address}
            placeholder="省市区、街道、项目部"
            inputClassName="site-address-input"
            error={errors.address}
            onInput={(value) => (setAddress(value), form.changed())}
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
