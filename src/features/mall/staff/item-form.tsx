import { useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Picker, Text, Textarea, View } from '@tarojs/components'
import type { Member } from '@/contract/auth'
import { createItemBody, patchItemBody, type StaffMallItem } from '@/contract/mall'
import { EmptyState, ErrorState, LoadingState } from '@/components/page-state'
import { Field } from '@/components/form/field'
import { SaveButton } from '@/components/form/save-button'
import { UnionPicker, useUnionTree } from '@/components/form/union-picker'
import { errorMessage, newIdempotencyKey } from '@/services/http'
import { createItem, patchItem } from '@/services/mall'
import { dayBoundary, formatDate, toDateInput } from '@/services/time'
import { validate, type FieldErrors } from '@/services/validation'
import { useStaffItemsStore } from '@/features/mall/staff/items-store'
import { TextField } from '@/components/form/text-field'
import '@/components/form/form.scss'

/** Props of the item form. */
export interface ItemFormProps {
  member: Member
  /** The item to edit; a new item without it. */
  itemId?: number
}

interface Draft {
  name: string
  description: string
  unionId: number | null
  pointsCost: string
  stock: string
  perMemberLimit: string
  pickupDays: string
  imageUrl: string
  /** ISO moments; a picked day becomes its start (sale opens) or its end (sale closes). */
  saleStartsAt: string | null
  saleEndsAt: string | null
}

function draftOf(item: StaffMallItem | undefined): Draft {
  return {
    name: item?.name ?? '',
    description: item?.description ?? '',
    unionId: item?.unionId ?? null,
    pointsCost: item ? String(item.pointsCost) : '',
    stock: item ? String(item.stock) : '',
    perMemberLimit: item ? String(item.perMemberLimit) : '1',
    pickupDays: item ? String(item.pickupDays) : '7',
    imageUrl: item?.imageUrl ?? '',
    saleStartsAt: item?.saleStartsAt ?? null,
    saleEndsAt: item?.saleEndsAt ?? null,
  }
}

const numberLabels: Record<'pointsCost' | 'stock' | 'perMemberLimit' | 'pickupDays', string> = {
  pointsCost: '兑换积分',
  stock: '库存',
  perMemberLimit: '每人限兑',
  pickupDays: '领取期限',
}

/** A typed number field: empty and non-numbers get a message of their own. */
function toNumber(text: string): number | undefined {
  const t = text.trim()
  return t === '' ? undefined : Number(t)
}

/**
 * 新建 / 编辑商品: name, union (only those the staff member manages), cost, stock, per-member
 * limit, sale window (date pickers), pickup days, picture URL. Messages of the contract's schemas
 * appear next to their fields; the server's refusal above the form.
 */
