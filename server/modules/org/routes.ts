import { asc, eq, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { routes } from '../../../src/contract/routes'
import { members, pointAccounts, unions } from '../../db/schema'
import { pgConstraint, pgErrorCode, rows } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'
import { checkKey, claimKey, storeResponse } from '../../lib/idempotency'
import { handle } from '../../lib/route'
import { findMemberById, memberView } from './members'
import { staffScope, subtreeIds } from './union-tree'

export async function orgRoutes(app: FastifyInstance) {
  handle(app, routes.unions, {}, async () => {
    const list = await app.db.db
      .select({ id: unions.id, name: unions.name, parentId: unions.parentId })
      .from(unions)
      .orderBy(asc(unions.id))
    return { unions: list }
  })

  handle(app, routes.staffMembers, { roles: ['staff', 'admin'] }, async ({ caller, query }) => {
    let scope = await staffScope(app.db.db, caller)
    if (query.unionId !== undefined) {
      const wanted = new Set(await subtreeIds(app.db.db, query.unionId))
      scope = scope.filter((id) => wanted.has(id))
    }
    const q = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null
    const list = await rows<{
      id: number
      member_no: string
      name: string
      union_id: number
      union_name: string
    }>(
      app.db.db,
      sql`SELECT m.id, m.member_no, m.name, m.union_id, u.name AS union_name
          FROM members m JOIN unions u ON u.id = m.union_id
          WHERE m.union_id = ANY(${sql.param(scope)}::int[])
            AND (${q}::text IS NULL OR m.name LIKE ${q} OR m.member_no LIKE upper(${q}))
          ORDER BY m.member_no LIMIT ${query.limit}`,
    )
    return {
      members: list.map((m) => ({
        id: m.id,
        memberNo: m.member_no,
        name: m.name,
        unionId: m.union_id,
        unionName: m.union_name,
      })),
    }
  })

  handle(
    app,
    routes.createUnion,
    { roles: ['admin'] },
    async ({ body, caller, idempotencyKey }) => {
      const key = checkKey(idempotencyKey, false)
      try {
        return await app.db.db.transaction(async (tx) => {
          if (key) {
            const prior = await claimKey<{ union: typeof created }>(
              tx,
              caller.id,
              key,
              'createUnion',
              body,
            )
            if (prior.replayed) return prior.response
          }
          if (body.parentId !== null) {
            const parent = await tx
              .select({ id: unions.id })
              .from(unions)
              .where(eq(unions.id, body.parentId))
            if (parent.length === 0) throw new AppError('UNION_NOT_FOUND', 404, '上级工会不存在')
          }
          const [created] = await tx
            .insert(unions)
            .values({ name: body.name, parentId: body.parentId })
            .returning({ id: unions.id, name: unions.name, parentId: unions.parentId })
          await audit(tx, {
            actorId: caller.id,
            action: 'union.create',
            entity: 'union',
            entityId: created.id,
            after: created,
          })
          const response = { union: created }
          if (key) await storeResponse(tx, caller.id, key, 201, response)
          return response
        })
      } catch (err) {
        if (pgErrorCode(err) === '23505') {
          throw new AppError('BAD_REQUEST', 409, '同一上级工会下已有同名工会')
        }
        throw err
      }
    },
  )

  handle(
    app,
    routes.createMember,
    { roles: ['admin'] },
    async ({ body, caller, idempotencyKey }) => {
      const key = checkKey(idempotencyKey, false)
      const roles = [...new Set(body.roles ?? ['member'])]
      const isStaff = roles.includes('staff')
      if (isStaff !== (body.staffUnionId !== undefined)) {
        throw new AppError(
          'BAD_REQUEST',
          400,
          isStaff
            ? '工会干部需要指定所管理的工会（staffUnionId）'
            : '只有工会干部才能指定所管理的工会',
        )
      }
      try {
        const memberId = await app.db.db.transaction(async (tx) => {
          if (key) {
            const prior = await claimKey<{ memberId: number }>(
              tx,
              caller.id,
              key,
              'createMember',
              body,
            )
            if (prior.replayed) return prior.response.memberId
          }
          const ids = [body.unionId, ...(body.staffUnionId ? [body.staffUnionId] : [])]
          for (const id of ids) {
            const found = await tx.select({ id: unions.id }).from(unions).where(eq(unions.id, id))
            if (found.length === 0) throw new AppError('UNION_NOT_FOUND', 404)
          }
          const [created] = await tx
            .insert(members)
            .values({
              memberNo: body.memberNo,
              name: body.name,
              unionId: body.unionId,
              roles,
              staffUnionId: body.staffUnionId ?? null,
            })
            .returning({ id: members.id })
          await tx.insert(pointAccounts).values({ memberId: created.id, balance: 0 })
          await audit(tx, {
            actorId: caller.id,
            action: 'member.create',
            entity: 'member',
            entityId: created.id,
            after: { ...body, roles },
          })
          if (key) await storeResponse(tx, caller.id, key, 201, { memberId: created.id })
          return created.id
        })
        const member = await findMemberById(app.db.db, memberId)
        if (!member) throw new AppError('INTERNAL', 500)
        return { member: memberView(member) }
      } catch (err) {
        if (pgErrorCode(err) === '23505' && pgConstraint(err) === 'members_member_no_unique') {
          throw new AppError('MEMBER_EXISTS', 409, `会员号 ${body.memberNo} 已存在`)
        }
        throw err
      }
    },
  )
}
