import { pointsRoutes as routes } from '@/contract/routes/points'
import type {
  GrantBody,
  GrantPreviewBody,
  GrantPreviewResponse,
  GrantResponse,
  LedgerResponse,
  PointsSummary,
} from '@/contract/points'
import { call, type CallOptions } from '@/services/http'

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

/** How many members a grant would reach, and the first few of them (staff; writes nothing). */
export function previewGrant(body: GrantPreviewBody): Promise<GrantPreviewResponse> {
  return call(routes.previewGrant, { body })
}

/** Grants points to listed members or a whole union (staff). Reuse the key on a retry. */
export function grantPoints(body: GrantBody, options?: CallOptions): Promise<GrantResponse> {
  return call(routes.grantPoints, { body }, options)
}
