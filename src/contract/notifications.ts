import { z } from 'zod'
import { isoDateTime } from './common'

/**
 * The subscribe-message templates (订阅消息) the app asks for, each mapped by the server to a
 * WeChat template id (`WECHAT_TEMPLATE_<KEY>`).
 */
export const templateKeys = [
  'pickup_expiring',
  'legal_reminder',
  'waitlist_promoted',
  'flowers_result',
  'pack_shipped',
] as const
export const templateKey = z.enum(templateKeys)
export type TemplateKey = z.infer<typeof templateKey>

/** What the member answered to `requestSubscribeMessage`, per template (accept, reject or ban). */
export const subscriptionsBody = z
  .object({
    templates: z
      .array(z.object({ key: templateKey, accepted: z.boolean() }).strict())
      .min(1, '至少需要一个订阅模板')
      .max(templateKeys.length * 2, '订阅模板太多'),
  })
  .strict()
export type SubscriptionsBody = z.infer<typeof subscriptionsBody>

/** How many messages of each template the member may still receive (each accept allows one). */
export const subscriptionsResponse = z.object({
  counts: z.record(templateKey, z.number().int().nonnegative()),
})
export type SubscriptionsResponse = z.infer<typeof subscriptionsResponse>

/** A message as the app shows it (the H5 build's stand-in for WeChat's subscribe messages). */
export const reminder = z.object({
  key: templateKey,
  title: z.string(),
  body: z.string(),
  /** The app page it links to, with its query (`packages/mall/pages/orders`…). */
  page: z.string(),
  createdAt: isoDateTime,
})
export type Reminder = z.infer<typeof reminder>

export const remindersResponse = z.object({ reminders: z.array(reminder) })
export type RemindersResponse = z.infer<typeof remindersResponse>
