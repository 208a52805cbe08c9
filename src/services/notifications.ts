import Taro from '@tarojs/taro'
import { notificationRoutes } from '@/contract/routes/notifications'
import type { Reminder, SubscriptionsResponse, TemplateKey } from '@/contract/notifications'
import { IS_WEAPP } from '@/services/device'
import { call } from '@/services/http'

/**
 * The WeChat template id of each message, set at build time (`TARO_APP_WECHAT_TEMPLATE_<KEY>`,
 * the same ids as the server's `WECHAT_TEMPLATE_<KEY>`). A build without them asks for nothing.
 */
const TEMPLATE_IDS: Partial<Record<TemplateKey, string>> = {
  pickup_expiring: process.env.TARO_APP_WECHAT_TEMPLATE_PICKUP_EXPIRING,
  legal_reminder: process.env.TARO_APP_WECHAT_TEMPLATE_LEGAL_REMINDER,
  waitlist_promoted: process.env.TARO_APP_WECHAT_TEMPLATE_WAITLIST_PROMOTED,
  flowers_result: process.env.TARO_APP_WECHAT_TEMPLATE_FLOWERS_RESULT,
  pack_shipped: process.env.TARO_APP_WECHAT_TEMPLATE_PACK_SHIPPED,
}

/**
 * Asks the member (weapp only) whether WeChat may send them these messages, and tells the server
 * what they accepted. Call it first thing in the tap that creates the thing (WeChat shows the
 * prompt only during a tap) and do not wait for it: a refusal or a failure never stops the action.
 * On H5 nothing is asked; the same messages show in the app (`listReminders`).
 */
export async function requestSubscriptions(
  keys: TemplateKey[],
): Promise<SubscriptionsResponse | null> {
  if (!IS_WEAPP) return null
  const wanted = keys.flatMap((key) => {
    const id = TEMPLATE_IDS[key]
    return id ? [{ key, id }] : []
  })
  if (wanted.length === 0) return null
  try {
    const answer = (await Taro.requestSubscribeMessage({
      tmplIds: wanted.map((w) => w.id),
    } as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, unknown>
    const templates = wanted.map((w) => ({ key: w.key, accepted: answer[w.id] === 'accept' }))
    return await call(notificationRoutes.recordSubscriptions, { body: { templates } })
  } catch {
    // Dismissed, or WeChat refused the template ids: the action goes on without messages.
    return null
  }
}

/** The member's messages (pickup deadlines, appointments, promotions…), newest first. */
export async function listReminders(): Promise<Reminder[]> {
  const { reminders } = await call(notificationRoutes.myReminders)
  return reminders
}
