import { Button, Text, View } from '@tarojs/components'
import { inAppZone } from '@/services/time'
import './page-state.scss'

/** Props of the loading state. */
export interface LoadingStateProps {
  /** Text under the spinner; defaults to 加载中… */
  text?: string
}

/**
 * Shown while a page's data loads the first time: grey blocks where the content will be (so a
 * slow link shows the page's shape at once, not a blank screen), with the text for screen readers
 * and for anyone who waits long.
 */
export function LoadingState({ text = '加载中…' }: LoadingStateProps) {
  return (
    <View className="state-loading page-skeleton" aria-busy="true">
      <View className="skeleton page-skeleton-line is-short" />
      <View className="skeleton page-skeleton-block" />
      <View className="skeleton page-skeleton-block" />
      <View className="skeleton page-skeleton-line" />
      <Text className="page-skeleton-text">{text}</Text>
    </View>
  )
}

/** `12月2日 08:05`: when kept data was loaded, in Asia/Shanghai. */
export function keptTimeText(at: number): string {
  return inAppZone(new Date(at)).format('M月D日 HH:mm')
}

/** Props of the kept-data notice. */
export interface KeptNoticeProps {
  /** When the data shown was loaded (a store's `keptAt`); nothing is shown when null/absent. */
  keptAt?: number | null
  /** Called when the person taps 重试. */
  onRetry: () => void
}

/**
 * The line above data the network could not refresh: 「网络不可用，显示的是 12月2日 08:05 的数据」
 * with 重试. Pages show it next to the data instead of an error page.
 */
export function KeptNotice({ keptAt, onRetry }: KeptNoticeProps) {
  if (!keptAt) return null
  return (
    <View className="kept-notice" role="status">
      <Text className="kept-notice-text">网络不可用，显示的是 {keptTimeText(keptAt)} 的数据</Text>
      <Button className="btn btn-ghost kept-notice-retry" onClick={onRetry}>
        重试
      </Button>
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
