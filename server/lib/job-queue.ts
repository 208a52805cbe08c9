import crypto from 'node:crypto'
import os from 'node:os'
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { Tx } from '../db/client'
import { first, rows } from '../db/sql'

/** How long a claim holds a job without a batch committing; a dead worker's job waits this long. */
export const LEASE_SECONDS = 60
/** Claims of one job (each a process that took it and did not finish it) before it fails. */
export const MAX_ATTEMPTS = 5

/**
 * The job names that run one at a time: the predicate of the unique index `jobs_periodic_once`
 * (migrations 0009, 0014), which an insert's `ON CONFLICT` must repeat.
 */
export const PERIODIC_JOBS = ['expiry', 'close-due-campaigns', 'prune-outbox'] as const
const PERIODIC_NAMES = sql.raw(`(${PERIODIC_JOBS.map((n) => `'${n}'`).join(', ')})`)

/** A job's progress as its batches commit it: units done of `total`, and its own counts. */
export interface JobProgress {
  total: number | null
  done: number
  counts: Record<string, number>
}

/** The job's progress as last committed (a resumed job goes on from there). */
export async function readProgress(tx: Tx, jobId: number): Promise<JobProgress> {
  const row = await first<JobProgress>(
    tx,
    sql`SELECT total, done, counts FROM jobs WHERE id = ${jobId}`,
  )
  if (!row) throw new Error(`job ${jobId} vanished`)
  return { total: row.total, done: row.done, counts: { ...row.counts } }
}

/** Stores the job's progress, in the transaction of the batch that made it. */
export async function saveProgress(tx: Tx, jobId: number, p: JobProgress): Promise<void> {
  await tx.execute(
    sql`UPDATE jobs SET total = ${p.total}, done = ${p.done},
               counts = ${JSON.stringify(p.counts)}::jsonb
        WHERE id = ${jobId}`,
  )
}

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
  /**
   * Adds a job of a name that runs one at a time (the unique index `jobs_periodic_once`), unless
   * one of that name is running already — or, with `recentSeconds`, was started that recently
   * (so that processes ticking at different moments start one round, not one each): then answers
   * that one (`created: false`). In its own transaction; run or kick it after.
   */
  enqueueOnce(
    name: string,
    payload: object,
    createdBy: number | null,
    recentSeconds?: number,
  ): Promise<{ id: number; created: boolean }>
  /**
   * Claims this job now, if no live lease holds it, and runs it in this process next to the
   * queue's own round; resolves when it is over (or paused, or held by another process).
   */
  runNow(jobId: number): Promise<void>
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
  /** Jobs run at once by `runNow`, awaited on stop. */
  const direct = new Set<Promise<void>>()
  let again = false

  const renew = async (tx: Tx, jobId: number) => {
    const row = await first<{ id: number }>(
      tx,
      sql`UPDATE jobs SET locked_until = now() + make_interval(secs => ${LEASE_SECONDS})
          WHERE id = ${jobId} AND locked_by = ${workerId} AND status = 'running' RETURNING id`,
    )
    if (!row) throw new LeaseLost(`job ${jobId} is no longer ours`)
  }

  /** Claims the oldest due job, or this one if it is due (no live lease holds it). */
  const claim = async (jobId?: number): Promise<ClaimedJob | undefined> => {
    if (names.length === 0) return undefined
    const which = jobId === undefined ? sql`` : sql` AND id = ${jobId}`
    const [row] = await rows<ClaimedJob>(
      db(),
      sql`UPDATE jobs SET locked_by = ${workerId},
                 locked_until = now() + make_interval(secs => ${LEASE_SECONDS}),
                 attempts = attempts + 1
          WHERE id = (SELECT id FROM jobs
                      WHERE status = 'running' AND name = ANY(${sql.param(names)}::text[])
                        AND (locked_until IS NULL OR locked_until < now())${which}
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
      async batch(fn) {
        // A turn of the event loop first: PGlite answers without one, so a job's batches would
        // otherwise hold off every request of this process until the job is over.
        await nextTurn()
        const started = performance.now()
        const result = await db().transaction(async (tx) => {
          await renew(tx, job.id)
          return fn(tx)
        })
        // Then a rest in proportion (config.jobYieldPercent), so that the job takes at most its
        // share of the cores from the requests, on PostgreSQL's side as on ours.
        const rest = ((performance.now() - started) * app.config.jobYieldPercent) / 100
        if (rest >= 1) await sleep(rest)
        return result
      },
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
    async enqueueOnce(name, payload, createdBy, recentSeconds = 0) {
      if (!handlers[name]) throw new Error(`no handler for job ${name}`)
      if (!(PERIODIC_JOBS as readonly string[]).includes(name)) {
        throw new Error(`job ${name} may run several at once`)
      }
      // The insert waits for a concurrent one of the same name and then does nothing; the running
      // job is then found, unless it ended in between (then the insert goes through next time).
      for (let attempt = 0; attempt < 5; attempt++) {
        const recent = sql`SELECT id FROM jobs WHERE name = ${name}
                           AND created_at > now() - make_interval(secs => ${recentSeconds})`
        const inserted = await first<{ id: number }>(
          db(),
          sql`INSERT INTO jobs (name, payload, created_by)
              SELECT ${name}, ${JSON.stringify(payload)}::jsonb, ${createdBy}
              WHERE NOT EXISTS (${recent})
              ON CONFLICT (name) WHERE status = 'running' AND name IN ${PERIODIC_NAMES}
              DO NOTHING RETURNING id`,
        )
        if (inserted) return { id: inserted.id, created: true }
        const other = await first<{ id: number }>(
          db(),
          sql`SELECT id FROM jobs WHERE name = ${name}
                AND (status = 'running' OR id IN (${recent}))
              ORDER BY status = 'running' DESC, id DESC LIMIT 1`,
        )
        if (other) return { id: other.id, created: false }
      }
      throw new Error(`job ${name}: neither started nor found running`)
    },
    runNow(jobId) {
      if (stopping) return Promise.resolve()
      const run = (async () => {
        const job = await claim(jobId)
        if (job) return runOne(job)
        // This process's own round may have taken it first: then the job is over with the round.
        const ours = await first<{ id: number }>(
          db(),
          sql`SELECT id FROM jobs WHERE id = ${jobId} AND locked_by = ${workerId}
                AND status = 'running'`,
        )
        if (ours && round) await round
      })()
        .catch((err: unknown) => app.log.error({ err, job: jobId }, 'job run failed'))
        .finally(() => direct.delete(run))
      direct.add(run)
      return run
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
      await Promise.all([round, ...direct])
    },
  }
}
