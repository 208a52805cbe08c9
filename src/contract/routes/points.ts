// Route table of one feature: the app's service module imports only this (and so only these
// schemas); `src/contract/routes.ts` gathers every table for the server and the tests.
import { idParams } from '../common'
import { route } from '../route-def'
import {
  grantBody,
  grantPreviewBody,
  grantPreviewResponse,
  grantJobResponse,
  grantResponse,
  ledgerQuery,
  ledgerResponse,
  pointsSummary,
} from '../points'

/** Points balance, ledger and grants. */
export const pointsRoutes = {
  points: route({ method: 'GET', path: '/points', response: pointsSummary, status: 200 }),
  ledger: route({
    method: 'GET',
    path: '/points/ledger',
    query: ledgerQuery,
    response: ledgerResponse,
    status: 200,
  }),
  grantPoints: route({
    method: 'POST',
    path: '/staff/points/grants',
    body: grantBody,
    response: grantResponse,
    status: 201,
    /** A grant to many members answers `202` and goes on as a job (see `grant`). */
    accepted: grantJobResponse,
    creates: true,
  }),
  /** How many members a grant would reach (nothing is written). */
  previewGrant: route({
    method: 'POST',
    path: '/staff/points/grants/preview',
    body: grantPreviewBody,
    response: grantPreviewResponse,
    status: 200,
  }),
} as const

/** Points routes that follow long work. */
export const pointsJobRoutes = {
  /** A grant job's progress (`status`: running | done | failed). */
  grantJob: route({
    method: 'GET',
    path: '/staff/points/grants/:id',
    params: idParams,
    response: grantJobResponse,
    status: 200,
  }),
} as const
