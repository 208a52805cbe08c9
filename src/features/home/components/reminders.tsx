import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { Reminder } from '@/contract/notifications'
import { IS_WEAPP } from '@/services/device'
import { openPage } from '@/services/navigate'
import { listReminders } from '@/services/notifications'

/** Reminders shown on the home screen: the few newest. */
const SHOWN = 3

/**
 * 消息提醒 (H5 only): the messages WeChat would send the member in the mini-program — pickup
 * deadlines, appointments tomorrow, a waitlist promotion, flower results, a shipped pack — each
 * opening its page. Nothing shows while there are none (or they cannot be loaded).
 */
export function HomeReminders() {
  const [reminders, setReminders] = useState<Reminder[]>([])
  useEffect(() => {
    if (IS_WEAPP) return
    let live = true
    listReminders()
      .then((list) => live && setReminders(list.slice(0, SHOWN)))
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [])
  if (reminders.length === 0) return null
  return (
    <View className="home-reminders">
      <Text className="section-title">消息提醒</Text>
      {reminders.map((r) => (
        <View
          key={`${r.key}-${r.createdAt}`}
          className="card home-reminder"
          onClick={() => void openPage(`/${r.page}`)}
        >
          <Text className="home-reminder-title">{r.title}</Text>
          <Text className="home-reminder-body muted">{r.body}</Text>
        </View>
      ))}
    </View>
  )
}
