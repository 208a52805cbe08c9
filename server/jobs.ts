import type { FastifyInstance } from 'fastify'
import type { Db } from './db/client'
import { expireOverdueOrders } from './modules/mall/orders'
import { expirePoints } from './modules/points/expiry'
import { pruneSessions } from './lib/sessions'

export interface ExpiryRun {
  ordersExpired: number
  membersWithExpiredPoints: number
  pointsExpired: number
}

/**
 * The expiry job at `now`: orders not picked up by their deadline give points and stock back,
 * then lots past their expiry leave the balance. Orders first, so that points an expired order
 * gives back to an already expired lot leave again in the same run. Safe to run twice and from
 * several processes at once: each order and each lot is handled exactly once.
 */
export async function runExpiryJobs(db: Db, now: Date): Promise<ExpiryRun> {
  const ordersExpired = await expireOverdueOrders(db, now)
  const points = await expirePoints(db, now)
  return { ordersExpired, membersWithExpiredPoints: points.members, pointsExpired: points.points }
}

/**
 * Runs the expiry job when the server is ready and then every `intervalMs` (0: never); the timer
 * is cleared, and a running job awaited, when the server closes.
 */
export function scheduleExpiryJobs(app: FastifyInstance, intervalMs: number): void {
  if (intervalMs <= 0) return
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | null = null
  const tick = (): Promise<void> => {
    running ??= runExpiryJobs(app.db.db, new Date())
      .then(async (r) => {
        await pruneSessions(app.db.db)
        if (r.ordersExpired > 0 || r.pointsExpired > 0) app.log.info(r, 'expiry job')
      })
      .catch((err: unknown) => app.log.error({ err }, 'expiry job failed'))
      .finally(() => {
        running = null
      })
    return running
  }
  app.addHook('onReady', async () => {
    await tick()
    timer = setInterval(() => void tick(), intervalMs)
    timer.unref()
  })
  app.addHook('onClose', async () => {
    clearInterval(timer)
    await running
  })
}
