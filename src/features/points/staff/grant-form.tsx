import { useEffect, useRef, useState } from 'react'
import { Button, Input, Picker, Text, Textarea, View } from '@tarojs/components'
import type { Member } from '@/contract/auth'
import type { MemberSummary } from '@/contract/org'
import { grantBody, type GrantPreviewResponse } from '@/contract/points'
import { Field } from '@/components/form/field'
import { SaveButton } from '@/components/form/save-button'
import { TextField } from '@/components/form/text-field'
import { UnionPicker, useUnionTree } from '@/components/form/union-picker'
import { ApiError, errorMessage, newIdempotencyKey } from '@/services/http'
import { searchMembers } from '@/services/org'
import { grantJob, grantPoints, previewGrant } from '@/services/points'
import { dayBoundary, formatDate, toDateInput } from '@/services/time'
import { validate, type FieldErrors } from '@/services/validation'
import '@/components/form/form.scss'
import './grant.scss'

/** Props of the grant form. */
export interface GrantFormProps {
  member: Member
}

type Target = { memberIds: number[] } | { unionId: number }

interface Pending {
  target: Target
  amount: number
  reason: string
  expiresAt?: string
  preview: GrantPreviewResponse
  /** Who: a union's name or the listed member numbers. */
  whom: string
}

/** Splits typed member numbers on spaces, commas and new lines; upper case, no repeats. */
export function parseMemberNos(text: string): string[] {
  const seen = new Set<string>()
  for (const part of text.split(/[\s,，、;；]+/)) {
    const no = part.trim().toUpperCase()
    if (no) seen.add(no)
  }
  return [...seen]
}

/** Finds each member number among the members the staff member may act on. */
async function resolveMemberNos(nos: string[]): Promise<{ ids: number[]; unknown: string[] }> {
  const ids: number[] = []
  const unknown: string[] = []
  // A few at a time: a long list must not flood the server.
  for (let i = 0; i < nos.length; i += 5) {
    const found = await Promise.all(
      nos.slice(i, i + 5).map(async (no) => {
        const hits = await searchMembers({ q: no, limit: 10 })
        return { no, hit: hits.find((m) => m.memberNo === no) }
      }),
    )
    for (const { no, hit } of found) {
      if (hit) ids.push(hit.id)
      else unknown.push(no)
    }
  }
  return { ids, unknown }
}

/**
 * 发放积分: to listed members (by member number, with a search helper) or to a whole union; the
 * confirmation shows how many members the grant reaches before anything is written, and the grant
 * keeps one idempotency key across retries.
 */
