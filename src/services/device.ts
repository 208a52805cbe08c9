import { useEffect } from 'react'
import Taro from '@tarojs/taro'

/** Whether this build runs in the WeChat mini-program (the phone's own features are there). */
export const IS_WEAPP = process.env.TARO_ENV === 'weapp'

/** Tap-to-call: WeChat asks the person before it dials. A dismissed sheet is no error. */
export function callPhone(phoneNumber: string): void {
  Taro.makePhoneCall({ phoneNumber }).catch(() => undefined)
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
