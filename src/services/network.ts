import Taro from '@tarojs/taro'

/** Whether the device says it has a network; unknown counts as online (the request will tell). */
let online = true
let watching = false
const reconnectListeners = new Set<() => void>()

function update(next: boolean): void {
  const back = next && !online
  online = next
  if (back) for (const listener of [...reconnectListeners]) listener()
}

function watch(): void {
  if (watching) return
  watching = true
  if (process.env.TARO_ENV === 'h5') {
    if (typeof window === 'undefined' || typeof navigator === 'undefined') return
    online = navigator.onLine !== false
    window.addEventListener('online', () => update(true))
    window.addEventListener('offline', () => update(false))
    return
  }
  try {
    Taro.getNetworkType({
      success: (res) => update(res.networkType !== 'none'),
    }).catch(() => undefined)
    Taro.onNetworkStatusChange((res) => update(res.isConnected))
  } catch {
    // No network API here: every request is tried.
  }
}

/** True when the device knows it has no network: a request would only fail after a while. */
export function isOffline(): boolean {
  watch()
  // On H5 the browser's own flag is the truth of the moment (events may lag behind it).
  if (process.env.TARO_ENV === 'h5' && typeof navigator !== 'undefined') {
    const now = navigator.onLine !== false
    if (now !== online) update(now)
  }
  return !online
}

/** Calls `listener` each time the device gets its network back; returns the way to stop. */
export function onReconnect(listener: () => void): () => void {
  watch()
  reconnectListeners.add(listener)
  return () => reconnectListeners.delete(listener)
}
