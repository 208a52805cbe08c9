import { Input } from '@tarojs/components'
import { Field } from './field'

export interface TextFieldProps {
  label: string
  value: string
  placeholder?: string
  /** A number keyboard on phones. */
  numeric?: boolean
  /** Class of the input (pages and tests find fields by it). */
  inputClassName: string
  /** The message shown under the field, in Chinese. */
  error?: string | null
  /** Extra class of the error line. */
  errorClassName?: string
  maxlength?: number
  onInput: (value: string) => void
}

/** A labelled one-line input with its validation message underneath: the forms' common field. */
export function TextField(props: TextFieldProps) {
  const { label, value, placeholder, numeric, inputClassName, error, errorClassName } = props
  return (
    <Field label={label} error={error} errorClassName={errorClassName}>
      <Input
        className={`input ${inputClassName}`}
        type={numeric ? 'number' : 'text'}
        placeholder={placeholder}
        value={value}
        {...(props.maxlength === undefined ? {} : { maxlength: props.maxlength })}
        onInput={(e) => props.onInput(e.detail.value)}
      />
    </Field>
  )
}
