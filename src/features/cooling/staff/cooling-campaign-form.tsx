import { useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Input, Picker, Text, View } from '@tarojs/components'
import type { Member } from '@/contract/auth'
import { createCampaignBody } from '@/contract/cooling'
import { EmptyState } from '@/components/page-state'
import { errorMessage, newIdempotencyKey } from '@/services/http'
import { createCoolingCampaign } from '@/services/cooling'
import { toDateInput, toTimeInput, zonedDateTime } from '@/services/time'
import type { FieldErrors } from '@/services/validation'
import { useStaffCoolingStore } from '@/features/cooling/staff/cooling-store'
import { Field } from '@/components/form/field'
import { SaveButton } from '@/components/form/save-button'
import { UnionPicker, useUnionTree } from '@/components/form/union-picker'
import { TextField } from '@/components/form/text-field'
import '@/components/form/form.scss'
import './cooling-staff.scss'

/** Props of the campaign form. */
export interface CoolingCampaignFormProps {
  member: Member
}

type ItemField = 'name' | 'quotaCost' | 'maxPerPack' | 'stock' | 'defaultQuantity'

interface ItemDraft {
  /** Stable key of the row while rows are added and removed. */
  key: number
  name: string
  quotaCost: string
  maxPerPack: string
  stock: string
  /** How many of it the default pack holds (0: not in it). */
  defaultQuantity: string
}

interface Draft {
  title: string
  unionId: number | null
  opensDate: string
  opensTime: string
  closesDate: string
  closesTime: string
  quota: string
  maxItems: string
  items: ItemDraft[]
}

let nextKey = 1
function emptyRow(): ItemDraft {
  return {
    key: nextKey++,
    name: '',
    quotaCost: '',
    maxPerPack: '1',
    stock: '',
    defaultQuantity: '0',
  }
}

function initialDraft(): Draft {
  const now = new Date()
  const inTwoWeeks = new Date(now.getTime() + 14 * 86_400_000)
  return {
    title: '',
    unionId: null,
    opensDate: toDateInput(now),
    opensTime: toTimeInput(now),
    closesDate: toDateInput(inTwoWeeks),
    closesTime: '18:00',
    quota: '100',
    maxItems: '',
    items: [emptyRow()],
  }
}

const itemLabels: Record<Exclude<ItemField, 'name'>, string> = {
  quotaCost: '额度消耗',
  maxPerPack: '每份上限',
  stock: '库存',
  defaultQuantity: '默认礼包数量',
}

/** A typed number: undefined when empty, NaN when not a number. */
function toNumber(text: string): number | undefined {
  const t = text.trim()
  return t === '' ? undefined : Number(t)
}

/** The body to send, or the messages per field (`items.0.name`, `defaultPack`…). */
function buildBody(draft: Draft) {
  const errors: FieldErrors = {}
  const number = (text: string, key: string, label: string, required: boolean) => {
    const value = toNumber(text)
    if (value === undefined && required) errors[key] = `请填写${label}`
    else if (value !== undefined && Number.isNaN(value)) errors[key] = `${label}须为数字`
    return value
  }
  const quota = number(draft.quota, 'quota', '每人额度', true)
  const maxItems = number(draft.maxItems, 'maxItems', '件数上限', false)
  const items = draft.items.map((row, i) => ({
    name: row.name,
    quotaCost: number(row.quotaCost, `items.${i}.quotaCost`, '额度消耗', true),
    maxPerPack: number(row.maxPerPack, `items.${i}.maxPerPack`, '每份上限', true),
    stock: number(row.stock, `items.${i}.stock`, '库存', true),
  }))
  // The default pack: rows with a quantity, by their position in the item list.
  const defaultRows: number[] = []
  const defaultPack = draft.items.flatMap((row, i) => {
    const quantity = number(row.defaultQuantity, `items.${i}.defaultQuantity`, '默认数量', false)
    if (!quantity) return []
    defaultRows.push(i)
    const max = toNumber(row.maxPerPack)
    if (max !== undefined && quantity > max) {
      errors[`items.${i}.defaultQuantity`] = `默认数量不能超过每份上限 ${max}`
    }
    return [{ itemIndex: i, quantity }]
  })
  const parsed = createCampaignBody.safeParse({
    unionId: draft.unionId ?? undefined,
    title: draft.title,
    opensAt: zonedDateTime(draft.opensDate, draft.opensTime),
    closesAt: zonedDateTime(draft.closesDate, draft.closesTime),
    quota,
    maxItems,
    items,
    defaultPack,
  })
  if (draft.unionId === null) errors.unionId = '请选择所属工会'
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [head, index, field] = issue.path
      let key = String(head ?? 'form')
      if (head === 'items' && typeof index === 'number' && field !== undefined) {
        key = `items.${index}.${String(field)}`
      } else if (head === 'defaultPack' && typeof index === 'number') {
        key = `items.${defaultRows[index]}.defaultQuantity`
      }
      errors[key] ??= issue.message
    }
  }
  if (!parsed.success || Object.keys(errors).length) return { ok: false as const, errors }
  return { ok: true as const, body: parsed.data }
}

/**
 * 新建清凉活动: title, union (only those the staff member manages), the open/close window (date and
 * time pickers, Asia/Shanghai), quota and an optional piece limit, item rows (name, quota cost,
 * per-pack maximum, stock; add and remove) and the default pack as a quantity per row.
 */
