import { Button, Text, View } from '@tarojs/components'

/** Props of the loading state. */
export interface LoadingStateProps {
  /** Text under the spinner; defaults to 加载中… */
  text?: string
}

/** A full-width "加载中…" block shown while a page's data loads. */
export function LoadingState({ text = '加载中…' }: LoadingStateProps) {
  return (
    <View className="state state-loading">
      <Text>{text}</Text>
    </View>
  )
}

/** Props of the error state. */
export interface ErrorStateProps {
  /** The Chinese message to show (usually an `ApiError`'s message). */
  message: string
  /** Called when the person taps 重新加载. */
  onRetry: () => void
}

/** The failure block with a 重新加载 button. */
export function ErrorState({ message, onRetry }: ErrorStateProps) {
  return (
    <View className="state state-error">
      <Text className="state-error-text">{message}</Text>
      <Button className="btn btn-primary state-retry" onClick={onRetry}>
        重新加载
      </Button>
    </View>
  )
}

/** Props of the empty state. */
export interface EmptyStateProps {
  /** What is missing, e.g. 还没有积分记录. */
  text: string
}

/** Shown when a list has nothing in it. */
export function EmptyState({ text }: EmptyStateProps) {
  return (
    <View className="state state-empty">
      <Text>{text}</Text>
    </View>
  )
}
