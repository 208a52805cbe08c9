import type { z } from 'zod'

/**
 * One route of the HTTP contract: the server registers it with these schemas, the app's services
 * call it and check the answer with `response`.
 */
export interface RouteDef<
  M extends 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' =
    'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  B extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  P extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType = z.ZodType,
  A extends z.ZodType | undefined = z.ZodType | undefined,
> {
  method: M
  /** Path with `:param` placeholders, relative to the API root (`/api/v1`). */
  path: string
  body?: B
  query?: Q
  params?: P
  response: R
  /** HTTP status of success (200 unless it creates something; 202 when a job goes on with it). */
  status: 200 | 201 | 202
  /**
   * The answer when the server hands the work to a job instead (`202`, with this schema): the
   * route's handler chooses it per request.
   */
  accepted?: A
  /**
   * Whether the route creates something: the client sends an `Idempotency-Key`, and the server
   * answers a retry with the same key with the first answer, creating nothing new.
   */
  creates?: boolean
  /** `required`: a `creates` route refuses a request without a key (400 `IDEMPOTENCY_KEY_REQUIRED`). */
  idempotency?: 'required'
  /** Whether the route works without a bearer token. */
  public?: boolean
}

/** Declares a route with its schemas' types kept (each feature's contract file uses it). */
export function route<
  M extends RouteDef['method'],
  R extends z.ZodType,
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  A extends z.ZodType | undefined = undefined,
>(def: RouteDef<M, B, Q, P, R, A>): RouteDef<M, B, Q, P, R, A> {
  return def
}
