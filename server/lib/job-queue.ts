import crypto from 'node:crypto'
import os from 'node:os'
import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { Tx } from '../db/client'
import { first, rows } from '../db/sql'

/** How long a claim holds a job without a batch committing; a dead worker's job waits this long. */
export const LEASE_SECONDS = 60
/** Claims of one job (each a process that took it and did not finish it) before it fails. */
export const MAX_ATTEMPTS = 5

/** A job as its handler sees it. */
export interface ClaimedJob {
  id: number
  name: string
  payload: Record<string, unknown>
  attempts: number
}

/** A failure of the job's input (not of the machine): the job fails with this Chinese message. */
export class JobFailure extends Error {}

/** Another worker holds the job now (our lease ran out): stop without writing anything more. */
export class LeaseLost extends Error {}

export interface JobContext {
  app: FastifyInstance
  job: ClaimedJob
  /**
   * Runs `fn` in one transaction that first renews this worker's lease on the job (and throws
   * `LeaseLost` if another worker holds it): a batch commits only while we own the job.
   */
  batch<T>(fn: (tx: Tx) => Promise<T>): Promise<T>
  /** Marks the job done, inside the last batch's transaction. */
  complete(tx: Tx): Promise<void>
  /** Whether the server is closing: return `'paused'` after the current batch. */
  stopping(): boolean
}

export interface JobHandler {
  /** Runs (or resumes) the job; `'paused'` leaves it for another claim. */
  run(ctx: JobContext): Promise<'done' | 'paused'>
  /** Records the failure in the handler's own tables, in the transaction marking the job failed. */
  failed?(tx: Tx, job: ClaimedJob, message: string): Promise<void>
}

export interface JobQueue {
  readonly workerId: string
  /** Adds a job (in the caller's transaction); call `kick()` after it commits. */
  enqueue(tx: Tx, name: string, payload: object, createdBy: number | null): Promise<number>
  /** Looks for due jobs now (in the background); resolves when this round of work is over. */
  kick(): Promise<void>
  /** Stops after the current batch and releases the job; resolves when the worker is idle. */
  stop(): Promise<void>
}

/**
 * The durable job queue: a `jobs` table claimed with `FOR UPDATE SKIP LOCKED` and a lease, on
 * PGlite and PostgreSQL alike. A job runs in batches, each its own transaction that renews the
 * lease, so no two processes ever write for the same job, and a job whose process died is claimed
 * again when its lease runs out and resumes from its last committed batch.
 */
export function createJobQueue(
  app: FastifyInstance,
  handlers: Record<string, JobHandler>,
): JobQueue {
  const workerId = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`
  const db = () => app.db.db
  const names = Object.keys(handlers)
  let stopping = false
  let round: Promise<void> | null = null
  let again = false

  const renew = async (tx: Tx, jobId: number) => {
    const row = await first<{ id: number }>(
      tx,
      sql`UPDATE jobs SET locked_until = now() + make_interval(secs => ${LEASE_SECONDS})
          WHERE id = ${jobId} AND locked_by = ${workerId} AND status = 'running' RETURNING id`,
    )
    if (!row) throw new LeaseLost(`job ${jobId} is no longer ours`)
  }

  const claim = async (): Promise<ClaimedJob | undefined> => {
    if (names.length === 0) return undefined
    const [row] = await rows<ClaimedJob>(
      db(),
      sql`UPDATE jobs SET locked_by = ${workerId},
                 locked_until = now() + make_interval(secs => ${LEASE_SECONDS}),
                 attempts = attempts + 1
          WHERE id = (SELECT id FROM jobs
                      WHERE status = 'running' AND name = ANY(${sql.param(names)}::text[])
                        AND (locked_until IS NULL OR locked_until < now())
                      ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING id, name, payload, attempts`,
    )
    return row
  }

  const fail = async (job: ClaimedJob, message: string) => {
    await db().transaction(async (tx) => {
      await renew(tx, job.id)
      await tx.execute(
        sql`UPDATE jobs SET status = 'failed', error = ${message}, finished_at = now(),
                   locked_by = NULL, locked_until = NULL WHERE id = ${job.id}`,
      )
      await handlers[job.name]?.failed?.(tx, job, message)
    })
  }

  const release = (jobId: number) =>
    db().execute(
      sql`UPDATE jobs SET locked_by = NULL, locked_until = NULL
          WHERE id = ${jobId} AND locked_by = ${workerId}`,
    )

  const runOne = async (job: ClaimedJob) => {
    const handler = handlers[job.name]!
    if (job.attempts > MAX_ATTEMPTS) {
      await fail(job, '多次尝试仍未完成，已停止')
      return
    }
    const ctx: JobContext = {
      app,
      job,
      batch: (fn) =>
        db().transaction(async (tx) => {
          await renew(tx, job.id)
          return fn(tx)
        }),
      async complete(tx) {
        await tx.execute(
          sql`UPDATE jobs SET status = 'done', finished_at = now(), locked_by = NULL,
                     locked_until = NULL WHERE id = ${job.id} AND locked_by = ${workerId}`,
        )
      },
      stopping: () => stopping,
    }
    try {
      const outcome = await handler.run(ctx)
      if (outcome === 'paused') await release(job.id)
    } catch (err) {
      if (err instanceof LeaseLost) {
        app.log.warn({ job: job.id }, 'job lease lost; another worker has it')
      } else if (err instanceof JobFailure) {
        await fail(job, err.message).catch((e: unknown) => app.log.error({ err: e }, 'job fail'))
      } else {
        // The machine, not the input (a lost connection…): another claim tries again.
        app.log.error({ err, job: job.id, name: job.name }, 'job crashed; it will be retried')
        await release(job.id).catch(() => undefined)
      }
    }
  }

  const drain = async () => {
    do {
      again = false
      for (;;) {
        if (stopping) return
        const job = await claim()
        if (!job) break
        await runOne(job)
      }
    } while (again && !stopping)
  }

  return {
    workerId,
    async enqueue(tx, name, payload, createdBy) {
      if (!handlers[name]) throw new Error(`no handler for job ${name}`)
      const row = await first<{ id: number }>(
        tx,
        sql`INSERT INTO jobs (name, payload, created_by)
            VALUES (${name}, ${JSON.stringify(payload)}::jsonb, ${createdBy}) RETURNING id`,
      )
      return row!.id
    },
    kick() {
      if (stopping) return Promise.resolve()
      if (round) {
        again = true
        return round
      }
      round = drain()
        .catch((err: unknown) => app.log.error({ err }, 'job queue failed'))
        .finally(() => {
          round = null
        })
      return round
    },
    async stop() {
      stopping = true
      await round
    },
  }
}
