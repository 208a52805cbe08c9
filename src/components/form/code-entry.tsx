import { Button, Input, Text, View } from '@tarojs/components'
import { Field } from './field'
import './form.scss'

/** Classes of the parts of a code entry (pages, tests and the end-to-end journeys find them by them). */
export interface CodeEntryClasses {
  input: string
  submit: string
  scan: string
  error: string
  /** The row of the typed code and its button(s). */
  row: string
}

/** Props of the code entry. */
export interface CodeEntryProps {
  /** The code as typed (the `useCodeEntry` hook or the desk's own state keeps it). */
  code: string
  onInput: (code: string) => void
  /** Sends the typed code. */
  onSubmit: () => void
  /** Opens the camera (weapp only: the button is not shown elsewhere). */
  onScan: () => void
  /** A request runs: the buttons wait. */
  busy: boolean
  placeholder: string
  submitLabel: string
  busyLabel: string
  scanLabel: string
  error?: string | null
  /**
   * `above`: a full-width scan button over the typed code (check-in);
   * `beside`: a labelled field, then the submit and scan buttons side by side (pickup desk).
   */
  scan: 'above' | 'beside'
  /** The field's label (`beside` only). */
  label?: string
  confirmType?: 'search' | 'done'
  classes: CodeEntryClasses
}

/** A code typed or scanned at a desk: the pickup desk, the event check-in desk and 现场签到. */
export function CodeEntry(props: CodeEntryProps) {
  const { code, busy, classes, error } = props
  const weapp = process.env.TARO_ENV === 'weapp'
  const input = (
    <Input
      className={`input ${classes.input}`}
      placeholder={props.placeholder}
      value={code}
      maxlength={32}
      {...(props.confirmType ? { confirmType: props.confirmType } : {})}
      onInput={(e) => props.onInput(e.detail.value)}
      onConfirm={() => props.onSubmit()}
    />
  )
  const submitClass = `btn ${props.scan === 'beside' ? 'btn-primary' : 'btn-ghost'} ${classes.submit}`
  const submit = (
    <Button
      className={busy ? `${submitClass} is-busy` : submitClass}
      disabled={busy || undefined}
      onClick={() => !busy && props.onSubmit()}
    >
      {busy ? props.busyLabel : props.submitLabel}
    </Button>
  )
  const errorLine = error ? <Text className={`form-error ${classes.error}`}>{error}</Text> : null

  if (props.scan === 'beside') {
    return (
      <View className="code-entry">
        <Field label={props.label ?? ''}>{input}</Field>
        <View className={`code-entry-buttons ${classes.row}`}>
          {submit}
          {weapp ? (
            <Button className={`btn btn-ghost ${classes.scan}`} onClick={() => props.onScan()}>
              {props.scanLabel}
            </Button>
          ) : null}
        </View>
        {errorLine}
      </View>
    )
  }
  return (
    <View className="code-entry">
      {weapp ? (
        <Button
          className={`btn btn-primary btn-block ${classes.scan}`}
          disabled={busy || undefined}
          onClick={() => !busy && props.onScan()}
        >
          {props.scanLabel}
        </Button>
      ) : null}
      <View className={`code-entry-row ${classes.row}`}>
        {input}
        {submit}
      </View>
      {errorLine}
    </View>
  )
}
