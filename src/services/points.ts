import { pointsJobRoutes, pointsRoutes } from '@/contract/routes/points'
import type {
  GrantBody,
  GrantJobResponse,
  GrantPreviewBody,
  GrantPreviewResponse,
  GrantResponse,
  LedgerResponse,
  PointsSummary,
} from '@/contract/points'
import { call, type CallOptions } from '@/services/http'

/** The member's points balance and the points that will expire soon. */
export function getPoints(): Promise<PointsSummary> {
  return call(pointsRoutes.points)
}

/** One page of the member's points ledger, newest first; pass `nextCursor` for the next page. */
export function getLedger(
  query: { limit?: number; cursor?: string } = {},
): Promise<LedgerResponse> {
  return call(pointsRoutes.ledger, { query })
}

/** How many members a grant would reach, and the first few of them (staff; writes nothing). */
export function previewGrant(body: GrantPreviewBody): Promise<GrantPreviewResponse> {
  return call(pointsRoutes.previewGrant, { body })
}

/**
 * Grants points to listed members or a whole union (staff). Reuse the key on a retry. A grant to
 * many members answers with a running job (`{grant}`), followed with `grantJob`.
 */
export function grantPoints(
  body: GrantBody,
  options?: CallOptions,
): Promise<GrantResponse | GrantJobResponse> {
  return call(pointsRoutes.grantPoints, { body }, options) as Promise<
    GrantResponse | GrantJobResponse
  >
}

/** A grant job's progress. */
export function grantJob(id: number): Promise<GrantJobResponse> {
  return call(pointsJobRoutes.grantJob, { params: { id } })
}
