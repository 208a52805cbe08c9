import { useMemo, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { Input, Picker, Switch, Text, Textarea, View } from '@tarojs/components'
import type { Member } from '@/contract/auth'
import { createEventBody } from '@/contract/events'
import { errorMessage, newIdempotencyKey } from '@/services/http'
import { createEvent } from '@/services/events'
import { validate, type FieldErrors } from '@/services/validation'
import { Field } from '@/components/form/field'
import {
  LocationField,
  locationOf,
  noCoordinates,
  type CoordinatesDraft,
} from '@/components/form/location-field'
import { SaveButton } from '@/components/form/save-button'
import { useUnionTree } from '@/components/form/union-picker'
import { useStaffEventsStore } from '@/features/events/staff/events-store'
import { STAFF_EVENT_PAGE } from '@/features/events/urls'
import { TextField } from '@/components/form/text-field'
import '@/components/form/form.scss'
import './events-staff.scss'

/** Props of the event form. */
export interface EventFormProps {
  member: Member
}

type MomentKey = 'signupOpensAt' | 'signupClosesAt' | 'startsAt' | 'endsAt'

/** A moment as picked: a day and a time of day, both in Asia/Shanghai. */
interface Moment {
  date: string | null
  time: string
}

interface Draft {
  title: string
  venue: string
  /** Where the venue is on the map (optional). */
  venueAt: CoordinatesDraft
  description: string
  hostUnionIds: number[]
  moments: Record<MomentKey, Moment>
  capacity: string
  perGender: boolean
  male: string
  female: string
  minBirthYear: string
  maxBirthYear: string
  /** Points each attendee earns by checking in ('' or 0: none). */
  checkinPoints: string
}

const momentLabels: Record<MomentKey, { label: string; time: string }> = {
  signupOpensAt: { label: '报名开始', time: '09:00' },
  signupClosesAt: { label: '报名截止', time: '18:00' },
  startsAt: { label: '活动开始', time: '14:00' },
  endsAt: { label: '活动结束', time: '17:30' },
}
const momentKeys = Object.keys(momentLabels) as MomentKey[]

const emptyDraft: Draft = {
  title: '',
  venue: '',
  venueAt: noCoordinates,
  description: '',
  hostUnionIds: [],
  moments: {
    signupOpensAt: { date: null, time: momentLabels.signupOpensAt.time },
    signupClosesAt: { date: null, time: momentLabels.signupClosesAt.time },
    startsAt: { date: null, time: momentLabels.startsAt.time },
    endsAt: { date: null, time: momentLabels.endsAt.time },
  },
  capacity: '',
  perGender: false,
  male: '',
  female: '',
  minBirthYear: '',
  maxBirthYear: '',
  checkinPoints: '',
}

function toNumber(text: string): number | undefined {
  const t = text.trim()
  return t === '' ? undefined : Number(t)
}

/** `2026-07-01` + `14:00` → `2026-07-01T14:00:00+08:00` (the day and time as seen in Shanghai). */
function momentIso(m: Moment): string | undefined {
  return m.date ? `${m.date}T${m.time}:00+08:00` : undefined
}

function today(): string {
  // The calendar day in Shanghai, whatever the device's zone.
  const shanghai = new Date(Date.now() + 8 * 3600_000)
  return shanghai.toISOString().slice(0, 10)
}

/**
 * 新建联谊活动: title, venue, co-host unions (several, even outside the staff member's subtree —
 * at least one inside it), sign-up window and event times (date + time pickers, Asia/Shanghai),
 * capacity with an optional split per gender, an optional birth-year range. The contract's
 * messages appear under their fields; the server's refusal above the form.
 */
export function EventForm({ member }: EventFormProps) {
  const unions = useUnionTree(member)
  const upsert = useStaffEventsStore((s) => s.upsert)
  const { rows } = unions
  const mine = useMemo(() => new Set(unions.mine.map((r) => r.union.id)), [unions.mine])
  const [draft, setDraft] = useState<Draft>(emptyDraft)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [busy, setBusy] = useState(false)
  const keyRef = useRef<string | null>(null)

  if (unions.gate) return unions.gate

  const change = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }))
    keyRef.current = null
  }
  const changeMoment = (key: MomentKey, patch: Partial<Moment>) => {
    setDraft((d) => ({ ...d, moments: { ...d.moments, [key]: { ...d.moments[key], ...patch } } }))
    keyRef.current = null
  }
  const toggleHost = (id: number) => {
    const on = draft.hostUnionIds.includes(id)
    change({
      hostUnionIds: on ? draft.hostUnionIds.filter((x) => x !== id) : [...draft.hostUnionIds, id],
    })
  }

  const submit = async () => {
    const problems: FieldErrors = {}
    for (const key of momentKeys) {
      if (!draft.moments[key].date) problems[key] = `请选择${momentLabels[key].label}日期`
    }
    const numbers = {
      capacity: toNumber(draft.capacity),
      male: toNumber(draft.male),
      female: toNumber(draft.female),
      minBirthYear: toNumber(draft.minBirthYear),
      maxBirthYear: toNumber(draft.maxBirthYear),
      checkinPoints: toNumber(draft.checkinPoints),
    }
    for (const [key, value] of Object.entries(numbers)) {
      if (value !== undefined && Number.isNaN(value)) problems[key] = '请填写数字'
    }
    if (draft.perGender && (numbers.male === undefined || numbers.female === undefined)) {
      problems.capacityPerGender = '请填写男女各自的名额'
    }
    if (draft.hostUnionIds.length && !draft.hostUnionIds.some((id) => mine.has(id))) {
      problems.hostUnionIds = '主办工会中至少要有一个是本工会或下级工会'
    }
    const checked = validate(createEventBody, {
      title: draft.title,
      venue: draft.venue,
      venueLocation: locationOf(draft.venueAt),
      description: draft.description.trim() || undefined,
      hostUnionIds: draft.hostUnionIds,
      signupOpensAt: momentIso(draft.moments.signupOpensAt),
      signupClosesAt: momentIso(draft.moments.signupClosesAt),
      startsAt: momentIso(draft.moments.startsAt),
      endsAt: momentIso(draft.moments.endsAt),
      capacity: numbers.capacity,
      capacityPerGender:
        draft.perGender && numbers.male !== undefined && numbers.female !== undefined
          ? { male: numbers.male, female: numbers.female }
          : undefined,
      minBirthYear: numbers.minBirthYear,
      maxBirthYear: numbers.maxBirthYear,
      checkinPoints: numbers.checkinPoints || undefined,
    })
    if (!checked.ok || Object.keys(problems).length) {
      // Our own words first: "请选择报名开始日期" says more than a format message.
      setErrors({ ...(checked.ok ? {} : checked.errors), ...problems })
      return
    }
    setErrors({})
    setBusy(true)
    try {
      keyRef.current ??= newIdempotencyKey()
      const event = await createEvent(checked.data, { idempotencyKey: keyRef.current })
      keyRef.current = null
      upsert(event)
      Taro.showToast({ title: '活动已创建', icon: 'success' }).catch(() => undefined)
      Taro.redirectTo({ url: `${STAFF_EVENT_PAGE}?id=${event.id}` }).catch(() => undefined)
    } catch (e) {
      setErrors({ form: errorMessage(e) })
    } finally {
      setBusy(false)
    }
  }

  const textField = (
    key: 'title' | 'venue' | 'capacity' | 'minBirthYear' | 'maxBirthYear' | 'checkinPoints',
    label: string,
    placeholder: string,
    numeric = false,
  ) => (
    <TextField
      label={label}
      value={draft[key]}
      placeholder={placeholder}
      numeric={numeric}
      inputClassName={`event-${key}-input`}
      error={errors[key]}
      onInput={(value) => change({ [key]: value })}
    />
  )

  const momentField = (key: MomentKey) => {
    const m = draft.moments[key]
    return (
      <Field key={key} label={momentLabels[key].label} error={errors[key]}>
        <View className="moment-field">
          <Picker
            className="moment-date"
            mode="date"
            value={m.date ?? today()}
            onChange={(e) => changeMoment(key, { date: String(e.detail.value) })}
          >
            <View className={`picker-value event-${key}-date`}>{m.date ?? '选择日期'}</View>
          </Picker>
          <Picker
            className="moment-time"
            mode="time"
            value={m.time}
            onChange={(e) => changeMoment(key, { time: String(e.detail.value) })}
          >
            <View className={`picker-value event-${key}-time`}>{m.time}</View>
          </Picker>
        </View>
      </Field>
    )
  }

  return (
    <View className="page event-form">
      <View className="card">
        {errors.form ? <Text className="form-error">{errors.form}</Text> : null}
        {textField('title', '活动名称', '例如 爱在运河畔 缘定副中心')}
        {textField('venue', '活动地点', '例如 城市绿心森林公园')}
        <LocationField
          label="地点在地图上的位置（选填，会员可查看地图、导航）"
          value={draft.venueAt}
          onChange={(venueAt) => change({ venueAt })}
          error={errors.venueLocation}
          classPrefix="event-venue"
        />
        <Field label="活动介绍（可不填）" error={errors.description}>
          <Textarea
            className="textarea event-description-input"
            value={draft.description}
            maxlength={1000}
            placeholder="活动流程、着装、注意事项等"
            onInput={(e) => change({ description: e.detail.value })}
          />
        </Field>

        <Field label="主办工会（可多选，可跨地区联合主办）" error={errors.hostUnionIds}>
          <View className="role-chips host-chips">
            {rows.map(({ union }) => (
              <View
                key={union.id}
                className={
                  draft.hostUnionIds.includes(union.id)
                    ? 'role-chip role-chip-on host-chip'
                    : 'role-chip host-chip'
                }
                onClick={() => toggleHost(union.id)}
              >
                <Text>{union.name}</Text>
              </View>
            ))}
          </View>
        </Field>
      </View>

      <View className="card">
        <Text className="section-title">时间（北京时间）</Text>
        {momentKeys.map(momentField)}
      </View>

      <View className="card">
        <Text className="section-title">名额与报名条件</Text>
        {textField('capacity', '人数上限', '例如 200', true)}
        <View className="field switch-field">
          <Text className="field-label">按性别分配名额</Text>
          <Switch
            className="event-per-gender"
            checked={draft.perGender}
            color="#d4380d"
            onChange={(e) => change({ perGender: e.detail.value })}
          />
        </View>
        {draft.perGender ? (
          <View className="field">
            <View className="gender-caps">
              <Input
                className="input event-male-input"
                type="number"
                placeholder="男生名额"
                value={draft.male}
                onInput={(e) => change({ male: e.detail.value })}
              />
              <Input
                className="input event-female-input"
                type="number"
                placeholder="女生名额"
                value={draft.female}
                onInput={(e) => change({ female: e.detail.value })}
              />
            </View>
            {errors.capacityPerGender || errors.male || errors.female ? (
              <Text className="field-error">
                {errors.capacityPerGender ?? errors.male ?? errors.female}
              </Text>
            ) : null}
          </View>
        ) : null}
        {textField('minBirthYear', '出生年份不早于（可不填）', '例如 1990', true)}
        {textField('maxBirthYear', '出生年份不晚于（可不填）', '例如 2003', true)}
        {textField('checkinPoints', '签到奖励积分（可不填；每人签到一次得一次）', '例如 20', true)}
        <SaveButton
          className="event-save"
          busy={busy}
          onClick={() => void submit()}
          label="创建活动"
          busyLabel="创建中…"
        />
      </View>
    </View>
  )
}
