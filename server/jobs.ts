import type { FastifyInstance } from 'fastify'
import type { Db } from './db/client'
import { CLOSE_JOB, closeJob } from './modules/cooling/close'
import { GRANT_JOB, grantJob } from './modules/points/grants'
import { createJobQueue, PERIODIC_JOBS, type JobHandler, type JobQueue } from './lib/job-queue'
import { periodicJobs, runExpiry, startPeriodicJob, type ExpiryRun } from './modules/admin/periodic'
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
  [CLOSE_JOB]: closeJob,
  ...periodicJobs,
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

export type { ExpiryRun }

/**
 * The expiry at `now` (overdue orders, then due point lots) in batches, without a job record:
 * what the `expiry` job does, for tests and scripts. See `runExpiry`.
 */
export function runExpiryJobs(db: Db, now: Date): Promise<ExpiryRun> {
  return runExpiry(db, now)
}

/** A background job: what it does on one run (logging what is worth it) and how often. */
export interface Job {
  name: string
  intervalMs: number
  run(app: FastifyInstance, now: Date): Promise<void>
}

/**
 * Every background job of the server. The periodic work (expiry with session pruning, closing
 * due cooling campaigns, pruning old subscribe messages) runs as durable jobs: each process's
 * tick starts each of them unless one of that name is running or started within half an
 * interval — so the processes sharing a database run each round once — and runs it here unless
 * another process holds it.
 */
export function serverJobs(intervalMs: number): Job[] {
  return [
    {
      name: 'periodic',
      intervalMs,
      async run(app, now) {
        const recentSeconds = Math.floor(intervalMs / 2000)
        for (const name of PERIODIC_JOBS) {
          const job = await startPeriodicJob(app, name, null, now, recentSeconds)
          // Also resumes a running one whose process died (its lease ran out).
          await app.jobQueue.runNow(job.id)
        }
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
