import { useEffect, useRef } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'

/** Whether this build runs in the WeChat mini-program (the phone's own features are there). */
export const IS_WEAPP = process.env.TARO_ENV === 'weapp'

/**
 * Tap-to-call: WeChat asks the person before it dials; on H5 Taro opens a `tel:` link, which a
 * phone's browser hands to its dialler. Spaces and hyphens (010-6888 1234) are dropped. A
 * dismissed sheet is no error.
 */
export function callPhone(phoneNumber: string): void {
  Taro.makePhoneCall({ phoneNumber: phoneNumber.replace(/[\s-]/g, '') }).catch(() => undefined)
}

/** A place to show on a map: GCJ-02 coordinates, its name and the address line under it. */
export interface MapPlace {
  latitude: number
  longitude: number
  name: string
  address?: string | null
}

/**
 * The place on 高德地图's web map (GCJ-02, like WeChat's), which opens the 高德 app on a phone that
 * has it (`callnative`) and needs no key.
 */
export function webMapUrl(place: MapPlace): string {
  const q = [
    `position=${place.longitude},${place.latitude}`,
    `name=${encodeURIComponent(place.name)}`,
    'coordinate=gaode',
    'callnative=1',
    'src=union-service-station',
  ]
  return `https://uri.amap.com/marker?${q.join('&')}`
}

/**
 * Shows a place on the map. In the mini-program WeChat's own map (`openLocation`, whence the
 * person can start navigation in their map app); on H5 — where Taro's `openLocation` works only
 * inside WeChat's JS-SDK — a web map in a new tab, and if the browser blocks it, the address is
 * copied so it can be pasted into a map app.
 */
export function openMap(place: MapPlace): void {
  if (IS_WEAPP) {
    Taro.openLocation({
      latitude: place.latitude,
      longitude: place.longitude,
      name: place.name,
      address: place.address ?? '',
      scale: 17,
    }).catch(() => undefined)
    return
  }
  const opened = typeof window !== 'undefined' ? window.open(webMapUrl(place), '_blank') : null
  if (!opened) copyText(place.address || place.name)
}

/** Copies `text` to the clipboard; WeChat itself says 内容已复制. */
export function copyText(text: string): void {
  Taro.setClipboardData({ data: text }).catch(() => undefined)
}

/** What goes into the phone's calendar (times as ISO strings with their offset). */
export interface CalendarEntry {
  title: string
  startsAt: string
  endsAt: string
  description?: string
  location?: string
}

/**
 * Adds an appointment to the phone's calendar (weapp only: callers hide the button on H5).
 * WeChat takes seconds since the epoch and asks the person to confirm.
 */
export function addToCalendar(entry: CalendarEntry): void {
  const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000)
  // Taro does not promisify this one on weapp: WeChat's callbacks carry the answer.
  void Taro.addPhoneCalendar({
    title: entry.title,
    startTime: seconds(entry.startsAt),
    // WeChat documents endTime as a string of seconds.
    endTime: String(seconds(entry.endsAt)),
    description: entry.description,
    location: entry.location,
    alarm: true,
    alarmOffset: 3600,
    success: () => void Taro.showToast({ title: '已添加到日历', icon: 'success' }),
    fail: () => undefined,
  })
}

/** How many shown codes want the screen bright, and the brightness to restore after the last. */
let brightUsers = 0
let brightnessBefore: Promise<number | null> = Promise.resolve(null)

/**
 * While the calling component is shown (a pickup or check-in code to be scanned), the screen is
 * at full brightness; when the last such component goes, the brightness it had comes back.
 * Weapp only; H5 leaves the screen alone.
 */
export function useBrightScreen(): void {
  useEffect(() => {
    if (!IS_WEAPP) return
    if (brightUsers++ === 0) {
      brightnessBefore = Taro.getScreenBrightness()
        .then(({ value }) => value)
        .catch(() => null)
      void brightnessBefore.then((value) => {
        if (value !== null && brightUsers > 0)
          Taro.setScreenBrightness({ value: 1 }).catch(() => undefined)
      })
    }
    return () => {
      if (--brightUsers > 0) return
      void brightnessBefore.then((value) => {
        if (value !== null && brightUsers === 0)
          Taro.setScreenBrightness({ value }).catch(() => undefined)
      })
    }
  }, [])
}

/**
 * Pull-to-refresh on a list page (whose config sets `enablePullDownRefresh: true`): a pull runs
 * `reload` and the spinner stops when it is over, loaded or not (a failed load shows its own
 * error). Call it in the page, or in the component that owns the list.
 */
export function usePullToRefresh(reload: () => Promise<unknown> | void): void {
  const latest = useRef(reload)
  latest.current = reload
  usePullDownRefresh(() => {
    void Promise.resolve()
      .then(() => latest.current())
      .catch(() => undefined)
      .then(() => Taro.stopPullDownRefresh())
      .catch(() => undefined)
  })
}
