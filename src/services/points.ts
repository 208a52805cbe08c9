import { routes } from '@/contract/routes'
import type { LedgerResponse, PointsSummary } from '@/contract/points'
import { call } from '@/services/http'

/** The member's points balance and the points that will expire soon. */
export function getPoints(): Promise<PointsSummary> {
  return call(routes.points)
}

/** One page of the member's points ledger, newest first; pass `nextCursor` for the next page. */
export function getLedger(
  query: { limit?: number; cursor?: string } = {},
): Promise<LedgerResponse> {
  return call(routes.ledger, { query })
}
