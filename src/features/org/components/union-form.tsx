import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { createUnionBody, type Union } from '@/contract/org'
import { SaveButton } from '@/components/form/save-button'
import { TextField } from '@/components/form/text-field'
import { UnionPicker } from '@/components/form/union-picker'
import { useUnionsStore } from '@/components/form/unions-store'
import type { UnionRow } from '@/components/form/union-tree'
import { useCreateForm } from '@/components/form/use-create-form'
import { createUnion } from '@/services/org'
import { validate } from '@/services/validation'

/** Props of the new-union form. */
export interface UnionFormProps {
  /** The union tree, for the parent picker. */
  rows: UnionRow[]
}

const NO_PARENT = '无上级（作为最上级工会）'

/** Creates a union under a chosen parent. */
export function UnionForm({ rows }: UnionFormProps) {
  const addUnion = useUnionsStore((s) => s.addUnion)
  const [name, setName] = useState('')
  // The first union (the root) by default.
  const [parentId, setParentId] = useState<number | null>(rows[0]?.union.id ?? null)
  const [done, setDone] = useState<string | null>(null)
  // Keeps one idempotency key across retries of the same form content: one union only.
  const form = useCreateForm<Union>()

  const edited = () => {
    form.changed()
    setDone(null)
  }

  const submit = () =>
    form.send(
      () => validate(createUnionBody, { name, parentId }),
      (options) => createUnion(createUnionBody.parse({ name, parentId }), options),
      (union) => {
        addUnion(union)
        setName('')
        setDone(`已创建工会「${union.name}」`)
      },
      { toast: null },
    )

  return (
    <View className="card org-form union-form">
      {form.errors.form ? <Text className="form-error">{form.errors.form}</Text> : null}
      {done ? <Text className="form-success">{done}</Text> : null}
      <TextField
        label="工会名称"
        value={name}
        placeholder="例如 小米工会"
        inputClassName="union-name-input"
        error={form.errors.name}
        onInput={(value) => {
          setName(value)
          edited()
        }}
      />
      <UnionPicker
        label="上级工会"
        rows={rows}
        noneLabel={NO_PARENT}
        value={parentId}
        onChange={(id) => {
          setParentId(id)
          edited()
        }}
        error={form.errors.parentId}
      />
      <SaveButton
        className="union-submit"
        busy={form.busy}
        onClick={() => void submit()}
        label="创建工会"
        busyLabel="提交中…"
      />
    </View>
  )
}