export function GrantForm({ member }: GrantFormProps) {
  const { mine: rows, gate } = useUnionTree(member)
  const [mode, setMode] = useState<'members' | 'union'>('members')
  const [memberNos, setMemberNos] = useState('')
  const [unionId, setUnionId] = useState<number | null>(null)
  const [amount, setAmount] = useState('')
  const [reason, setReason] = useState('')
  const [expiresOn, setExpiresOn] = useState<string | null>(null)
  const [query, setQuery] = useState('')
  const [hits, setHits] = useState<MemberSummary[] | null>(null)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [busy, setBusy] = useState(false)
  const [pending, setPending] = useState<Pending | null>(null)
  const [canRetry, setCanRetry] = useState(false)
  const [done, setDone] = useState<string | null>(null)
  // One key per confirmed grant, kept for every retry of it.
  const keyRef = useRef<string | null>(null)
  // A grant job is followed only while the page is shown.
  const shown = useRef(true)
  useEffect(
    () => () => {
      shown.current = false
    },
    [],
  )

  if (gate) return gate

  const edited = () => {
    setDone(null)
    setErrors({})
  }

  const search = async () => {
    if (!query.trim()) return
    try {
      setHits(await searchMembers({ q: query.trim(), limit: 20 }))
    } catch (e) {
      setErrors({ search: errorMessage(e) })
    }
  }

  const addMemberNo = (no: string) => {
    const list = parseMemberNos(memberNos)
    if (!list.includes(no)) setMemberNos([...list, no].join(' '))
    edited()
  }

  const next = async () => {
    const problems: FieldErrors = {}
    const union = rows.find((r) => r.union.id === unionId)?.union
    const nos = parseMemberNos(memberNos)
    if (mode === 'members' && nos.length === 0) problems.memberNos = '请填写至少一个会员号'
    if (mode === 'union' && !union) problems.unionId = '请选择工会'
    const expiresAt = expiresOn ? dayBoundary(expiresOn, 'end') : undefined
    if (expiresOn && expiresOn < toDateInput(new Date()))
      problems.expiresAt = '到期日期不能早于今天'
    const typed = amount.trim()
    const checked = validate(grantBody, {
      amount: typed === '' ? undefined : Number(typed),
      reason,
      expiresAt,
      // A stand-in target: the real one is checked below.
      unionId: 1,
    })
    if (typed === '') problems.amount = '请填写每人发放的积分'
    else if (Number.isNaN(Number(typed))) problems.amount = '积分须为数字'
    if (!checked.ok || Object.keys(problems).length) {
      setErrors({ ...(checked.ok ? {} : checked.errors), ...problems })
      return
    }
    setErrors({})
    setBusy(true)
    try {
      let target: Target
      let whom: string
      if (mode === 'union' && union) {
        target = { unionId: union.id }
        whom = `${union.name}（含下级工会）`
      } else {
        const { ids, unknown } = await resolveMemberNos(nos)
        if (unknown.length) {
          setErrors({ memberNos: `找不到这些会员号，或不在你管理的工会：${unknown.join('、')}` })
          return
        }
        target = { memberIds: ids }
        whom = nos.join('、')
      }
      const preview = await previewGrant(target)
      if (preview.memberCount === 0) {
        setErrors({ form: '所选范围内没有会员，无法发放' })
        return
      }
      keyRef.current = newIdempotencyKey()
      setCanRetry(false)
      setPending({
        target,
        amount: checked.data.amount,
        reason: checked.data.reason,
        expiresAt,
        preview,
        whom,
      })
    } catch (e) {
      setErrors({ form: errorMessage(e) })
    } finally {
      setBusy(false)
    }
  }

  const send = async () => {
    if (!pending || busy) return
    keyRef.current ??= newIdempotencyKey()
    setBusy(true)
    setErrors({})
    try {
      const answer = await grantPoints(
        {
          amount: pending.amount,
          reason: pending.reason,
          expiresAt: pending.expiresAt,
          ...pending.target,
        },
        { idempotencyKey: keyRef.current },
      )
      keyRef.current = null
      setPending(null)
      setCanRetry(false)
      setMemberNos('')
      setHits(null)
      if ('granted' in answer) {
        setDone(`已向 ${answer.granted} 名会员各发放 ${pending.amount} 积分`)
      } else {
        // A grant to many members goes on in the background: follow it until it is over.
        let job = answer.grant
        setDone(`正在发放：已发放 ${job.granted} / ${job.total} 名会员，可以离开本页`)
        while (job.status === 'running') {
          await new Promise((resolve) => setTimeout(resolve, 2000))
          if (!shown.current) return
          job = (await grantJob(job.id)).grant
          setDone(`正在发放：已发放 ${job.granted} / ${job.total} 名会员，可以离开本页`)
        }
        setDone(
          job.status === 'done'
            ? `已向 ${job.granted} 名会员各发放 ${pending.amount} 积分`
            : `发放未完成：已发放 ${job.granted} 名会员，请联系管理员处理`,
        )
      }
    } catch (e) {
      const final = e instanceof ApiError && e.status >= 400 && e.status < 500
      if (final) keyRef.current = null
      setCanRetry(!final)
      setErrors({ confirm: errorMessage(e) })
    } finally {
      setBusy(false)
    }
  }

  if (pending) {
    const { preview } = pending
    return (
      <View className="page grant">
        <View className="card grant-confirm">
          <Text className="grant-confirm-title">
            将向 {preview.memberCount} 名会员各发放 {pending.amount} 积分
          </Text>
          <View className="info-line">
            <Text className="info-line-key">发放对象</Text>
            <Text className="info-line-val">{pending.whom}</Text>
          </View>
          <View className="info-line">
            <Text className="info-line-key">合计</Text>
            <Text className="info-line-val">{preview.memberCount * pending.amount} 积分</Text>
          </View>
          <View className="info-line">
            <Text className="info-line-key">原因</Text>
            <Text className="info-line-val">{pending.reason}</Text>
          </View>
          <View className="info-line">
            <Text className="info-line-key">到期</Text>
            <Text className="info-line-val">
              {pending.expiresAt ? `${formatDate(pending.expiresAt)} 到期` : '长期有效'}
            </Text>
          </View>
          {preview.sample.length ? (
            <View className="info-line-block">
              <Text className="info-line-key">包括</Text>
              {preview.sample.map((m) => (
                <Text key={m.id} className="grant-sample">
                  {m.name}（{m.memberNo}，{m.unionName}）
                </Text>
              ))}
              {preview.memberCount > preview.sample.length ? (
                <Text className="grant-sample">等 {preview.memberCount} 人</Text>
              ) : null}
            </View>
          ) : null}
          {errors.confirm ? <Text className="form-error grant-error">{errors.confirm}</Text> : null}
          <View className="grant-actions">
            <Button
              className={busy ? 'btn btn-ghost grant-back is-busy' : 'btn btn-ghost grant-back'}
              disabled={busy || undefined}
              onClick={() => {
                if (busy) return
                keyRef.current = null
                setPending(null)
                setErrors({})
              }}
            >
              返回修改
            </Button>
            <Button
              className={busy ? 'btn btn-primary grant-send is-busy' : 'btn btn-primary grant-send'}
              disabled={busy || undefined}
              onClick={() => void send()}
            >
              {busy ? '发放中…' : canRetry ? '重试' : '确认发放'}
            </Button>
          </View>
        </View>
      </View>
    )
  }

  return (
    <View className="page grant">
      {done ? <Text className="form-success grant-done">{done}</Text> : null}
      <View className="card">
        {errors.form ? <Text className="form-error">{errors.form}</Text> : null}
        <Field label="发放对象">
          <View className="grant-modes role-chips">
            <Text
              className={mode === 'members' ? 'role-chip role-chip-on' : 'role-chip'}
              onClick={() => {
                setMode('members')
                edited()
              }}
            >
              指定会员
            </Text>
            <Text
              className={
                mode === 'union'
                  ? 'role-chip role-chip-on grant-mode-union'
                  : 'role-chip grant-mode-union'
              }
              onClick={() => {
                setMode('union')
                edited()
              }}
            >
              整个工会
            </Text>
          </View>
        </Field>

        {mode === 'members' ? (
          <Field label="会员号（可填多个，用空格、逗号或换行分开）">
            <Textarea
              className="textarea grant-member-nos"
              value={memberNos}
              placeholder="例如 M0001 M0002"
              maxlength={-1}
              onInput={(e) => {
                setMemberNos(e.detail.value)
                edited()
              }}
            />
            {errors.memberNos ? <Text className="field-error">{errors.memberNos}</Text> : null}
            <Text className="field-label grant-search-label">按姓名或会员号查找</Text>
            <View className="search-row">
              <Input
                className="input grant-search-input"
                placeholder="例如 张伟"
                value={query}
                confirmType="search"
                onInput={(e) => setQuery(e.detail.value)}
                onConfirm={() => void search()}
              />
              <Button className="btn btn-ghost grant-search-btn" onClick={() => void search()}>
                查找
              </Button>
            </View>
            {errors.search ? <Text className="field-error">{errors.search}</Text> : null}
            {hits && hits.length === 0 ? <Text className="muted">没有找到</Text> : null}
            {hits?.map((m) => (
              <View key={m.id} className="search-hit">
                <Text>
                  {m.name}（{m.memberNo}）<Text className="muted">{m.unionName}</Text>
                </Text>
                <Button
                  className="btn btn-ghost grant-hit-add"
                  onClick={() => addMemberNo(m.memberNo)}
                >
                  添加
                </Button>
              </View>
            ))}
          </Field>
        ) : (
          <UnionPicker
            label="工会（含下级工会的全部会员）"
            rows={rows}
            value={unionId}
            onChange={(id) => {
              setUnionId(id)
              edited()
            }}
            error={errors.unionId}
          />
        )}

        <TextField
          label="每人发放积分"
          value={amount}
          placeholder="例如 100"
          numeric
          inputClassName="grant-amount"
          error={errors.amount}
          onInput={(value) => {
            setAmount(value)
            edited()
          }}
        />
        <TextField
          label="发放原因"
          value={reason}
          placeholder="例如 夏季高温慰问"
          maxlength={60}
          inputClassName="grant-reason"
          error={errors.reason}
          onInput={(value) => {
            setReason(value)
            edited()
          }}
        />
        <Field label="到期日期（可不填，不填则长期有效）" error={errors.expiresAt}>
          <View className="date-field">
            <Picker
              className="date-picker"
              mode="date"
              value={expiresOn ?? toDateInput(new Date())}
              start={toDateInput(new Date())}
              onChange={(e) => {
                setExpiresOn(String(e.detail.value))
                edited()
              }}
            >
              <View className="picker-value">
                {expiresOn ? `${formatDate(dayBoundary(expiresOn, 'end'))} 到期` : '长期有效'}
              </View>
            </Picker>
            {expiresOn ? (
              <Button className="btn btn-ghost" onClick={() => setExpiresOn(null)}>
                清除
              </Button>
            ) : null}
          </View>
        </Field>
        <SaveButton
          className="grant-next"
          busy={busy}
          onClick={() => void next()}
          label="下一步：核对人数"
          busyLabel="核对中…"
        />
      </View>
    </View>
  )
}
