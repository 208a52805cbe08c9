import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'

/** Props of a form field. */
export interface FieldProps {
  label: string
  /** The message shown under the field, in Chinese. */
  error?: string | null
  /** Extra class of the error line (tests and pages find it by it). */
  errorClassName?: string
  /** Extra class of the field. */
  className?: string
  children: ReactNode
}

/** A labelled field with its validation message underneath: every staff form's row. */
export function Field({ label, error, errorClassName, className, children }: FieldProps) {
  return (
    <View className={className ? `field ${className}` : 'field'}>
      <Text className="field-label">{label}</Text>
      {children}
      {error ? (
        <Text className={errorClassName ? `field-error ${errorClassName}` : 'field-error'}>
          {error}
        </Text>
      ) : null}
    </View>
  )
}
