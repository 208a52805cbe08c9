// Route table of one feature: the app's service module imports only this (and so only these
// schemas); `src/contract/routes.ts` gathers every table for the server and the tests.
import { idParams } from '../common'
import { route } from '../route-def'
import { periodicJobParams, periodicJobResponse } from '../admin'

/**
 * Periodic work (expiry, closing due campaigns, pruning the subscribe-message outbox) that an
 * admin runs now and follows.
 */
export const adminJobRoutes = {
  /**
   * Starts the periodic job now (`202`): a durable job in batches. While one of that name runs,
   * the answer is that one: the job never runs twice at once.
   */
  runPeriodicJob: route({
    method: 'POST',
    path: '/admin/jobs/:name/run',
    params: periodicJobParams,
    response: periodicJobResponse,
    status: 202,
  }),
  /** A periodic job's progress (`status`: running | done | failed) and counts. */
  periodicJob: route({
    method: 'GET',
    path: '/admin/jobs/:id',
    params: idParams,
    response: periodicJobResponse,
    status: 200,
  }),
} as const
