import { auditRoutes as routes } from '@/contract/routes/audit'
import type { AuditQuery, AuditResponse } from '@/contract/audit'
import { call } from '@/services/http'

/**
 * A page of the audit log (staff: their subtree's actors; admins: all), newest first; pass the
 * answer's `next` as `cursor` for older entries.
 */
export async function listAudit(query: AuditQuery): Promise<AuditResponse> {
  return call(routes.staffAudit, { query })
}
