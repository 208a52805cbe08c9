import { useCallback, useEffect, useRef } from 'react'
import { useDidHide, useDidShow } from '@tarojs/taro'

/** How often a live page of the mixer (desk, rounds, flowers) asks again while it is shown. */
export const LIVE_REFRESH_MS = 5000

/**
 * Calls `tick` every `everyMs` while the page is shown: from mount, stopped when the page is
 * hidden (another page on top, the app in the background, the H5 tab hidden) and started again
 * when it shows; never two ticks at once (a slow answer skips a turn). `enabled: false` stops it
 * (e.g. once there is nothing left to wait for).
 */
export function usePolling(
  tick: () => Promise<unknown> | void,
  { everyMs = LIVE_REFRESH_MS, enabled = true }: { everyMs?: number; enabled?: boolean } = {},
): void {
  const tickRef = useRef(tick)
  tickRef.current = tick
  const enabledRef = useRef(enabled)
  enabledRef.current = enabled
  const timer = useRef<ReturnType<typeof setInterval> | null>(null)
  const inFlight = useRef(false)

  const stop = useCallback(() => {
    if (timer.current !== null) clearInterval(timer.current)
    timer.current = null
  }, [])

  const start = useCallback(() => {
    if (timer.current !== null || !enabledRef.current) return
    timer.current = setInterval(() => {
      if (inFlight.current) return
      inFlight.current = true
      Promise.resolve()
        .then(() => tickRef.current())
        .catch(() => undefined)
        .finally(() => {
          inFlight.current = false
        })
    }, everyMs)
  }, [everyMs])

  useEffect(() => {
    if (enabled) start()
    else stop()
    return stop
  }, [enabled, start, stop])

  useEffect(() => {
    // H5: a hidden browser tab is not shown either.
    if (typeof document === 'undefined' || process.env.TARO_ENV !== 'h5') return undefined
    const onVisibility = () => (document.visibilityState === 'hidden' ? stop() : start())
    document.addEventListener('visibilitychange', onVisibility)
    return () => document.removeEventListener('visibilitychange', onVisibility)
  }, [start, stop])

  useDidShow(start)
  useDidHide(stop)
}
