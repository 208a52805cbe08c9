import { z } from 'zod'
import { id, isoDateTime } from './common'
import { jobStatus } from './org'

const count = z.number().int().nonnegative()

/** The periodic jobs an admin may run now (they also run on their own, once an hour). */
export const periodicJobName = z.enum(['expiry', 'close-due-campaigns', 'prune-outbox'], {
  error: '任务名称应为 expiry、close-due-campaigns 或 prune-outbox',
})
export type PeriodicJobName = z.infer<typeof periodicJobName>

export const periodicJobParams = z.object({ name: periodicJobName }).strict()

/** What the expiry job did: overdue orders closed, members whose due lots expired, points gone. */
export const expiryCounts = z.object({
  ordersExpired: count,
  membersWithExpiredPoints: count,
  pointsExpired: count,
})
export type ExpiryCounts = z.infer<typeof expiryCounts>

/** What closing the due cooling campaigns did: campaigns closed, default packs, members left out. */
export const closeDueCampaignsCounts = z.object({
  campaignsClosed: count,
  defaultPacksCreated: count,
  notCovered: count,
})
export type CloseDueCampaignsCounts = z.infer<typeof closeDueCampaignsCounts>

/** What pruning the subscribe-message outbox did: settled messages past their keeping time. */
export const pruneOutboxCounts = z.object({ messagesPruned: count })
export type PruneOutboxCounts = z.infer<typeof pruneOutboxCounts>

const periodicJobBase = {
  id,
  status: jobStatus,
  /** Units of work found when the job started (orders and members; campaigns), once known. */
  total: count.nullable(),
  /** Units handled so far (committed with each batch). */
  done: count,
  /** Why the job failed, when `status` is `failed`. */
  error: z.string().nullable(),
  createdAt: isoDateTime,
  finishedAt: isoDateTime.nullable(),
}

/** A run of a periodic job and how far it got. */
export const periodicJob = z.discriminatedUnion('name', [
  z.object({ ...periodicJobBase, name: z.literal('expiry'), counts: expiryCounts }),
  z.object({
    ...periodicJobBase,
    name: z.literal('close-due-campaigns'),
    counts: closeDueCampaignsCounts,
  }),
  z.object({ ...periodicJobBase, name: z.literal('prune-outbox'), counts: pruneOutboxCounts }),
])
export type PeriodicJob = z.infer<typeof periodicJob>

export const periodicJobResponse = z.object({ job: periodicJob })
export type PeriodicJobResponse = z.infer<typeof periodicJobResponse>
