import type { FastifyInstance } from 'fastify'
import { routes } from '../../../src/contract/routes'
import { handle } from '../../lib/route'
import { auditPage } from './viewer'

const staffRoles = { roles: ['staff', 'admin'] as Array<'staff' | 'admin'> }

/** 操作记录: staff read their subtree's entries, admins all (scope in viewer.ts). */
export async function auditRoutes(app: FastifyInstance) {
  handle(app, routes.staffAudit, staffRoles, async ({ caller, query }) =>
    auditPage(app.db.db, caller, query),
  )
}
