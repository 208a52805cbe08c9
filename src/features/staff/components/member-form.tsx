import { useRef, useState } from 'react'
import { Button, Input, Picker, Text, View } from '@tarojs/components'
import { roles as allRoles, type Role } from '@/contract/auth'
import { createMemberBody } from '@/contract/org'
import { roleLabels } from '@/components/role-labels'
import { ApiError, errorMessage, newIdempotencyKey } from '@/services/http'
import { createMember } from '@/services/org'
import { validate, type FieldErrors } from '@/services/validation'
import type { UnionRow } from '@/features/staff/union-tree'

/** Props of the new-member form. */
export interface MemberFormProps {
  /** The union tree, for the union pickers. */
  rows: UnionRow[]
}

/** Creates a member in a union, with roles; staff also get the union they manage. */
export function MemberForm({ rows }: MemberFormProps) {
  const [memberNo, setMemberNo] = useState('')
  const [name, setName] = useState('')
  const [unionIndex, setUnionIndex] = useState(-1)
  const [staffUnionIndex, setStaffUnionIndex] = useState(-1)
  const [roles, setRoles] = useState<Role[]>(['member'])
  const [errors, setErrors] = useState<FieldErrors>({})
  const [done, setDone] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // Kept across retries of the same form content so the server creates one member only.
  const keyRef = useRef<string | null>(null)

  const options = rows.map((r) => `${'　'.repeat(r.depth)}${r.union.name}`)
  const union = rows[unionIndex]?.union
  const isStaff = roles.includes('staff')
  const staffUnion = rows[staffUnionIndex]?.union ?? union

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
      <View className="field">
        <Text className="field-label">会员号</Text>
        <Input
          className="input member-no-input"
          placeholder="例如 M0301"
          value={memberNo}
          maxlength={10}
          onInput={(e) => {
            setMemberNo(e.detail.value)
            edited()
          }}
        />
        {errors.memberNo ? <Text className="field-error">{errors.memberNo}</Text> : null}
      </View>
      <View className="field">
        <Text className="field-label">姓名</Text>
        <Input
          className="input member-name-input"
          placeholder="会员姓名"
          value={name}
          onInput={(e) => {
            setName(e.detail.value)
            edited()
          }}
        />
        {errors.name ? <Text className="field-error">{errors.name}</Text> : null}
      </View>
      <View className="field">
        <Text className="field-label">所在工会</Text>
        <Picker
          mode="selector"
          range={options}
          value={Math.max(unionIndex, 0)}
          onChange={(e) => {
            setUnionIndex(Number(e.detail.value))
            edited()
          }}
        >
          <View className="picker-value">{union?.name ?? '请选择'}</View>
        </Picker>
        {errors.unionId ? <Text className="field-error">{errors.unionId}</Text> : null}
      </View>
      <View className="field">
        <Text className="field-label">身份（可多选）</Text>
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
        {errors.roles ? <Text className="field-error">{errors.roles}</Text> : null}
      </View>
      {isStaff ? (
        <View className="field">
          <Text className="field-label">管理的工会（工会干部）</Text>
          <Picker
            mode="selector"
            range={options}
            value={Math.max(staffUnionIndex, unionIndex, 0)}
            onChange={(e) => {
              setStaffUnionIndex(Number(e.detail.value))
              edited()
            }}
          >
            <View className="picker-value">{staffUnion?.name ?? '请选择'}</View>
          </Picker>
          {errors.staffUnionId ? <Text className="field-error">{errors.staffUnionId}</Text> : null}
        </View>
      ) : null}
      <Button
        className={
          busy
            ? 'btn btn-primary btn-block member-submit is-busy'
            : 'btn btn-primary btn-block member-submit'
        }
        disabled={busy}
        onClick={() => void submit()}
      >
        {busy ? '提交中…' : '创建会员'}
      </Button>
    </View>
  )
}
