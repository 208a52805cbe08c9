import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { z } from 'zod'
import type { Role } from '../../src/contract/auth'
import type { RouteDef } from '../../src/contract/route-def'
import type { Tx } from '../db/client'
import { bearerTokenHash } from '../plugins/auth'
import { AppError } from './errors'
import { checkKey, claimKey, storeResponse } from './idempotency'

/** The signed-in member making a request, loaded fresh from the database. */
export interface Caller {
  id: number
  memberNo: string
  name: string
  unionId: number
  unionName: string
  roles: Role[]
  staffUnionId: number | null
}

type Parsed<S> = [NonNullable<S>] extends [never]
  ? undefined
  : NonNullable<S> extends z.ZodType
    ? z.output<NonNullable<S>>
    : undefined

export interface HandlerContext<D extends RouteDef> {
  body: Parsed<D['body']>
  query: Parsed<D['query']>
  params: Parsed<D['params']>
  /** The signed-in member (routes marked `public` have none and must not read it). */
  caller: Caller
  /** The request's `Idempotency-Key` header, if sent (its form checked on a `creates` route). */
  idempotencyKey?: string
  /** The hash of the bearer token, on a route that `signsInItself` (which has no `caller`). */
  tokenHash?: string
  /**
   * Where the handler writes. On a `creates` route: the request's transaction, in which the helper
   * claimed the key and stores the answer (commit and rollback are the helper's). Elsewhere the
   * database itself: the handler opens a transaction where it needs one.
   */
  tx: Tx
  req: FastifyRequest
  reply: FastifyReply
}

export interface HandleOptions<Answer = unknown> {
  /** Any of these roles may call the route (default: any signed-in member). */
  roles?: Role[]
  /** Extra Fastify route config (e.g. rate limits). */
  config?: Record<string, unknown>
  /**
   * A `creates` route whose handler claims and stores the idempotency key itself, inside its own
   * hand-tuned statements (the redemption): the helper only checks the key's form.
   */
  ownIdempotency?: true
  /**
   * The handler resolves the session itself, in the one statement it runs anyway (the redemption):
   * before the body is read only the bearer token's form is checked (401 without one), and the
   * handler gets `tokenHash` instead of `caller`. An error answered before the handler ran (a
   * malformed body, a missing key) still looks the session up first, so a request without a live
   * session is 401 whatever it carries, as on every other route. Not with `roles`.
   */
  signsInItself?: true
  /**
   * The answer is serialised as it is, without the contract's check on the way out: for a hot,
   * large answer the handler builds field by field from the contract's own types (the slot list:
   * ~600 slots, where the check was ~28 % of the request). Its shape is then the tests' to prove
   * (`parseAnswer` parses every answer they read with the contract schema).
   */
  trustedResponse?: true
  /** How a `creates` route's answer is kept for replays, when it must not be kept as it is. */
  storedAnswer?: {
    seal(caller: Caller, answer: Answer): unknown
    open(caller: Caller, stored: unknown): Answer
  }
}

/**
 * A handler's answer when it hands the work to a job: `202` with the route's `accepted` schema
 * (only on a route whose contract declares one).
 */
export class Accepted<T> {
  constructor(readonly body: T) {}
}

type AcceptedOf<D extends RouteDef> = [NonNullable<D['accepted']>] extends [never]
  ? never
  : NonNullable<D['accepted']> extends z.ZodType
    ? Accepted<z.input<NonNullable<D['accepted']>>>
    : never

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller
    /** Set once a `signsInItself` handler took over checking the session. */
    signInByHandler?: true
  }
  interface FastifyInstance {
    authenticate(req: FastifyRequest): Promise<Caller>
  }
}

/**
 * Registers one contract route: the caller is authenticated first (unless the route is public)
 * and must hold one of `roles` — before the body is even parsed, so a request without a valid
 * token is 401 whatever it carries — then its schemas validate the request and serialise the answer.
 *
 * A route the contract marks `creates` runs its handler in one transaction that first claims the
 * request's `Idempotency-Key` (a retry waits for the first request, then gets its status and body
 * again) and ends by storing the answer with it.
 */
