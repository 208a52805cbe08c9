import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Input, Picker, Switch, Text, View } from '@tarojs/components'
import {
  eventWindowsMessage,
  eventWindowsValid,
  updateEventBody,
  type StaffEvent,
  type UpdateEventInput,
} from '@/contract/events'
import { ErrorState, LoadingState } from '@/components/page-state'
import { Field } from '@/components/form/field'
import { LocationField, locationOf, type CoordinatesDraft } from '@/components/form/location-field'
import { SaveButton } from '@/components/form/save-button'
import { TextField } from '@/components/form/text-field'
import { errorMessage } from '@/services/http'
import { getStaffEvent, updateEvent } from '@/services/events'
import { toDateInput, toTimeInput, zonedDateTime } from '@/services/time'
import { validate, type FieldErrors } from '@/services/validation'
import { useEventDeskStore } from '@/features/events/staff/event-desk-store'
import { useStaffEventsStore } from '@/features/events/staff/events-store'
import { hostNames } from '@/features/events/labels'
import '@/components/form/form.scss'
import './events-staff.scss'

/** Props of the event edit form. */
export interface EventEditFormProps {
  eventId: number
}

type MomentKey = 'signupOpensAt' | 'signupClosesAt' | 'startsAt' | 'endsAt'
const momentLabels: Record<MomentKey, string> = {
  signupOpensAt: '报名开始',
  signupClosesAt: '报名截止',
  startsAt: '活动开始',
  endsAt: '活动结束',
}
const momentKeys = Object.keys(momentLabels) as MomentKey[]

interface Draft {
  title: string
  venue: string
  venueAt: CoordinatesDraft
  moments: Record<MomentKey, { date: string; time: string }>
  capacity: string
  perGender: boolean
  male: string
  female: string
  checkinPoints: string
}

function draftOf(e: StaffEvent): Draft {
  const moment = (iso: string) => ({ date: toDateInput(iso), time: toTimeInput(iso) })
  return {
    title: e.title,
    venue: e.venue,
    venueAt: {
      latitude: e.venueLocation ? String(e.venueLocation.latitude) : '',
      longitude: e.venueLocation ? String(e.venueLocation.longitude) : '',
    },
    moments: {
      signupOpensAt: moment(e.signupOpensAt),
      signupClosesAt: moment(e.signupClosesAt),
      startsAt: moment(e.startsAt),
      endsAt: moment(e.endsAt),
    },
    capacity: String(e.capacity),
    perGender: e.capacityPerGender !== null,
    male: e.capacityPerGender ? String(e.capacityPerGender.male) : '',
    female: e.capacityPerGender ? String(e.capacityPerGender.female) : '',
    checkinPoints: String(e.checkinPoints),
  }
}

const num = (t: string) => (t.trim() === '' ? undefined : Number(t.trim()))

/**
 * The changes between the event and the draft, as the PATCH body: only what differs (a time is
 * compared to the minute, as the pickers show it), so an edit never rewrites what was not touched.
 */
function eventChanges(e: StaffEvent, d: Draft): UpdateEventInput {
  const was = draftOf(e)
  const body: UpdateEventInput = {}
  if (d.title.trim() !== e.title) body.title = d.title
  if (d.venue.trim() !== e.venue) body.venue = d.venue
  // The place on the map: blank coordinates clear it; the map address stays while they do.
  if (
    d.venueAt.latitude !== was.venueAt.latitude ||
    d.venueAt.longitude !== was.venueAt.longitude
  ) {
    body.venueLocation = (locationOf(d.venueAt) ?? null) as UpdateEventInput['venueLocation']
  }
  for (const key of momentKeys) {
    const m = d.moments[key]
    if (m.date !== was.moments[key].date || m.time !== was.moments[key].time) {
      body[key] = zonedDateTime(m.date, m.time)
    }
  }
  const capacity = num(d.capacity)
  if (capacity !== e.capacity) body.capacity = capacity
  if (d.perGender) {
    const male = num(d.male)
    const female = num(d.female)
    if (male !== e.capacityPerGender?.male || female !== e.capacityPerGender?.female) {
      body.capacityPerGender = { male: male as number, female: female as number }
    }
  } else if (e.capacityPerGender !== null) body.capacityPerGender = null
  const points = num(d.checkinPoints) ?? 0
  if (points !== e.checkinPoints) body.checkinPoints = points
  return body
}

/**
 * 修改活动: title, venue (and its place on the map), the four times, capacity (with the split per gender) and the points for
 * checking in, prefilled from the event. Only what changed is sent. The server keeps the capacity
 * at or above those already confirmed and moves the waitlist up when it grows: the form says how
 * many that was. Host unions, the description and birth years stay as created.
 */
