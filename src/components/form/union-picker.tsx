import { useEffect, useMemo, type ReactElement } from 'react'
import { Picker, View } from '@tarojs/components'
import type { Member } from '@/contract/auth'
import { ErrorState, LoadingState } from '@/components/page-state'
import { Field } from './field'
import { useUnionsStore } from './unions-store'
import { manageableRows, unionTreeRows, type UnionRow } from './union-tree'

/** The union tree for a form's pickers. */
export interface UnionTree {
  /** Every union the member sees, depth first. */
  rows: UnionRow[]
  /** The unions the member may manage (their staff union and below; all for admins). */
  mine: UnionRow[]
  /** The loading or error block to show instead of the form until the tree is there. */
  gate: ReactElement | null
}

/** Loads the union tree once and answers the rows a form's union pickers offer. */
export function useUnionTree(member: Member): UnionTree {
  const store = useUnionsStore()
  const rows = useMemo(() => unionTreeRows(store.unions), [store.unions])
  const mine = useMemo(() => manageableRows(rows, member), [rows, member])
  useEffect(() => {
    if (store.status === 'idle') void store.load()
  }, [store])
  let gate: ReactElement | null = null
  if (store.status === 'error' && store.error) {
    gate = <ErrorState message={store.error} onRetry={() => void store.load()} />
  } else if (store.status !== 'ready') gate = <LoadingState />
  return { rows, mine, gate }
}

/** Props of the union picker. */
export interface UnionPickerProps {
  label: string
  /** The unions offered, in tree order. */
  rows: UnionRow[]
  /** The picked union's id; null shows `placeholder` (or `noneLabel`). */
  value: number | null
  onChange: (unionId: number | null) => void
  error?: string | null
  /** Extra class of the error line. */
  errorClassName?: string
  /** A first option that picks no union (e.g. 无上级), answered as null. */
  noneLabel?: string
  /** Shown while nothing is picked; 请选择 by default. */
  placeholder?: string
  /** Options indented by depth (the default); flat for a list of one level. */
  indent?: boolean
  /** Extra class of the shown value (pages and tests find it by it). */
  valueClassName?: string
}

/** A field to pick one union of the tree: the staff forms' 所属工会, 上级工会, 工会. */
export function UnionPicker(props: UnionPickerProps) {
  const { label, rows, value, onChange, error, noneLabel, indent = true } = props
  const names = rows.map((r) => (indent ? `${'　'.repeat(r.depth)}${r.union.name}` : r.union.name))
  const options = noneLabel === undefined ? names : [noneLabel, ...names]
  const offset = noneLabel === undefined ? 0 : 1
  const index = rows.findIndex((r) => r.union.id === value)
  const picked = index >= 0 ? rows[index].union.name : (noneLabel ?? props.placeholder ?? '请选择')
  return (
    <Field label={label} error={error} errorClassName={props.errorClassName}>
      <Picker
        mode="selector"
        range={options}
        value={index >= 0 ? index + offset : 0}
        onChange={(e) => {
          const i = Number(e.detail.value) - offset
          onChange(i >= 0 ? (rows[i]?.union.id ?? null) : null)
        }}
      >
        <View
          className={
            props.valueClassName
              ? `picker-value union-picker-value ${props.valueClassName}`
              : 'picker-value union-picker-value'
          }
        >
          {picked}
        </View>
      </Picker>
    </Field>
  )
}