export function CoolingCampaignForm({ member }: CoolingCampaignFormProps) {
  const { mine: rows, gate } = useUnionTree(member)
  const [draft, setDraft] = useState<Draft>(initialDraft)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [busy, setBusy] = useState(false)
  const keyRef = useRef<string | null>(null)

  useEffect(() => {
    if (rows.length && draft.unionId === null && !member.roles.includes('admin')) {
      setDraft((d) => ({ ...d, unionId: rows[0].union.id }))
    }
  }, [rows, draft.unionId, member])

  if (gate) return gate
  if (rows.length === 0) return <EmptyState text="你没有可以管理的工会" />

  const change = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }))
    keyRef.current = null
  }
  const changeRow = (key: number, patch: Partial<ItemDraft>) =>
    change({ items: draft.items.map((r) => (r.key === key ? { ...r, ...patch } : r)) })

  const submit = async () => {
    const built = buildBody(draft)
    if (!built.ok) {
      setErrors(built.errors)
      return
    }
    setErrors({})
    setBusy(true)
    try {
      keyRef.current ??= newIdempotencyKey()
      const campaign = await createCoolingCampaign(built.body, { idempotencyKey: keyRef.current })
      keyRef.current = null
      useStaffCoolingStore.getState().upsert(campaign)
      Taro.showToast({ title: '活动已创建', icon: 'success' }).catch(() => undefined)
      Taro.navigateBack().catch(() => undefined)
    } catch (e) {
      setErrors({ form: errorMessage(e) })
    } finally {
      setBusy(false)
    }
  }

  const error = (key: string) =>
    errors[key] ? (
      <Text className={`field-error error-${key.replace(/\./g, '-')}`}>{errors[key]}</Text>
    ) : null

  const text = (
    key: 'title' | 'quota' | 'maxItems',
    label: string,
    hint: string,
    numeric = false,
  ) => (
    <TextField
      label={label}
      value={draft[key]}
      placeholder={hint}
      numeric={numeric}
      inputClassName={`cooling-${key}-input`}
      error={errors[key]}
      errorClassName={`error-${key}`}
      onInput={(value) => change({ [key]: value })}
    />
  )

  const when = (prefix: 'opens' | 'closes', label: string) => {
    const dateKey = `${prefix}Date` as const
    const timeKey = `${prefix}Time` as const
    return (
      <Field label={label} error={errors[`${prefix}At`]} errorClassName={`error-${prefix}At`}>
        <View className="date-time">
          <Picker
            className={`date-time-date cooling-${prefix}-date`}
            mode="date"
            value={draft[dateKey]}
            onChange={(e) => change({ [dateKey]: String(e.detail.value) })}
          >
            <View className="picker-value">{draft[dateKey]}</View>
          </Picker>
          <Picker
            className={`date-time-time cooling-${prefix}-time`}
            mode="time"
            value={draft[timeKey]}
            onChange={(e) => change({ [timeKey]: String(e.detail.value) })}
          >
            <View className="picker-value">{draft[timeKey]}</View>
          </Picker>
        </View>
      </Field>
    )
  }

  return (
    <View className="page cooling-form">
      {errors.form ? <Text className="form-error">{errors.form}</Text> : null}
      <View className="card">
        {text('title', '活动名称', '例如 夏送清凉 · 清凉大礼包')}
        <UnionPicker
          label="所属工会"
          rows={rows}
          value={draft.unionId}
          onChange={(unionId) => change({ unionId })}
          error={errors.unionId}
          errorClassName="error-unionId"
        />
        {when('opens', '开始时间（北京时间）')}
        {when('closes', '截止时间（北京时间）')}
        {text('quota', '每人额度', '例如 100', true)}
        {text('maxItems', '每份最多件数（可不填）', '不限件数', true)}
      </View>

      <Text className="section-title">物资与默认礼包</Text>
      <Text className="muted cooling-form-hint">
        “默认礼包数量”填 0 表示不放入；没有自选的会员在活动结束时获得默认礼包。
      </Text>
      {error('items')}
      {error('defaultPack')}
      {draft.items.map((row, i) => (
        <View key={row.key} className="card cooling-item-row">
          <View className="cooling-item-row-head">
            <Text className="cooling-item-row-title">物资 {i + 1}</Text>
            {draft.items.length > 1 ? (
              <Button
                className="btn btn-ghost cooling-item-remove"
                onClick={() => change({ items: draft.items.filter((r) => r.key !== row.key) })}
              >
                删除
              </Button>
            ) : null}
          </View>
          <Field
            label="物品名称"
            error={errors[`items.${i}.name`]}
            errorClassName={`error-items-${i}-name`}
          >
            <Input
              className="input cooling-item-name-input"
              placeholder="例如 喷雾运动水壶"
              value={row.name}
              onInput={(e) => changeRow(row.key, { name: e.detail.value })}
            />
          </Field>
          <View className="cooling-item-grid">
            {(Object.keys(itemLabels) as Array<keyof typeof itemLabels>).map((field) => (
              <Field
                key={field}
                className="cooling-item-cell"
                label={itemLabels[field]}
                error={errors[`items.${i}.${field}`]}
                errorClassName={`error-items-${i}-${field}`}
              >
                <Input
                  className={`input cooling-item-${field}-input`}
                  type="number"
                  value={row[field]}
                  onInput={(e) => changeRow(row.key, { [field]: e.detail.value })}
                />
              </Field>
            ))}
          </View>
        </View>
      ))}
      <Button
        className="btn btn-ghost btn-block cooling-item-add"
        onClick={() => change({ items: [...draft.items, emptyRow()] })}
      >
        ＋ 添加物资
      </Button>
      <SaveButton
        className="cooling-save"
        busy={busy}
        onClick={() => void submit()}
        label="创建活动"
        busyLabel="创建中…"
      />
    </View>
  )
}
