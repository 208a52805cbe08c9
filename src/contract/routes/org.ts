// Route table of one feature: the app's service module imports only this (and so only these
// schemas); `src/contract/routes.ts` gathers every table for the server and the tests.
import { route } from '../route-def'
import {
  createMemberBody,
  createUnionBody,
  memberImportRejectsCsv,
  memberImportRejectsQuery,
  memberImportResponse,
  memberResponse,
  patchMemberBody,
  revokedSessionsResponse,
  staffMemberResponse,
  staffMembersQuery,
  staffMembersResponse,
  unionResponse,
  unionsResponse,
} from '../org'
import { activationCodeResponse } from '../auth'
import { idParams } from '../common'

/** Unions, members and their accounts (staff and admin). */
export const orgRoutes = {
  unions: route({ method: 'GET', path: '/unions', response: unionsResponse, status: 200 }),
  createUnion: route({
    method: 'POST',
    path: '/admin/unions',
    body: createUnionBody,
    response: unionResponse,
    status: 201,
    creates: true,
  }),
  createMember: route({
    method: 'POST',
    path: '/admin/members',
    body: createMemberBody,
    response: memberResponse,
    status: 201,
    creates: true,
  }),
  staffMembers: route({
    method: 'GET',
    path: '/staff/members',
    query: staffMembersQuery,
    response: staffMembersResponse,
    status: 200,
  }),
  /** One member of the staff's subtree: binding state, live activation code, lock. */
  staffMember: route({
    method: 'GET',
    path: '/staff/members/:id',
    params: idParams,
    response: staffMemberResponse,
    status: 200,
  }),
  /** Staff issue a one-time activation code (replaces any live one; shown once). */
  issueActivationCode: route({
    method: 'POST',
    path: '/staff/members/:id/activation-code',
    params: idParams,
    response: activationCodeResponse,
    status: 201,
  }),
  revokeActivationCode: route({
    method: 'POST',
    path: '/staff/members/:id/activation-code/revoke',
    params: idParams,
    response: staffMemberResponse,
    status: 200,
  }),
  /** Staff unbind a member's WeChat (a lost phone); the member's sessions end. */
  staffUnbindWechat: route({
    method: 'POST',
    path: '/staff/members/:id/wechat/unbind',
    params: idParams,
    response: staffMemberResponse,
    status: 200,
  }),
  /** Admin: change a member's roster entry or roles (removing a role ends their sessions). */
  patchMember: route({
    method: 'PATCH',
    path: '/admin/members/:id',
    params: idParams,
    body: patchMemberBody,
    response: memberResponse,
    status: 200,
  }),
  /** Admin: sign a member out everywhere. */
  revokeMemberSessions: route({
    method: 'POST',
    path: '/admin/members/:id/sessions/revoke',
    params: idParams,
    response: revokedSessionsResponse,
    status: 200,
  }),
  /**
   * Staff and admins import members from a roster file: the body is the file itself, sent as
   * `text/csv` or the xlsx media type (no JSON body, hence no `body` schema). Answered at once
   * with `202`; the import runs as a job, followed at `memberImport`.
   */
  createMemberImport: route({
    method: 'POST',
    path: '/admin/members/imports',
    response: memberImportResponse,
    status: 202,
  }),
  memberImport: route({
    method: 'GET',
    path: '/admin/members/imports/:id',
    params: idParams,
    response: memberImportResponse,
    status: 200,
  }),
  /**
   * The rows the import refused, as CSV (UTF-8 with BOM): `行号,原因` then the row's fields; the
   * same rows as an .xlsx workbook with `?format=xlsx`.
   */
  memberImportRejects: route({
    method: 'GET',
    path: '/admin/members/imports/:id/rejected',
    params: idParams,
    query: memberImportRejectsQuery,
    response: memberImportRejectsCsv,
    status: 200,
  }),
} as const
