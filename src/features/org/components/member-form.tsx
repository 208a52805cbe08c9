import { useRef, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { roles as allRoles, type Role } from '@/contract/auth'
import { createMemberBody } from '@/contract/org'
import { roleLabels } from '@/components/role-labels'
import { Field } from '@/components/form/field'
import { SaveButton } from '@/components/form/save-button'
import { TextField } from '@/components/form/text-field'
import { UnionPicker } from '@/components/form/union-picker'
import { ApiError, errorMessage, newIdempotencyKey } from '@/services/http'
import { createMember } from '@/services/org'
import { validate, type FieldErrors } from '@/services/validation'
import type { UnionRow } from '@/components/form/union-tree'

/** Props of the new-member form. */
export interface MemberFormProps {
  /** The union tree, for the union pickers. */
  rows: UnionRow[]
}

/** Creates a member in a union, with roles; staff also get the union they manage. */
export function MemberForm({ rows }: MemberFormProps) {
  const [memberNo, setMemberNo] = useState('')
  const [name, setName] = useState('')
  const [unionId, setUnionId] = useState<number | null>(null)
  // The union a staff member manages: their own union until another is picked.
  const [staffUnionId, setStaffUnionId] = useState<number | null>(null)
  const [roles, setRoles] = useState<Role[]>(['member'])
  const [errors, setErrors] = useState<FieldErrors>({})
  const [done, setDone] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // Kept across retries of the same form content so the server creates one member only.
  const keyRef = useRef<string | null>(null)

  const union = rows.find((r) => r.union.id === unionId)?.union
  const isStaff = roles.includes('staff')
  const staffUnion = rows.find((r) => r.union.id === staffUnionId)?.union ?? union

  const edited = () => {
    keyRef.current = null
    setDone(null)
  }

  const toggleRole = (role: Role) => {
    setRoles((current) =>
      current.includes(role) ? current.filter((r) => r !== role) : [...current, role],
    )
    edited()
  }

  const submit = async () => {
    const problems: FieldErrors = {}
    if (!union) problems.unionId = '请选择所在工会'
    if (roles.length === 0) problems.roles = '请至少选择一个身份'
    const checked = validate(createMemberBody, {
      memberNo: memberNo.trim().toUpperCase(),
      name,
      unionId: union?.id,
      roles,
      staffUnionId: isStaff ? staffUnion?.id : undefined,
    })
    if (!checked.ok || Object.keys(problems).length) {
      setErrors({ ...(checked.ok ? {} : checked.errors), ...problems })
      return
    }
    setErrors({})
    setBusy(true)
    keyRef.current ??= newIdempotencyKey()
    try {
      const created = await createMember(checked.data, { idempotencyKey: keyRef.current })
      keyRef.current = null
      setMemberNo('')
      setName('')
      setDone(`已创建会员 ${created.name}（${created.memberNo}）`)
    } catch (e) {
      if (e instanceof ApiError && e.code === 'MEMBER_EXISTS') {
        setErrors({ memberNo: '会员号已存在' })
      } else if (e instanceof ApiError && e.code === 'UNION_NOT_FOUND') {
        setErrors({ unionId: '所选工会不存在，请刷新后重试' })
      } else {
        setErrors({ form: errorMessage(e) })
      }
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className="card org-form member-form">
      {errors.form ? <Text className="form-error">{errors.form}</Text> : null}
      {done ? <Text className="form-success">{done}</Text> : null}
      <TextField
        label="会员号"
        value={memberNo}
        placeholder="例如 M0301"
        maxlength={10}
        inputClassName="member-no-input"
        error={errors.memberNo}
        onInput={(value) => {
          setMemberNo(value)
          edited()
        }}
      />
      <TextField
        label="姓名"
        value={name}
        placeholder="会员姓名"
        inputClassName="member-name-input"
        error={errors.name}
        onInput={(value) => {
          setName(value)
          edited()
        }}
      />
      <UnionPicker
        label="所在工会"
        rows={rows}
        value={unionId}
        onChange={(id) => {
          setUnionId(id)
          edited()
        }}
        error={errors.unionId}
      />
      <Field label="身份（可多选）" error={errors.roles}>
        <View className="role-chips">
          {allRoles.map((role) => (
            <Text
              key={role}
              className={roles.includes(role) ? 'role-chip role-chip-on' : 'role-chip'}
              onClick={() => toggleRole(role)}
            >
              {roleLabels[role]}
            </Text>
          ))}
        </View>
      </Field>
      {isStaff ? (
        <UnionPicker
          label="管理的工会（工会干部）"
          rows={rows}
          value={staffUnion?.id ?? null}
          onChange={(id) => {
            setStaffUnionId(id)
            edited()
          }}
          error={errors.staffUnionId}
        />
      ) : null}
      <SaveButton
        className="member-submit"
        busy={busy}
        onClick={() => void submit()}
        label="创建会员"
        busyLabel="提交中…"
      />
    </View>
  )
}
