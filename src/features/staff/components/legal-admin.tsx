import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import Taro from '@tarojs/taro'
import { Button, Input, Picker, Text, Textarea, View } from '@tarojs/components'
import type { Member } from '@/contract/auth'
import type { MemberSummary } from '@/contract/org'
import {
  createAvailabilityBody,
  createClosureBody,
  createLawyerBody,
  createServicePointBody,
} from '@/contract/legal'
import { EmptyState, ErrorState, LoadingState } from '@/components/page-state'
import { errorMessage, newIdempotencyKey, type CallOptions } from '@/services/http'
import {
  createAvailability,
  createClosure,
  createLawyer,
  createServicePoint,
} from '@/services/legal'
import { searchMembers } from '@/services/org'
import { toDateInput } from '@/services/time'
import { validate, type FieldErrors } from '@/services/validation'
import { useStaffLegalStore } from '@/features/staff/legal-store'
import { useOrgStore } from '@/features/staff/store'
import { manageableRows, unionTreeRows } from '@/features/staff/union-tree'
import './staff.scss'

const weekdayNames = ['周一', '周二', '周三', '周四', '周五', '周六', '周日']

/**
 * Submits one add form: checks it with the contract's schema, sends it with an idempotency key
 * kept across a retry (renewed once the form changes), and says what happened.
 */
function useCreateForm<T>() {
  const [errors, setErrors] = useState<FieldErrors>({})
  const [busy, setBusy] = useState(false)
  const key = useRef<string | null>(null)
  const changed = () => {
    key.current = null
  }
  const send = async (
    check: () => ReturnType<typeof validate>,
    create: (options: CallOptions) => Promise<T>,
    done: (created: T) => void,
  ) => {
    const checked = check()
    if (!checked.ok) {
      setErrors(checked.errors)
      return
    }
    setErrors({})
    setBusy(true)
    try {
      key.current ??= newIdempotencyKey()
      const created = await create({ idempotencyKey: key.current })
      key.current = null
      done(created)
      Taro.showToast({ title: '已添加', icon: 'success' }).catch(() => undefined)
    } catch (e) {
      setErrors({ form: errorMessage(e) })
    } finally {
      setBusy(false)
    }
  }
  return { errors, busy, changed, send }
}

function Field({ label, error, children }: { label: string; error?: string; children: ReactNode }) {
  return (
    <View className="field">
      <Text className="field-label">{label}</Text>
      {children}
      {error ? <Text className="field-error">{error}</Text> : null}
    </View>
  )
}

function SaveButton({
  busy,
  onClick,
  label,
}: {
  busy: boolean
  onClick: () => void
  label: string
}) {
  return (
    <Button
      className={`btn btn-primary btn-block legal-admin-save${busy ? ' is-busy' : ''}`}
      disabled={busy || undefined}
      onClick={() => !busy && onClick()}
    >
      {busy ? '保存中…' : label}
    </Button>
  )
}

/** Loads the legal admin data; renders the loading or error state until it is there. */
function useLegalAdmin(): ReactNode | null {
  const { status, error, load } = useStaffLegalStore()
  useEffect(() => {
    void load()
  }, [load])
  if (status === 'error' && error) return <ErrorState message={error} onRetry={() => void load()} />
  if (status !== 'ready') return <LoadingState />
  return null
}

