import { useEffect, useMemo, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Input, Picker, Text, View } from '@tarojs/components'
import type { Member } from '@/contract/auth'
import { createSiteBody } from '@/contract/cooling'
import { EmptyState, ErrorState, LoadingState } from '@/components/page-state'
import { errorMessage, newIdempotencyKey } from '@/services/http'
import { createCoolingSite } from '@/services/cooling'
import { validate, type FieldErrors } from '@/services/validation'
import { useStaffSitesStore } from '@/features/staff/cooling-store'
import { useOrgStore } from '@/features/staff/store'
import { manageableRows, unionTreeRows } from '@/features/staff/union-tree'
import './staff.scss'

/** Props of the work sites page. */
export interface CoolingSitesProps {
  member: Member
}

/**
 * 收货地点: the work sites of the enterprises the staff member manages, and a form to add one
 * (only enterprise unions — those without unions below them — keep sites).
 */
export function CoolingSites({ member }: CoolingSitesProps) {
  const org = useOrgStore()
  const { sites, status, error, load, add } = useStaffSitesStore()
  const enterprises = useMemo(() => {
    const parents = new Set(org.unions.map((u) => u.parentId))
    return manageableRows(unionTreeRows(org.unions), member).filter((r) => !parents.has(r.union.id))
  }, [org.unions, member])
  const [unionId, setUnionId] = useState<number | null>(null)
  const [name, setName] = useState('')
  const [address, setAddress] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [busy, setBusy] = useState(false)
  const keyRef = useRef<string | null>(null)

  useEffect(() => {
    if (org.status === 'idle') void org.load()
    void load()
  }, [org, load])
  useEffect(() => {
    if (unionId === null && enterprises.length) setUnionId(enterprises[0].union.id)
  }, [unionId, enterprises])

  if (org.status === 'error' && org.error) {
    return <ErrorState message={org.error} onRetry={() => void org.load()} />
  }
  if (status === 'error' && error) return <ErrorState message={error} onRetry={() => void load()} />
  if (org.status !== 'ready' || status !== 'ready') return <LoadingState />

  const submit = async () => {
    const checked = validate(createSiteBody, { unionId: unionId ?? undefined, name, address })
    if (!checked.ok) {
      setErrors({ ...checked.errors, ...(unionId === null ? { unionId: '请选择企业工会' } : {}) })
      return
    }
    setErrors({})
    setBusy(true)
    try {
      keyRef.current ??= newIdempotencyKey()
      const site = await createCoolingSite(checked.data, { idempotencyKey: keyRef.current })
      keyRef.current = null
      add(site)
      setName('')
      setAddress('')
      Taro.showToast({ title: '已添加', icon: 'success' }).catch(() => undefined)
    } catch (e) {
      setErrors({ form: errorMessage(e) })
    } finally {
      setBusy(false)
    }
  }

  const unionIndex = enterprises.findIndex((r) => r.union.id === unionId)
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
          <View className="field">
            <Text className="field-label">企业工会</Text>
            <Picker
              mode="selector"
              range={enterprises.map((r) => r.union.name)}
              value={Math.max(unionIndex, 0)}
              onChange={(e) => {
                setUnionId(enterprises[Number(e.detail.value)]?.union.id ?? null)
                keyRef.current = null
              }}
            >
              <View className="picker-value site-union">
                {enterprises[unionIndex]?.union.name ?? '请选择'}
              </View>
            </Picker>
            {errors.unionId ? <Text className="field-error">{errors.unionId}</Text> : null}
          </View>
          <View className="field">
            <Text className="field-label">地点名称</Text>
            <Input
              className="input site-name-input"
              placeholder="例如 若羌光伏项目部"
              value={name}
              onInput={(e) => {
                setName(e.detail.value)
                keyRef.current = null
              }}
            />
            {errors.name ? <Text className="field-error">{errors.name}</Text> : null}
          </View>
          <View className="field">
            <Text className="field-label">详细地址</Text>
            <Input
              className="input site-address-input"
              placeholder="省市区、街道、项目部"
              value={address}
              onInput={(e) => {
                setAddress(e.detail.value)
                keyRef.current = null
              }}
            />
            {errors.address ? <Text className="field-error">{errors.address}</Text> : null}
          </View>
          <Button
            className={
              busy
                ? 'btn btn-primary btn-block site-save is-busy'
                : 'btn btn-primary btn-block site-save'
            }
            disabled={busy || undefined}
            onClick={() => !busy && void submit()}
          >
            {busy ? '添加中…' : '添加地点'}
          </Button>
        </View>
      )}
    </View>
  )
}