export function ItemForm({ member, itemId }: ItemFormProps) {
  const itemsStore = useStaffItemsStore()
  const { mine: rows, gate } = useUnionTree(member)
  const editing = itemId !== undefined
  const item = editing ? itemsStore.items.find((i) => i.id === itemId) : undefined
  const [draft, setDraft] = useState<Draft>(() => draftOf(item))
  const [errors, setErrors] = useState<FieldErrors>({})
  const [busy, setBusy] = useState(false)
  const keyRef = useRef<string | null>(null)
  const loadedItem = useRef(!!item)

  useEffect(() => {
    if (editing && itemsStore.status === 'idle') void itemsStore.load()
  }, [editing, itemsStore])
  // Staff of one union put items on their own union's shelf unless they pick a union below it.
  useEffect(() => {
    if (!editing && !member.roles.includes('admin') && rows.length && draft.unionId === null) {
      setDraft((d) => ({ ...d, unionId: rows[0].union.id }))
    }
  }, [editing, member, rows, draft.unionId])
  // Opened by link: fill the form once the item arrives.
  useEffect(() => {
    if (item && !loadedItem.current) {
      loadedItem.current = true
      setDraft(draftOf(item))
    }
  }, [item])

  if (gate) return gate
  if (editing && itemsStore.status === 'error' && itemsStore.error) {
    return <ErrorState message={itemsStore.error} onRetry={() => void itemsStore.load()} />
  }
  if (editing && itemsStore.status !== 'ready') return <LoadingState />
  if (editing && !item) return <EmptyState text="商品不存在或你无权管理" />
  if (rows.length === 0) return <EmptyState text="你没有可以管理的工会" />

  const change = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }))
    keyRef.current = null
  }

  const submit = async () => {
    const problems: FieldErrors = {}
    for (const key of Object.keys(numberLabels) as Array<keyof typeof numberLabels>) {
      const value = toNumber(draft[key])
      if (value === undefined && key !== 'pickupDays') problems[key] = `请填写${numberLabels[key]}`
      else if (value !== undefined && Number.isNaN(value)) {
        problems[key] = `${numberLabels[key]}须为数字`
      }
    }
    if (draft.unionId === null) problems.unionId = '请选择所属工会'
    const values = {
      name: draft.name,
      unionId: draft.unionId ?? undefined,
      pointsCost: toNumber(draft.pointsCost),
      stock: toNumber(draft.stock),
      perMemberLimit: toNumber(draft.perMemberLimit),
      pickupDays: toNumber(draft.pickupDays),
    }
    const checked = editing
      ? validate(patchItemBody, {
          ...values,
          description: draft.description.trim() || null,
          imageUrl: draft.imageUrl.trim() || null,
          saleStartsAt: draft.saleStartsAt,
          saleEndsAt: draft.saleEndsAt,
        })
      : validate(createItemBody, {
          ...values,
          description: draft.description.trim() || undefined,
          imageUrl: draft.imageUrl.trim() || undefined,
          saleStartsAt: draft.saleStartsAt ?? undefined,
          saleEndsAt: draft.saleEndsAt ?? undefined,
        })
    if (!checked.ok || Object.keys(problems).length) {
      setErrors({ ...(checked.ok ? {} : checked.errors), ...problems })
      return
    }
    setErrors({})
    setBusy(true)
    try {
      let saved: StaffMallItem
      if (itemId !== undefined) {
        saved = await patchItem(itemId, checked.data)
      } else {
        keyRef.current ??= newIdempotencyKey()
        saved = await createItem(createItemBody.parse(checked.data), {
          idempotencyKey: keyRef.current,
        })
        keyRef.current = null
      }
      itemsStore.upsert(saved)
      Taro.showToast({ title: editing ? '已保存' : '已上架', icon: 'success' }).catch(
        () => undefined,
      )
      Taro.navigateBack().catch(() => undefined)
    } catch (e) {
      setErrors({ form: errorMessage(e) })
    } finally {
      setBusy(false)
    }
  }

  const textField = (
    key: 'name' | 'imageUrl' | 'pointsCost' | 'stock' | 'perMemberLimit' | 'pickupDays',
    label: string,
    placeholder: string,
    numeric = false,
  ) => (
    <TextField
      label={label}
      value={draft[key]}
      placeholder={placeholder}
      numeric={numeric}
      inputClassName={`item-${key}-input`}
      error={errors[key]}
      onInput={(value) => change({ [key]: value })}
    />
  )

  const dateField = (key: 'saleStartsAt' | 'saleEndsAt', label: string, empty: string) => (
    <Field label={label} error={errors[key]}>
      <View className="date-field">
        <Picker
          className="date-picker"
          mode="date"
          value={draft[key] ? toDateInput(draft[key]) : toDateInput(new Date())}
          onChange={(e) =>
            change({
              [key]: dayBoundary(String(e.detail.value), key === 'saleStartsAt' ? 'start' : 'end'),
            })
          }
        >
          <View className="picker-value">{draft[key] ? formatDate(draft[key]) : empty}</View>
        </Picker>
        {draft[key] ? (
          <Button className="btn btn-ghost" onClick={() => change({ [key]: null })}>
            清除
          </Button>
        ) : null}
      </View>
    </Field>
  )

  return (
    <View className="page item-form">
      <View className="card">
        {errors.form ? <Text className="form-error">{errors.form}</Text> : null}
        {textField('name', '商品名称', '例如 酸梅汤')}
        <UnionPicker
          label="所属工会（领取地点）"
          rows={rows}
          value={draft.unionId}
          onChange={(unionId) => change({ unionId })}
          error={errors.unionId}
        />
        {textField('pointsCost', '兑换积分（每件）', '例如 20', true)}
        {textField('stock', '库存（件）', '例如 300', true)}
        {textField('perMemberLimit', '每人限兑（件）', '例如 4', true)}
        {dateField('saleStartsAt', '开售日期（可不填）', '即日起')}
        {dateField('saleEndsAt', '停售日期（可不填）', '长期有效')}
        {textField('pickupDays', '领取期限（兑换后几天内领取）', '默认 7 天', true)}
        {textField('imageUrl', '图片地址（可不填）', 'https://…')}
        <Field label="商品说明（可不填）" error={errors.description}>
          <Textarea
            className="textarea item-description-input"
            value={draft.description}
            maxlength={500}
            placeholder="规格、口味等"
            onInput={(e) => change({ description: e.detail.value })}
          />
        </Field>
        <SaveButton
          className="item-save"
          busy={busy}
          onClick={() => void submit()}
          label={editing ? '保存修改' : '上架商品'}
        />
      </View>
    </View>
  )
}
