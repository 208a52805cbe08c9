import { eq, type SQL } from 'drizzle-orm'
import type { Member } from '../../../src/contract/auth'
import type { SqlClient, Tx } from '../../db/client'
import { members, unions } from '../../db/schema'
import type { Caller } from '../../lib/route'

/** The row of `findCaller`'s hand-written statement. */
interface MemberRow {
  id: number
  member_no: string
  name: string
  union_id: number
  union_name: string
  roles: string[]
  staff_union_id: number | null
}

function toCaller(row: MemberRow): Caller {
  return {
    id: row.id,
    memberNo: row.member_no,
    name: row.name,
    unionId: row.union_id,
    unionName: row.union_name,
    roles: row.roles as Caller['roles'],
    staffUnionId: row.staff_union_id,
  }
}

async function findMember(tx: Tx, where: SQL): Promise<Caller | undefined> {
  const [row] = await tx
    .select({
      id: members.id,
      memberNo: members.memberNo,
      name: members.name,
      unionId: members.unionId,
      unionName: unions.name,
      roles: members.roles,
      staffUnionId: members.staffUnionId,
    })
    .from(members)
    .innerJoin(unions, eq(unions.id, members.unionId))
    .where(where)
  return row && { ...row, roles: row.roles as Caller['roles'] }
}

export function findMemberById(tx: Tx, id: number): Promise<Caller | undefined> {
  return findMember(tx, eq(members.id, id))
}

/**
 * The signed-in member for a request: the same row as `findMemberById`, as one prepared statement
 * without the query builder (it runs before every authenticated request).
 */
export async function findCaller(raw: SqlClient, id: number): Promise<Caller | undefined> {
  const [row] = await raw.query<MemberRow>(
    `SELECT m.id, m.member_no, m.name, m.union_id, u.name AS union_name, m.roles, m.staff_union_id
     FROM members m JOIN unions u ON u.id = m.union_id WHERE m.id = $1::int`,
    [id],
    'auth_caller',
  )
  return row && toCaller(row)
}

export function findMemberByNo(tx: Tx, memberNo: string): Promise<Caller | undefined> {
  return findMember(tx, eq(members.memberNo, memberNo))
}

export function findMemberByOpenid(tx: Tx, openid: string): Promise<Caller | undefined> {
  return findMember(tx, eq(members.wechatOpenid, openid))
}

/** The contract's view of a member. */
export function memberView(c: Caller): Member {
  return {
    id: c.id,
    memberNo: c.memberNo,
    name: c.name,
    unionId: c.unionId,
    unionName: c.unionName,
    roles: c.roles,
    ...(c.staffUnionId !== null ? { staffUnionId: c.staffUnionId } : {}),
  }
}
