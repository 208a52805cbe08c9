import type { FastifyInstance } from 'fastify'
import type { Db } from './db/client'
import { closeDueCampaigns } from './modules/cooling/campaigns'
import { expireOverdueOrders } from './modules/mall/orders'
import { expirePoints } from './modules/points/expiry'
import { GRANT_JOB, grantJob } from './modules/points/grants'
import { pruneSessions } from './lib/sessions'
import { createJobQueue, type JobHandler, type JobQueue } from './lib/job-queue'
import { memberImportJob, MEMBER_IMPORT_JOB } from './modules/org/member-import'

declare module 'fastify' {
  interface FastifyInstance {
    /** The durable job queue (roster imports…): `enqueue` in a transaction, then `kick()`. */
    jobQueue: JobQueue
  }
}

/** Every durable job kind, by the name its `jobs` rows carry. */
export const durableJobs: Record<string, JobHandler> = {
  [MEMBER_IMPORT_JOB]: memberImportJob,
  [GRANT_JOB]: grantJob,
}

/**
 * Decorates the app with the durable job queue. It runs in every server process: each claims due
 * jobs with `FOR UPDATE SKIP LOCKED` under a lease, when kicked (a job was just added) and every
 * `pollMs` (0: only when kicked) — which also picks up jobs whose process died. On close the
 * worker finishes its current batch and hands the job back.
 */
export function registerJobQueue(app: FastifyInstance, pollMs: number): void {
  const queue = createJobQueue(app, durableJobs)
  app.decorate('jobQueue', queue)
  let timer: NodeJS.Timeout | undefined
  app.addHook('onReady', async () => {
    void queue.kick()
    if (pollMs > 0) {
      timer = setInterval(() => void queue.kick(), pollMs)
      timer.unref()
    }
  })
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer)
    await queue.stop()
  })
}

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

/** A background job: what it does on one run (logging what is worth it) and how often. */
export interface Job {
  name: string
  intervalMs: number
  run(app: FastifyInstance, now: Date): Promise<void>
}

/**
 * Every background job of the server. Each is safe to run from several processes at once, since
 * the rows they touch are claimed with conditional updates.
 */
export function serverJobs(intervalMs: number): Job[] {
  return [
    {
      name: 'expiry',
      intervalMs,
      async run(app, now) {
        const r = await runExpiryJobs(app.db.db, now)
        await pruneSessions(app.db.db)
        if (r.ordersExpired > 0 || r.pointsExpired > 0) app.log.info(r, 'expiry job')
      },
    },
    {
      // Closing a campaign past its closing time hands out the default packs even if no staff
      // member closes it.
      name: 'cooling-close',
      intervalMs,
      async run(app, now) {
        const n = await closeDueCampaigns(app.db.db, now)
        if (n > 0) app.log.info({ campaigns: n }, 'cooling campaigns closed')
      },
    },
  ]
}

/**
 * Runs each job when the server is ready and then every `intervalMs` (0: never); one run of a job
 * at a time (a tick while it still runs is skipped). The timers are cleared, and running jobs
 * awaited, when the server closes.
 */
export function scheduleJobs(app: FastifyInstance, jobs: Job[]): void {
  const timers: NodeJS.Timeout[] = []
  const running = new Map<string, Promise<void>>()
  const tick = (job: Job): Promise<void> => {
    const current = running.get(job.name)
    if (current) return current
    const run = job
      .run(app, new Date())
      .catch((err: unknown) => app.log.error({ err, job: job.name }, 'job failed'))
      .finally(() => running.delete(job.name))
    running.set(job.name, run)
    return run
  }
  const active = jobs.filter((job) => job.intervalMs > 0)
  if (active.length === 0) return
  app.addHook('onReady', async () => {
    for (const job of active) {
      await tick(job)
      const timer = setInterval(() => void tick(job), job.intervalMs)
      timer.unref()
      timers.push(timer)
    }
  })
  app.addHook('onClose', async () => {
    for (const timer of timers) clearInterval(timer)
    await Promise.all(running.values())
  })
}
