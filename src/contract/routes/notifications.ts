// Route table of one feature: the app's service module imports only this (and so only these
// schemas); `src/contract/routes.ts` gathers every table for the server and the tests.
import { route } from '../route-def'
import { remindersResponse, subscriptionsBody, subscriptionsResponse } from '../notifications'

/** Subscribe messages: what the member accepted, and the same messages shown in the app. */
export const notificationRoutes = {
  /** Records the member's answer to `requestSubscribeMessage`; answers the counts left. */
  recordSubscriptions: route({
    method: 'POST',
    path: '/me/subscriptions',
    body: subscriptionsBody,
    response: subscriptionsResponse,
    status: 200,
  }),
  /** The member's recent messages (newest first), whether WeChat delivered them or not. */
  myReminders: route({
    method: 'GET',
    path: '/me/reminders',
    response: remindersResponse,
    status: 200,
  }),
} as const
