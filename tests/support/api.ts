import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import type { RouteDef, RouteInput, RouteOutput } from '../../src/contract/routes'
import { errorBody, type ErrorCode } from '../../src/contract/errors'
import type { HttpAnswer } from './http'
import type { TestServer } from './server'

/** Who calls and with which extra headers; `idempotencyKey: null` sends none. */
export interface CallOptions {
  token?: string
  headers?: Record<string, string>
  /**
   * For a `creates` route a fresh key is sent unless one is given here (as the app does);
   * `null` sends none (to test a route that requires one).
   */
  idempotencyKey?: string | null
}

/** A route's declared input (typed from its schemas) plus the call options. */
export type CallInput<D extends RouteDef> = RouteInput<D> & CallOptions

/** Whatever a test may send on purpose, valid or not: for error cases through `callRaw`. */
export interface RawInput extends CallOptions {
  params?: Record<string, string | number>
  query?: Record<string, string | number | boolean | undefined>
  body?: unknown
}

type CallArgs<D extends RouteDef> =
  Record<string, never> extends RouteInput<D> ? [input?: CallInput<D>] : [input: CallInput<D>]

/** A fresh idempotency key. */
export const newKey = (): string => `test-${crypto.randomBytes(8).toString('hex')}`

/** The URL of a route under `/api/v1`, with its `:params` filled in and its query appended. */
export function urlOf(
  def: Pick<RouteDef, 'path'>,
  params?: Record<string, unknown>,
  query?: Record<string, unknown>,
): string {
  const path = def.path.replace(/:([A-Za-z_]\w*)/g, (_, name: string) => {
    const value = params?.[name]
    if (value === undefined || value === null) throw new Error(`missing path parameter ${name}`)
    return encodeURIComponent(String(value))
  })
  const parts = Object.entries(query ?? {})
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
  return `/api/v1${path}${parts.length ? `?${parts.join('&')}` : ''}`
}

export interface ApiClient {
  /**
   * Calls a route and returns its answer parsed with the route's response schema. Fails the test
   * (with the body) when the status is not the route's success status or the answer does not parse.
   */
  call<D extends RouteDef>(def: D, ...args: CallArgs<D>): Promise<RouteOutput<D>>
  /** Calls a route and returns the raw answer, for error cases (see `expectError`). */
  callRaw(def: RouteDef, input?: RawInput): Promise<LightMyRequestResponse>
}

/** The typed test client of a test server: requests go through `inject`, built from the routes. */
export function api(s: TestServer): ApiClient {
  function callRaw(def: RouteDef, input: RawInput = {}): Promise<LightMyRequestResponse> {
    const { params, query, body, token, headers, idempotencyKey } = input
    const key = idempotencyKey === undefined && def.creates ? newKey() : idempotencyKey
    return s.request({
      method: def.method,
      url: urlOf(def, params, query),
      token,
      body,
      headers: { ...(key ? { 'idempotency-key': key } : {}), ...headers },
    })
  }
  return {
    async call<D extends RouteDef>(def: D, ...args: CallArgs<D>): Promise<RouteOutput<D>> {
      return parseAnswer(def, await callRaw(def, (args[0] ?? {}) as RawInput))
    },
    callRaw,
  }
}

/**
 * A raw answer of `def` read as a success: fails the test (with the body) when the status is not
 * the route's success status or the body does not match the route's response schema.
 */
export function parseAnswer<D extends RouteDef>(def: D, res: AnyAnswer): RouteOutput<D> {
  const what = `${def.method} ${def.path}`
  assert.equal(statusOf(res), def.status, `${what}: ${statusOf(res)} ${res.body}`)
  const parsed = def.response.safeParse(JSON.parse(res.body))
  if (!parsed.success) {
    assert.fail(
      `${what}: the answer does not match its schema: ${parsed.error.message}\n${res.body}`,
    )
  }
  return parsed.data as RouteOutput<D>
}

const statusOf = (res: AnyAnswer) => ('statusCode' in res ? res.statusCode : res.status)

type AnyAnswer = Pick<LightMyRequestResponse, 'statusCode' | 'body'> | HttpAnswer

/**
 * Asserts an error answer of the contract's shape: this status, this code and a Chinese message.
 * Returns the message.
 */
export function expectError(res: AnyAnswer, status: number, code: ErrorCode): string {
  assert.equal(statusOf(res), status, res.body)
  const parsed = errorBody.safeParse(JSON.parse(res.body))
  if (!parsed.success) assert.fail(`not an error answer: ${res.body}`)
  const { error } = parsed.data
  assert.equal(error.code, code, res.body)
  assert.match(error.message, /[\u4e00-\u9fa5]/, `a Chinese message: ${error.message}`)
  return error.message
}