export function EventEditForm({ eventId }: EventEditFormProps) {
  const [event, setEvent] = useState<StaffEvent | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [draft, setDraft] = useState<Draft | null>(null)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [busy, setBusy] = useState(false)

  const load = async () => {
    setLoadError(null)
    try {
      const e = await getStaffEvent(eventId)
      setEvent(e)
      setDraft(draftOf(e))
    } catch (err) {
      setLoadError(errorMessage(err))
    }
  }
  useEffect(() => {
    void load()
    // Once per event.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [eventId])

  if (loadError) return <ErrorState message={loadError} onRetry={() => void load()} />
  if (!event || !draft) return <LoadingState />

  /** Changes the draft; a field's message goes as soon as it is edited. */
  const change = (patch: Partial<Draft>, fields: string[]) => {
    setDraft({ ...draft, ...patch })
    setErrors((old) => {
      const next: FieldErrors = { ...old, form: undefined }
      for (const f of fields) next[f] = undefined
      return next
    })
  }
  const changeMoment = (key: MomentKey, patch: Partial<{ date: string; time: string }>) =>
    change({ moments: { ...draft.moments, [key]: { ...draft.moments[key], ...patch } } }, [
      key,
      'signupClosesAt',
    ])

  const submit = async () => {
    const problems: FieldErrors = {}
    for (const key of ['capacity', 'male', 'female', 'checkinPoints'] as const) {
      const value = num(draft[key])
      if (value !== undefined && Number.isNaN(value)) problems[key] = '请填写数字'
    }
    if (draft.perGender && (num(draft.male) === undefined || num(draft.female) === undefined)) {
      problems.capacityPerGender = '请填写男女各自的名额'
    }
    const times = Object.fromEntries(
      momentKeys.map((k) => [k, zonedDateTime(draft.moments[k].date, draft.moments[k].time)]),
    ) as Record<MomentKey, string>
    if (!eventWindowsValid(times)) problems.signupClosesAt = eventWindowsMessage
    const body = eventChanges(event, draft)
    if (Object.keys(problems).length === 0 && Object.keys(body).length === 0) {
      problems.form = '没有修改任何内容'
    }
    const checked = Object.keys(problems).length ? null : validate(updateEventBody, body)
    if (!checked || !checked.ok) {
      setErrors({ ...(checked && !checked.ok ? checked.errors : {}), ...problems })
      return
    }
    setErrors({})
    setBusy(true)
    try {
      const saved = await updateEvent(eventId, checked.data)
      const promoted = Math.max(0, event.waitlistCount - saved.waitlistCount)
      useStaffEventsStore.getState().upsert(saved)
      if (useEventDeskStore.getState().eventId === eventId) {
        useEventDeskStore.setState({ event: { data: saved, status: 'ready', error: null } })
      }
      setEvent(saved)
      setDraft(draftOf(saved))
      await Taro.showToast({
        title: promoted > 0 ? `已保存，${promoted} 人候补转正` : '已保存',
        icon: promoted > 0 ? 'none' : 'success',
        duration: 2500,
      }).catch(() => undefined)
      Taro.navigateBack().catch(() => undefined)
    } catch (err) {
      setErrors({ form: errorMessage(err) })
    } finally {
      setBusy(false)
    }
  }

  const confirmed = event.confirmedCount

  return (
    <View className="page event-form event-edit-form">
      <View className="card">
        {errors.form ? <Text className="form-error event-edit-error">{errors.form}</Text> : null}
        <Text className="staff-item-meta">主办：{hostNames(event)}</Text>
        <TextField
          label="活动名称"
          value={draft.title}
          inputClassName="event-title-input"
          error={errors.title}
          onInput={(title) => change({ title }, ['title'])}
        />
        <TextField
          label="活动地点"
          value={draft.venue}
          inputClassName="event-venue-input"
          error={errors.venue}
          onInput={(venue) => change({ venue }, ['venue'])}
        />
        <LocationField
          label="地点在地图上的位置（选填，清空即不在地图上显示）"
          value={draft.venueAt}
          onChange={(venueAt) => change({ venueAt }, ['venueLocation'])}
          error={errors.venueLocation}
          classPrefix="event-venue"
        />
      </View>

      <View className="card">
        <Text className="section-title">时间（北京时间）</Text>
        {momentKeys.map((key) => {
          const m = draft.moments[key]
          return (
            <Field key={key} label={momentLabels[key]} error={errors[key]}>
              <View className="moment-field">
                <Picker
                  className="moment-date"
                  mode="date"
                  value={m.date}
                  onChange={(e) => changeMoment(key, { date: String(e.detail.value) })}
                >
                  <View className={`picker-value event-${key}-date`}>{m.date}</View>
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
        })}
        <Text className="muted">签到在活动开始前 1 小时开放，活动结束后关闭。</Text>
      </View>

      <View className="card">
        <Text className="section-title">名额与积分</Text>
        <TextField
          label={`人数上限（已有 ${confirmed} 人报名成功，不能少于 ${confirmed}）`}
          value={draft.capacity}
          numeric
          inputClassName="event-capacity-input"
          error={errors.capacity}
          onInput={(capacity) => change({ capacity }, ['capacity'])}
        />
        {event.waitlistCount > 0 ? (
          <Text className="muted event-edit-waitlist">
            现有 {event.waitlistCount} 人候补：增加名额后，按候补顺序立即转为报名成功，并通知本人。
          </Text>
        ) : null}
        <View className="field switch-field">
          <Text className="field-label">按性别分配名额</Text>
          <Switch
            className="event-per-gender"
            checked={draft.perGender}
            color="#d4380d"
            onChange={(e) => change({ perGender: e.detail.value }, ['capacityPerGender'])}
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
                onInput={(e) => change({ male: e.detail.value }, ['male', 'capacityPerGender'])}
              />
              <Input
                className="input event-female-input"
                type="number"
                placeholder="女生名额"
                value={draft.female}
                onInput={(e) => change({ female: e.detail.value }, ['female', 'capacityPerGender'])}
              />
            </View>
            {errors.capacityPerGender || errors.male || errors.female ? (
              <Text className="field-error">
                {errors.capacityPerGender ?? errors.male ?? errors.female}
              </Text>
            ) : null}
          </View>
        ) : null}
        <TextField
          label="签到奖励积分（每人一次，0 为不奖励）"
          value={draft.checkinPoints}
          numeric
          inputClassName="event-checkin-points-input"
          error={errors.checkinPoints}
          onInput={(checkinPoints) => change({ checkinPoints }, ['checkinPoints'])}
        />
        <SaveButton
          className="event-update"
          busy={busy}
          onClick={() => void submit()}
          label="保存修改"
        />
      </View>
    </View>
  )
}
