import { useRef, useState } from 'react'
import { Button, Input, Picker, Text, View } from '@tarojs/components'
import { createUnionBody } from '@/contract/org'
import { errorMessage, newIdempotencyKey } from '@/services/http'
import { createUnion } from '@/services/org'
import { validate, type FieldErrors } from '@/services/validation'
import { useOrgStore } from '@/features/staff/store'
import type { UnionRow } from '@/features/staff/union-tree'

/** Props of the new-union form. */
export interface UnionFormProps {
  /** The union tree, for the parent picker. */
  rows: UnionRow[]
}

const NO_PARENT = '无上级（作为最上级工会）'

/** Creates a union under a chosen parent. */
export function UnionForm({ rows }: UnionFormProps) {
  const addUnion = useOrgStore((s) => s.addUnion)
  const [name, setName] = useState('')
  // Index into [NO_PARENT, ...rows]; the first union (the root) by default.
  const [parentIndex, setParentIndex] = useState(rows.length ? 1 : 0)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [done, setDone] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // Kept across retries of the same form content so the server creates one union only.
  const keyRef = useRef<string | null>(null)

  const options = [NO_PARENT, ...rows.map((r) => `${'　'.repeat(r.depth)}${r.union.name}`)]
  const parent = parentIndex > 0 ? rows[parentIndex - 1]?.union : undefined

  const edited = () => {
    keyRef.current = null
    setDone(null)
  }

  const submit = async () => {
    const checked = validate(createUnionBody, { name, parentId: parent?.id ?? null })
    if (!checked.ok) {
      setErrors(checked.errors)
      return
    }
    setErrors({})
    setBusy(true)
    keyRef.current ??= newIdempotencyKey()
    try {
      const union = await createUnion(checked.data, { idempotencyKey: keyRef.current })
      keyRef.current = null
      addUnion(union)
      setName('')
      setDone(`已创建工会「${union.name}」`)
    } catch (e) {
      setErrors({ form: errorMessage(e) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className="card org-form union-form">
      {errors.form ? <Text className="form-error">{errors.form}</Text> : null}
      {done ? <Text className="form-success">{done}</Text> : null}
      <View className="field">
        <Text className="field-label">工会名称</Text>
        <Input
          className="input union-name-input"
          placeholder="例如 小米工会"
          value={name}
          onInput={(e) => {
            setName(e.detail.value)
            edited()
          }}
        />
        {errors.name ? <Text className="field-error">{errors.name}</Text> : null}
      </View>
      <View className="field">
        <Text className="field-label">上级工会</Text>
        <Picker
          mode="selector"
          range={options}
          value={parentIndex}
          onChange={(e) => {
            setParentIndex(Number(e.detail.value))
            edited()
          }}
        >
          <View className="picker-value">{parent?.name ?? NO_PARENT}</View>
        </Picker>
        {errors.parentId ? <Text className="field-error">{errors.parentId}</Text> : null}
      </View>
      <Button
        className={
          busy
            ? 'btn btn-primary btn-block union-submit is-busy'
            : 'btn btn-primary btn-block union-submit'
        }
        disabled={busy}
        onClick={() => void submit()}
      >
        {busy ? '提交中…' : '创建工会'}
      </Button>
    </View>
  )
}
