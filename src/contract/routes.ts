import type { z } from 'zod'
import { route, type RouteDef } from './route-def'
import { healthResponse, idParams } from './common'
import { authRoutes } from './routes/auth'
import { orgRoutes } from './routes/org'
import { pointsJobRoutes, pointsRoutes } from './routes/points'
import { mallRoutes } from './routes/mall'
import { coolingRoutes } from './routes/cooling'
import { eventsRoutes } from './routes/events'
import { legalRoutes } from './routes/legal'
import { adminJobRoutes } from './routes/admin'
import { notificationRoutes } from './routes/notifications'
import { auditRoutes } from './routes/audit'
import { onBehalfRoutes } from './routes/on-behalf'
import { todoRoutes } from './routes/todo'
import { statsRoutes } from './routes/stats'

export { route, type RouteDef }

/**
 * Every route of the API, for the server and the tests. The app's service modules import their
 * own feature's table from `./routes/<feature>` instead, so a page carries only its schemas.
 */
export const routes = {
  ...authRoutes,
  ...orgRoutes,
  ...pointsRoutes,
  ...pointsJobRoutes,
  ...mallRoutes,
  ...coolingRoutes,
  ...eventsRoutes,
  ...legalRoutes,
  ...adminJobRoutes,
  ...notificationRoutes,
  ...onBehalfRoutes,
  ...todoRoutes,
  ...auditRoutes,
  ...statsRoutes,
} as const

export type Routes = typeof routes

/** The health check lives outside `/api/v1`. */
export const health = { path: '/api/health', response: healthResponse }

export { idParams }

/** What the caller sends for a route: its body, query and path parameters (each when declared). */
type Declared<S> = [NonNullable<S>] extends [never] ? false : true
type In<S> = NonNullable<S> extends z.ZodType ? z.input<NonNullable<S>> : never
export type RouteInput<D extends RouteDef> = (Declared<D['body']> extends true
  ? { body: In<D['body']> }
  : { body?: undefined }) &
  (Declared<D['query']> extends true ? { query?: In<D['query']> } : { query?: undefined }) &
  (Declared<D['params']> extends true ? { params: In<D['params']> } : { params?: undefined })

/** What the route answers on success. */
export type RouteOutput<D extends RouteDef> = z.infer<D['response']>
