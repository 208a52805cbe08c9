import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { z } from 'zod'
import type { Role } from '../../src/contract/auth'
import type { RouteDef } from '../../src/contract/routes'
import { AppError } from './errors'

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
  /** The request's `Idempotency-Key` header, if sent. */
  idempotencyKey?: string
  req: FastifyRequest
  reply: FastifyReply
}

export interface HandleOptions {
  /** Any of these roles may call the route (default: any signed-in member). */
  roles?: Role[]
  /** Extra Fastify route config (e.g. rate limits). */
  config?: Record<string, unknown>
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller
  }
  interface FastifyInstance {
    authenticate(req: FastifyRequest): Promise<Caller>
  }
}

/**
 * Registers one contract route: the caller is authenticated first (unless the route is public)
 * and must hold one of `roles` — before the body is even parsed, so a request without a valid
 * token is 401 whatever it carries — then its schemas validate the request and serialise the answer.
 */
export function handle<D extends RouteDef>(
  app: FastifyInstance,
  def: D,
  options: HandleOptions,
  handler: (ctx: HandlerContext<D>) => Promise<z.input<D['response']>>,
): void {
  const schema: Record<string, unknown> = { response: { [def.status]: def.response } }
  if (def.body) schema.body = def.body
  if (def.query) schema.querystring = def.query
  if (def.params) schema.params = def.params
  app.withTypeProvider<ZodTypeProvider>().route({
    method: def.method,
    url: `/api/v1${def.path}`,
    schema,
    config: options.config,
    onRequest: def.public
      ? undefined
      : async (req) => {
          const caller = await app.authenticate(req)
          if (options.roles && !options.roles.some((r) => caller.roles.includes(r))) {
            throw new AppError('FORBIDDEN', 403)
          }
          req.caller = caller
        },
    handler: async (req, reply) => {
      const key = req.headers['idempotency-key']
      const result = await handler({
        body: req.body as Parsed<D['body']>,
        query: req.query as Parsed<D['query']>,
        params: req.params as Parsed<D['params']>,
        caller: req.caller as Caller,
        idempotencyKey: typeof key === 'string' && key.length > 0 ? key : undefined,
        req,
        reply,
      })
      reply.code(def.status)
      return result
    },
  })
}
