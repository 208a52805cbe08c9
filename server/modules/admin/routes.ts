import type { FastifyInstance } from 'fastify'
import { adminJobRoutes } from '../../../src/contract/routes/admin'
import { audit } from '../../lib/audit'
import { handle } from '../../lib/route'
import { periodicJobView, startPeriodicJob } from './periodic'

const adminOnly = { roles: ['admin' as const] }

/** The admin's periodic jobs: run one now (`202`), follow it. */
export async function adminJobsRoutes(app: FastifyInstance) {
  // The job runs here once the answer is out (not behind other queued work); a job that another
  // process holds is left to it.
  const starts = new WeakMap<object, number>()
  app.addHook('onResponse', async (req) => {
    const id = starts.get(req)
    if (id !== undefined) void app.jobQueue.runNow(id)
  })

  handle(app, adminJobRoutes.runPeriodicJob, adminOnly, async ({ caller, params, req }) => {
    const job = await startPeriodicJob(app, params.name, caller.id)
    if (job.created) {
      await audit(app.db.db, {
        actorId: caller.id,
        action: 'job.run',
        entity: 'job',
        entityId: job.id,
        after: { name: params.name },
      })
    }
    starts.set(req, job.id)
    return { job: await periodicJobView(app.db.db, job.id) }
  })

  handle(app, adminJobRoutes.periodicJob, adminOnly, async ({ params }) => ({
    job: await periodicJobView(app.db.db, params.id),
  }))
}
