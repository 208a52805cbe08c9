import { Input, Text, View } from '@tarojs/components'

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
  onInput: (value: string) => void
}

/** A labelled one-line input with its validation message underneath: the forms' common field. */
export function TextField(props: TextFieldProps) {
  const { label, value, placeholder, numeric, inputClassName, error, errorClassName } = props
  return (
    <View className="field">
      <Text className="field-label">{label}</Text>
      <Input
        className={`input ${inputClassName}`}
        type={numeric ? 'number' : 'text'}
        placeholder={placeholder}
        value={value}
        onInput={(e) => props.onInput(e.detail.value)}
      />
      {error ? (
        <Text className={errorClassName ? `field-error ${errorClassName}` : 'field-error'}>
          {error}
        </Text>
      ) : null}
    </View>
  )
}