/** 律师 (staff): the lawyers and a form to add the profile of a member with the lawyer role. */
export function LegalLawyersAdmin() {
  const gate = useLegalAdmin()
  const { lawyers, addLawyer } = useStaffLegalStore()
  const form = useCreateForm<Awaited<ReturnType<typeof createLawyer>>>()
  const [q, setQ] = useState('')
  const [found, setFound] = useState<MemberSummary[]>([])
  const [member, setMember] = useState<MemberSummary | null>(null)
  const [firm, setFirm] = useState('')
  const [specialties, setSpecialties] = useState('')
  const [bio, setBio] = useState('')
  if (gate) return gate

  const search = async () => {
    try {
      setFound(await searchMembers({ q: q.trim(), limit: 20 }))
    } catch (e) {
      Taro.showToast({ title: errorMessage(e), icon: 'none' }).catch(() => undefined)
    }
  }
  const body = () => ({
    memberId: member?.id ?? 0,
    firm,
    specialties: specialties
      .split(/[,，、\s]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    bio,
  })
  const submit = () =>
    form.send(
      () => {
        const checked = validate(createLawyerBody, body())
        if (!member)
          return {
            ok: false,
            errors: { memberId: '请先搜索并选择会员', ...(checked.ok ? {} : checked.errors) },
          }
        return checked
      },
      (options) => createLawyer(body(), options),
      (lawyer) => {
        addLawyer(lawyer)
        setMember(null)
        setFirm('')
        setSpecialties('')
        setBio('')
      },
    )

  return (
    <View className="page legal-lawyers-admin">
      <Text className="section-title">律师（{lawyers.length}）</Text>
      {lawyers.length === 0 ? <EmptyState text="还没有律师" /> : null}
      {lawyers.map((l) => (
        <View key={l.id} className="card">
          <Text className="staff-tool-title">{l.name}</Text>
          <Text className="staff-item-meta">{l.firm}</Text>
          <Text className="staff-item-meta">{l.specialties.join('、')}</Text>
        </View>
      ))}
      <Text className="section-title">添加律师</Text>
      <View className="card">
        {form.errors.form ? <Text className="form-error">{form.errors.form}</Text> : null}
        <Field label="会员（需已有律师身份）" error={form.errors.memberId}>
          <View className="legal-admin-date">
            <Input
              className="input legal-member-q"
              value={q}
              placeholder="姓名或会员号"
              onInput={(e) => setQ(e.detail.value)}
            />
            <Button className="btn btn-ghost" onClick={() => void search()}>
              搜索
            </Button>
          </View>
          <View className="legal-admin-choices">
            {found.map((m) => (
              <View
                key={m.id}
                className={`legal-admin-choice${member?.id === m.id ? ' is-on' : ''}`}
                onClick={() => {
                  setMember(m)
                  form.changed()
                }}
              >
                {m.name}（{m.memberNo}）
              </View>
            ))}
          </View>
        </Field>
        <Field label="律师事务所" error={form.errors.firm}>
          <Input
            className="input"
            value={firm}
            onInput={(e) => (setFirm(e.detail.value), form.changed())}
          />
        </Field>
        <Field label="擅长领域（用逗号或顿号分隔）" error={form.errors.specialties}>
          <Input
            className="input"
            value={specialties}
            placeholder="劳动合同、工伤认定"
            onInput={(e) => (setSpecialties(e.detail.value), form.changed())}
          />
        </Field>
        <Field label="简介" error={form.errors.bio}>
          <Textarea
            className="textarea"
            value={bio}
            maxlength={500}
            onInput={(e) => (setBio(e.detail.value), form.changed())}
          />
        </Field>
        <SaveButton busy={form.busy} onClick={() => void submit()} label="添加律师" />
      </View>
    </View>
  )
}

/** 服务点 (staff): workstations (with address) and online services (phone or video). */
export function LegalPointsAdmin({ member }: { member: Member }) {
  const gate = useLegalAdmin()
  const org = useOrgStore()
  const { servicePoints, addServicePoint } = useStaffLegalStore()
  const form = useCreateForm<Awaited<ReturnType<typeof createServicePoint>>>()
  const unions = useMemo(
    () => manageableRows(unionTreeRows(org.unions), member),
    [org.unions, member],
  )
  const [unionIndex, setUnionIndex] = useState(0)
  const [name, setName] = useState('')
  const [kind, setKind] = useState<'workstation' | 'online'>('workstation')
  const [address, setAddress] = useState('')
  const [channel, setChannel] = useState<'phone' | 'video'>('phone')
  useEffect(() => {
    if (org.status === 'idle') void org.load()
  }, [org])
  if (gate) return gate
  if (org.status === 'error' && org.error) {
    return <ErrorState message={org.error} onRetry={() => void org.load()} />
  }
  if (org.status !== 'ready') return <LoadingState />

  const body = () => ({
    unionId: unions[unionIndex]?.union.id ?? 0,
    name,
    kind,
    ...(kind === 'workstation' ? { address } : { channel }),
  })
  const submit = () =>
    form.send(
      () => validate(createServicePointBody, body()),
      (options) => createServicePoint(createServicePointBody.parse(body()), options),
      (point) => {
        addServicePoint(point)
        setName('')
        setAddress('')
      },
    )
  return (
    <View className="page legal-points-admin">
      <Text className="section-title">服务点（{servicePoints.length}）</Text>
      {servicePoints.length === 0 ? <EmptyState text="还没有服务点" /> : null}
      {servicePoints.map((p) => (
        <View key={p.id} className="card">
          <Text className="staff-tool-title">{p.name}</Text>
          <Text className="staff-item-meta">
            {p.kind === 'online'
              ? p.channel === 'video'
                ? '线上 · 视频'
                : '线上 · 电话'
              : p.address}
          </Text>
          <Text className="staff-item-meta">{p.unionName}</Text>
        </View>
      ))}
      <Text className="section-title">添加服务点</Text>
      <View className="card">
        {form.errors.form ? <Text className="form-error">{form.errors.form}</Text> : null}
        <Field label="所属工会" error={form.errors.unionId}>
          <Picker
            mode="selector"
            range={unions.map((r) => r.union.name)}
            value={unionIndex}
            onChange={(e) => (setUnionIndex(Number(e.detail.value)), form.changed())}
          >
            <View className="picker-value">{unions[unionIndex]?.union.name ?? '请选择'}</View>
          </Picker>
        </Field>
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
        <SaveButton busy={form.busy} onClick={() => void submit()} label="添加服务点" />
      </View>
    </View>
  )
}

/** 排班 (staff): weekly availability rules of a lawyer at a service point. */
export function LegalAvailabilityAdmin() {
  const gate = useLegalAdmin()
  const { rules, lawyers, servicePoints, addRule } = useStaffLegalStore()
  const form = useCreateForm<Awaited<ReturnType<typeof createAvailability>>>()
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
  const submit = () =>
    form.send(
      () => validate(createAvailabilityBody, body()),
      (options) => createAvailability(body(), options),
      (rule) => addRule(rule),
    )
  const edit =
    <V,>(set: (v: V) => void) =>
    (v: V) => {
      set(v)
      form.changed()
    }
  return (
    <View className="page legal-availability-admin">
      <Text className="section-title">每周排班（{rules.length}）</Text>
      {rules.length === 0 ? <EmptyState text="还没有排班" /> : null}
      {rules.map((r) => (
        <View key={r.id} className="card">
          <Text className="staff-tool-title">
            {weekdayNames[r.weekday - 1]} {r.start}–{r.end}（每 {r.slotMinutes} 分钟）
          </Text>
          <Text className="staff-item-meta">
            {r.lawyerName} · {r.servicePointName}
          </Text>
          <Text className="staff-item-meta">
            {r.validFrom} 起{r.validTo ? ` 至 ${r.validTo}` : '，长期有效'}
          </Text>
        </View>
      ))}
      <Text className="section-title">添加排班</Text>
      {lawyers.length === 0 || servicePoints.length === 0 ? (
        <EmptyState text="请先添加律师和服务点" />
      ) : (
        <View className="card">
          {form.errors.form ? <Text className="form-error">{form.errors.form}</Text> : null}
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
          <Field label="星期" error={form.errors.weekday}>
            <Picker
              mode="selector"
              range={weekdayNames}
              value={weekday - 1}
              onChange={(e) => edit(setWeekday)(Number(e.detail.value) + 1)}
            >
              <View className="picker-value">{weekdayNames[weekday - 1]}</View>
            </Picker>
          </Field>
          <Field label="开始时间" error={form.errors.start}>
            <Picker
              mode="time"
              value={start}
              onChange={(e) => edit(setStart)(String(e.detail.value))}
            >
              <View className="picker-value">{start}</View>
            </Picker>
          </Field>
          <Field label="结束时间" error={form.errors.end}>
            <Picker mode="time" value={end} onChange={(e) => edit(setEnd)(String(e.detail.value))}>
              <View className="picker-value">{end}</View>
            </Picker>
          </Field>
          <Field label="每个时段（分钟）" error={form.errors.slotMinutes}>
            <Input
              className="input"
              type="number"
              value={slotMinutes}
              onInput={(e) => edit(setSlotMinutes)(e.detail.value)}
            />
          </Field>
          <Field label="有效期开始" error={form.errors.validFrom}>
            <Picker
              mode="date"
              value={validFrom}
              onChange={(e) => edit(setValidFrom)(String(e.detail.value))}
            >
              <View className="picker-value">{validFrom}</View>
            </Picker>
          </Field>
          <Field label="有效期结束（可不填）" error={form.errors.validTo}>
            <Picker
              mode="date"
              value={validTo || validFrom}
              onChange={(e) => edit(setValidTo)(String(e.detail.value))}
            >
              <View className="picker-value">{validTo || '长期有效'}</View>
            </Picker>
          </Field>
          <SaveButton busy={form.busy} onClick={() => void submit()} label="添加排班" />
        </View>
      )}
    </View>
  )
}

/** 停诊日 (staff): days without consultations (holidays), everywhere or at one service point. */
export function LegalClosuresAdmin() {
  const gate = useLegalAdmin()
  const { closures, servicePoints, addClosure } = useStaffLegalStore()
  const form = useCreateForm<Awaited<ReturnType<typeof createClosure>>>()
  const [date, setDate] = useState(() => toDateInput(new Date()))
  const [reason, setReason] = useState('')
  // 0: every service point; i + 1: servicePoints[i].
  const [pointIndex, setPointIndex] = useState(0)
  if (gate) return gate

  const body = () => ({
    date,
    reason,
    ...(pointIndex > 0 ? { servicePointId: servicePoints[pointIndex - 1]?.id } : {}),
  })
  const submit = () =>
    form.send(
      () => validate(createClosureBody, body()),
      (options) => createClosure(body(), options),
      (closure) => {
        addClosure(closure)
        setReason('')
      },
    )
  const pointName = (id: number | null) =>
    id === null ? '全部服务点' : (servicePoints.find((p) => p.id === id)?.name ?? '服务点')
  return (
    <View className="page legal-closures-admin">
      <Text className="section-title">停诊日（{closures.length}）</Text>
      {closures.length === 0 ? <EmptyState text="还没有停诊日" /> : null}
      {closures.map((c) => (
        <View key={c.id} className="card">
          <Text className="staff-tool-title">
            {c.date} {c.reason}
          </Text>
          <Text className="staff-item-meta">{pointName(c.servicePointId)}</Text>
        </View>
      ))}
      <Text className="section-title">添加停诊日</Text>
      <View className="card">
        {form.errors.form ? <Text className="form-error">{form.errors.form}</Text> : null}
        <Field label="日期" error={form.errors.date}>
          <Picker
            mode="date"
            value={date}
            onChange={(e) => (setDate(String(e.detail.value)), form.changed())}
          >
            <View className="picker-value">{date}</View>
          </Picker>
        </Field>
        <Field label="原因" error={form.errors.reason}>
          <Input
            className="input"
            value={reason}
            placeholder="例如 元旦"
            onInput={(e) => (setReason(e.detail.value), form.changed())}
          />
        </Field>
        <Field label="服务点">
          <Picker
            mode="selector"
            range={['全部服务点', ...servicePoints.map((p) => p.name)]}
            value={pointIndex}
            onChange={(e) => (setPointIndex(Number(e.detail.value)), form.changed())}
          >
            <View className="picker-value">
              {pointIndex === 0 ? '全部服务点' : servicePoints[pointIndex - 1]?.name}
            </View>
          </Picker>
        </Field>
        <SaveButton busy={form.busy} onClick={() => void submit()} label="添加停诊日" />
      </View>
    </View>
  )
}