export function handle<D extends RouteDef>(
  app: FastifyInstance,
  def: D,
  options: HandleOptions<z.input<D['response']>>,
  handler: (ctx: HandlerContext<D>) => Promise<z.input<D['response']> | AcceptedOf<D>>,
): void {
  if (def.creates && def.public) throw new Error(`${def.path}: a public route cannot create`)
  const deferred = options.signsInItself === true
  if (deferred && (def.public || options.roles || (def.creates && !options.ownIdempotency))) {
    throw new Error(`${def.path}: a route that signs in itself has no roles and claims its own key`)
  }
  const route = `${def.method} ${def.path}`
  const responses: Record<number, unknown> = { [def.status]: def.response }
  if (def.accepted) responses[202] = def.accepted
  const schema: Record<string, unknown> = { response: responses }
  /** The status and body of a handler's answer. */
  const settle = (result: unknown): { status: number; response: unknown; accepted: boolean } => {
    if (result instanceof Accepted) {
      if (!def.accepted) throw new Error(`${route}: the contract declares no 202 answer`)
      return { status: 202, response: result.body, accepted: true }
    }
    return { status: def.status, response: result, accepted: false }
  }
  if (def.body) schema.body = def.body
  if (def.query) schema.querystring = def.query
  if (def.params) schema.params = def.params
  app.withTypeProvider<ZodTypeProvider>().route({
    method: def.method,
    url: `/api/v1${def.path}`,
    schema,
    config: options.config,
    serializerCompiler: options.trustedResponse
      ? () => (data: unknown) => JSON.stringify(data)
      : undefined,
    onRequest: def.public
      ? undefined
      : deferred
        ? async (req) => {
            bearerTokenHash(req)
          }
        : async (req) => {
            const caller = await app.authenticate(req)
            if (options.roles && !options.roles.some((r) => caller.roles.includes(r))) {
              throw new AppError('FORBIDDEN')
            }
            req.caller = caller
          },
    // An error before the handler took over the sign-in: a request without a live session is 401.
    errorHandler: deferred
      ? async (err: FastifyError, req, reply) => {
          let answer: FastifyError = err
          if (!req.signInByHandler) {
            try {
              await app.authenticate(req)
            } catch (authError) {
              answer = authError as FastifyError
            }
          }
          return app.errorHandler(answer, req, reply)
        }
      : undefined,
    handler: async (req, reply) => {
      const header = req.headers['idempotency-key']
      const sent = typeof header === 'string' && header.length > 0 ? header : undefined
      const ctx: HandlerContext<D> = {
        body: req.body as Parsed<D['body']>,
        query: req.query as Parsed<D['query']>,
        params: req.params as Parsed<D['params']>,
        caller: req.caller as Caller,
        idempotencyKey: sent,
        tokenHash: deferred ? bearerTokenHash(req) : undefined,
        tx: app.db.db,
        req,
        reply,
      }
      if (!def.creates) {
        if (deferred) req.signInByHandler = true
        const result = settle(await handler(ctx))
        reply.code(result.status)
        return result.response
      }
      const key = checkKey(sent, def.idempotency === 'required')
      if (options.ownIdempotency) {
        if (deferred) req.signInByHandler = true
        const result = settle(await handler({ ...ctx, idempotencyKey: key }))
        reply.code(result.status)
        return result.response
      }
      const caller = ctx.caller
      const request = { params: ctx.params ?? null, body: ctx.body ?? null }
      const answer = await app.db.db.transaction(async (tx) => {
        if (key) {
          const prior = await claimKey<unknown>(tx, caller.id, key, route, request)
          if (prior.replayed) {
            const response =
              options.storedAnswer && prior.status === def.status
                ? options.storedAnswer.open(caller, prior.response)
                : prior.response
            return { status: prior.status, response }
          }
        }
        const result = settle(await handler({ ...ctx, idempotencyKey: key, tx }))
        if (key) {
          const stored =
            options.storedAnswer && !result.accepted
              ? options.storedAnswer.seal(caller, result.response as z.input<D['response']>)
              : result.response
          await storeResponse(tx, caller.id, key, result.status, stored)
        }
        return { status: result.status, response: result.response }
      })
      reply.code(answer.status)
      return answer.response
    },
  })
}
