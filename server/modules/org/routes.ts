import { and, asc, eq, inArray, isNotNull, like, or, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { routes } from '../../../src/contract/routes'
import { members, pointAccounts, unions } from '../../db/schema'
import { first, pgConstraint, pgErrorCode, rows } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'
import { handle } from '../../lib/route'
import { ACTIVATION_QR_PREFIX } from '../../../src/contract/auth'
import type { Tx } from '../../db/client'

import { revokeMemberSessions } from '../../lib/sessions'
import { issueActivationCode, maskPhone } from '../auth/binding'
import { findMemberById, memberView } from './members'
import { mayActOnUnion, staffScope, subtreeIds } from './union-tree'
import type { Caller } from '../../lib/route'

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
    const list = await app.db.db
      .select({
        id: members.id,
        memberNo: members.memberNo,
        name: members.name,
        unionId: members.unionId,
        unionName: unions.name,
        wechatBound: sql<boolean>`${members.wechatOpenid} IS NOT NULL`,
      })
      .from(members)
      .innerJoin(unions, eq(unions.id, members.unionId))
      .where(
        and(
          inArray(members.unionId, scope),
          q === null
            ? undefined
            : and(
                // The GIN index of names' and numbers' character pairs (migration 0019) narrows
                // the members to those holding every pair of the query; LIKE then checks.
                (query.q?.length ?? 0) >= 2
                  ? sql`member_search_grams(${members.name} || ' ' || ${members.memberNo})
                        @> member_search_grams(${query.q ?? ''})`
                  : undefined,
                or(like(members.name, q), like(members.memberNo, sql`upper(${q})`)),
              ),
        ),
      )
      .orderBy(members.memberNo)
      .limit(query.limit)
    return { members: list }
  })

  /** The member, if the caller may act on their union (404 otherwise: no probing other unions). */
  const memberInScope = async (tx: Tx, caller: Caller, memberId: number) => {
    const [row] = await tx
      .select({ unionId: members.unionId })
      .from(members)
      .where(eq(members.id, memberId))
    if (!row || !(await mayActOnUnion(tx, caller, row.unionId))) {
      throw new AppError('NOT_FOUND', '会员不存在，或不在你管理的工会范围内')
    }
  }

  const staffMemberDetail = async (tx: Tx, memberId: number) => {
    const row = await first<{
      id: number
      member_no: string
      name: string
      union_id: number
      union_name: string
      bound: boolean
      phone: string | null
      code_expires_at: string | null
      locked_until: string | null
    }>(
      tx,
      sql`SELECT m.id, m.member_no, m.name, m.union_id, u.name AS union_name,
                 m.wechat_openid IS NOT NULL AS bound, m.phone,
                 (SELECT a.expires_at FROM activation_codes a
                  WHERE a.member_id = m.id AND a.used_at IS NULL AND a.revoked_at IS NULL
                    AND a.expires_at > now()) AS code_expires_at,
                 (SELECT b.locked_until FROM bind_attempts b
                  WHERE b.member_id = m.id AND b.locked_until > now()) AS locked_until
          FROM members m JOIN unions u ON u.id = m.union_id WHERE m.id = ${memberId}`,
    )
    if (!row) throw new AppError('NOT_FOUND', '会员不存在')
    const iso = (v: string | null) => (v === null ? null : new Date(v).toISOString())
    return {
      member: {
        id: row.id,
        memberNo: row.member_no,
        name: row.name,
        unionId: row.union_id,
        unionName: row.union_name,
        wechatBound: row.bound,
        phoneMasked: maskPhone(row.phone) ?? null,
        activationCodeExpiresAt: iso(row.code_expires_at),
        bindLockedUntil: iso(row.locked_until),
      },
    }
  }

  handle(app, routes.staffMember, { roles: ['staff', 'admin'] }, async ({ caller, params }) => {
    await memberInScope(app.db.db, caller, params.id)
    return staffMemberDetail(app.db.db, params.id)
  })

  handle(
    app,
    routes.issueActivationCode,
    { roles: ['staff', 'admin'] },
    async ({ caller, params }) =>
      app.db.db.transaction(async (tx) => {
        await memberInScope(tx, caller, params.id)
        const [member] = await tx
          .select({
            memberNo: members.memberNo,
            bound: sql<boolean>`${members.wechatOpenid} IS NOT NULL`,
          })
          .from(members)
          .where(eq(members.id, params.id))
          .for('update')
        if (!member) throw new AppError('NOT_FOUND')
        if (member.bound) {
          throw new AppError(
            'MEMBER_ALREADY_BOUND',
            '该会员已绑定微信。如更换了微信，请先解绑，再发放激活码',
          )
        }
        const { code, expiresAt } = await issueActivationCode(tx, params.id, caller.id)
        return {
          code,
          expiresAt: expiresAt.toISOString(),
          qr: `${ACTIVATION_QR_PREFIX}${member.memberNo}:${code}`,
        }
      }),
  )

  handle(
    app,
    routes.revokeActivationCode,
    { roles: ['staff', 'admin'] },
    async ({ caller, params }) =>
      app.db.db.transaction(async (tx) => {
        await memberInScope(tx, caller, params.id)
        const revoked = await rows<{ id: number }>(
          tx,
          sql`UPDATE activation_codes SET revoked_at = now()
              WHERE member_id = ${params.id} AND used_at IS NULL AND revoked_at IS NULL
              RETURNING id`,
        )
        if (revoked.length > 0) {
          await audit(tx, {
            actorId: caller.id,
            action: 'activation_code.revoke',
            entity: 'member',
            entityId: params.id,
            after: { activationCodeId: revoked[0].id },
          })
        }
        return staffMemberDetail(tx, params.id)
      }),
  )

  handle(app, routes.staffUnbindWechat, { roles: ['staff', 'admin'] }, async ({ caller, params }) =>
    app.db.db.transaction(async (tx) => {
      await memberInScope(tx, caller, params.id)
      const [row] = await tx
        .update(members)
        .set({ wechatOpenid: null })
        .where(and(eq(members.id, params.id), isNotNull(members.wechatOpenid)))
        .returning({ id: members.id })
      if (!row) throw new AppError('MEMBER_NOT_BOUND', '该会员还没有绑定微信')
      const ended = await revokeMemberSessions(tx, params.id)
      await audit(tx, {
        actorId: caller.id,
        action: 'wechat.unbind',
        entity: 'member',
        entityId: params.id,
        after: { by: 'staff', sessionsEnded: ended },
      })
      return staffMemberDetail(tx, params.id)
    }),
  )

  handle(app, routes.patchMember, { roles: ['admin'] }, async ({ caller, params, body }) => {
    await app.db.db.transaction(async (tx) => {
      const before = await first<{
        name: string
        union_id: number
        roles: string[]
        staff_union_id: number | null
        phone: string | null
      }>(
        tx,
        sql`SELECT name, union_id, roles, staff_union_id, phone FROM members
            WHERE id = ${params.id} FOR UPDATE`,
      )
      if (!before) throw new AppError('NOT_FOUND', '会员不存在')
      const roles = body.roles ? [...new Set(body.roles)] : before.roles
      const staffUnionId =
        body.staffUnionId !== undefined
          ? body.staffUnionId
          : roles.includes('staff')
            ? before.staff_union_id
            : null
      if (roles.includes('staff') !== (staffUnionId !== null)) {
        throw new AppError(
          'BAD_REQUEST',
          roles.includes('staff')
            ? '工会干部需要指定所管理的工会（staffUnionId）'
            : '只有工会干部才能指定所管理的工会',
        )
      }
      for (const id of [body.unionId, staffUnionId]) {
        if (id === undefined || id === null) continue
        const [found] = await tx.select({ id: unions.id }).from(unions).where(eq(unions.id, id))
        if (!found) throw new AppError('UNION_NOT_FOUND')
      }
      await tx
        .update(members)
        .set({
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.unionId !== undefined ? { unionId: body.unionId } : {}),
          ...(body.phone !== undefined ? { phone: body.phone } : {}),
          roles,
          staffUnionId,
        })
        .where(eq(members.id, params.id))
      // Fewer powers, or powers over another union: sessions signed in with the old ones end.
      const lostRole = before.roles.some((r) => !roles.includes(r))
      const movedScope = before.staff_union_id !== null && before.staff_union_id !== staffUnionId
      const ended = lostRole || movedScope ? await revokeMemberSessions(tx, params.id) : 0
      await audit(tx, {
        actorId: caller.id,
        action: 'member.update',
        entity: 'member',
        entityId: params.id,
        before: { ...before, phone: maskPhone(before.phone) ?? null },
        after: {
          ...body,
          roles,
          staffUnionId,
          ...(body.phone !== undefined ? { phone: maskPhone(body.phone) ?? null } : {}),
          sessionsEnded: ended,
        },
      })
    })
    const member = await findMemberById(app.db.db, params.id)
    if (!member) throw new AppError('NOT_FOUND')
    return { member: memberView(member) }
  })

  handle(app, routes.revokeMemberSessions, { roles: ['admin'] }, async ({ caller, params }) =>
    app.db.db.transaction(async (tx) => {
      const [found] = await tx
        .select({ id: members.id })
        .from(members)
        .where(eq(members.id, params.id))
      if (!found) throw new AppError('NOT_FOUND', '会员不存在')
      const revoked = await revokeMemberSessions(tx, params.id)
      await audit(tx, {
        actorId: caller.id,
        action: 'session.revoke_all',
        entity: 'member',
        entityId: params.id,
        after: { revoked },
      })
      return { revoked }
    }),
  )

  handle(app, routes.createUnion, { roles: ['admin'] }, async ({ body, caller, tx }) => {
    try {
      if (body.parentId !== null) {
        const parent = await tx
          .select({ id: unions.id })
          .from(unions)
          .where(eq(unions.id, body.parentId))
        if (parent.length === 0) throw new AppError('UNION_NOT_FOUND', '上级工会不存在')
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
      return { union: created }
    } catch (err) {
      if (pgErrorCode(err) === '23505') {
        throw new AppError('UNION_EXISTS')
      }
      throw err
    }
  })

  handle(app, routes.createMember, { roles: ['admin'] }, async ({ body, caller, tx }) => {
    const roles = [...new Set(body.roles ?? ['member'])]
    const isStaff = roles.includes('staff')
    if (isStaff !== (body.staffUnionId !== undefined)) {
      throw new AppError(
        'BAD_REQUEST',
        isStaff
          ? '工会干部需要指定所管理的工会（staffUnionId）'
          : '只有工会干部才能指定所管理的工会',
      )
    }
    try {
      const ids = [body.unionId, ...(body.staffUnionId ? [body.staffUnionId] : [])]
      for (const id of ids) {
        const found = await tx.select({ id: unions.id }).from(unions).where(eq(unions.id, id))
        if (found.length === 0) throw new AppError('UNION_NOT_FOUND')
      }
      const [created] = await tx
        .insert(members)
        .values({
          memberNo: body.memberNo,
          name: body.name,
          unionId: body.unionId,
          roles,
          staffUnionId: body.staffUnionId ?? null,
          phone: body.phone ?? null,
        })
        .returning({ id: members.id })
      await tx.insert(pointAccounts).values({ memberId: created.id, balance: 0 })
      await audit(tx, {
        actorId: caller.id,
        action: 'member.create',
        entity: 'member',
        entityId: created.id,
        after: { ...body, roles, phone: maskPhone(body.phone) },
      })
      const member = await findMemberById(tx, created.id)
      if (!member) throw new AppError('INTERNAL')
      return { member: memberView(member) }
    } catch (err) {
      if (pgErrorCode(err) === '23505' && pgConstraint(err) === 'members_member_no_unique') {
        throw new AppError('MEMBER_EXISTS', `会员号 ${body.memberNo} 已存在`)
      }
      throw err
    }
  })
}
