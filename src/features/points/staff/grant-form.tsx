import { useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Input, Picker, Text, Textarea, View } from '@tarojs/components'
import type { Member } from '@/contract/auth'
import type { MemberSummary } from '@/contract/org'
import {
  grantBody,
  maxGrantMemberNos,
  parseMemberNos,
  type GrantPreviewResponse,
} from '@/contract/points'
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

type Target = { memberNos: string[] } | { unionId: number }

interface Pending {
  target: Target
  amount: number
  reason: string
  expiresAt?: string
  preview: GrantPreviewResponse
  /** Who: a union's name or the listed member numbers. */
  whom: string
}

/** What a member number looks like (a capital letter and digits, e.g. M0001). */
const memberNoShape = /^[A-Za-z][0-9]{4,9}$/

/**
 * The member numbers in a .csv or .txt file (a roster export or a plain list): every cell that
 * looks like a member number, in order, once each; headers, names and other columns are left out.
 */
export function memberNosInFile(text: string): string[] {
  const cells = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .flatMap((line) => line.split(/[,，;；\t\s、]+/))
    .map((cell) =>
      cell
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .trim(),
    )
    .filter((cell) => memberNoShape.test(cell))
  return parseMemberNos(cells.join(' '))
}

/** Lets the staff member pick a .csv/.txt file (H5) and reads it as text; null when cancelled. */
function pickTextFile(): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = '.csv,.txt,text/csv,text/plain'
    input.onchange = () => {
      const file = input.files?.[0]
      if (!file) return resolve(null)
      const reader = new FileReader()
      reader.onload = () => resolve(String(reader.result ?? ''))
      reader.onerror = () => reject(new Error('文件读取失败，请换一个文件再试'))
      reader.readAsText(file)
    }
    input.click()
  })
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
  /** Numbers the last preview could not find among the caller's members. */
  const [unknownNos, setUnknownNos] = useState<string[]>([])
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
    setUnknownNos([])
  }

  /** Adds the member numbers of a .csv/.txt file to the list (H5). */
  const importFile = async () => {
    try {
      const text = await pickTextFile()
      if (text === null) return
      const found = memberNosInFile(text)
      if (found.length === 0) {
        setErrors({ memberNos: '文件里没有找到会员号（例如 M0001），请检查文件内容' })
        return
      }
      const list = parseMemberNos(memberNos)
      const added = found.filter((no) => !list.includes(no))
      setMemberNos([...list, ...added].join(' '))
      edited()
      Taro.showToast({ title: `已导入 ${added.length} 个会员号`, icon: 'none' }).catch(
        () => undefined,
      )
    } catch (e) {
      setErrors({ memberNos: errorMessage(e) })
    }
  }

  /** Drops the numbers the preview could not find, so the grant can go ahead without them. */
  const dropUnknown = () => {
    const unknown = new Set(unknownNos)
    setMemberNos(
      parseMemberNos(memberNos)
        .filter((no) => !unknown.has(no))
        .join(' '),
    )
    edited()
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
    if (mode === 'members' && nos.length > maxGrantMemberNos) {
      problems.memberNos = `一次最多填写 ${maxGrantMemberNos} 个会员号`
    }
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
        target = { memberNos: nos }
        whom =
          nos.length > 20 ? `${nos.slice(0, 20).join('、')} 等 ${nos.length} 人` : nos.join('、')
      }
      const preview = await previewGrant(target)
      if (preview.unknownMemberNos.length) {
        // Listed before anything is confirmed: the grant goes only to numbers that are known.
        setUnknownNos(preview.unknownMemberNos)
        return
      }
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
      setUnknownNos([])
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
            {unknownNos.length ? (
              <View className="grant-unknown">
                <Text className="field-error grant-unknown-text">
                  有 {unknownNos.length} 个会员号找不到，或不在你管理的工会：
                  {unknownNos.slice(0, 50).join('、')}
                  {unknownNos.length > 50 ? ` 等 ${unknownNos.length} 个` : ''}
                </Text>
                <Button className="btn btn-ghost grant-drop-unknown" onClick={dropUnknown}>
                  去掉这些会员号
                </Button>
              </View>
            ) : null}
            {process.env.TARO_ENV === 'h5' ? (
              <Button className="btn btn-ghost grant-import" onClick={() => void importFile()}>
                从文件导入（.csv / .txt）
              </Button>
            ) : null}
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
