import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, errorMessages } from '../lib/errors'

/** What the member reads when a request carries text no route can store. */
export const UNSTORABLE_TEXT_MESSAGE =
  '含有无法保存的字符（如空字符或残缺的表情符号），请删除后重试'

/** A NUL, or a UTF-16 surrogate without its partner (PostgreSQL stores neither). */
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Whether `s` holds a character no text column can store. */
export function hasUnstorableText(s: string): boolean {
  return UNSTORABLE.test(s)
}

/** Deeper than any contract body nests: such input is junk whatever its content. */
const MAX_DEPTH = 32

/**
 * Where in `value` (a parsed body, query or params) the first unstorable string sits, keys
 * included: `''` for the value itself, `'a.b.0'` inside it; `null` when everything is fine.
 */
export function findUnstorableText(value: unknown, depth = 0): string | null {
  if (typeof value === 'string') return hasUnstorableText(value) ? '' : null
  if (value === null || typeof value !== 'object') return null
  // A file upload (the roster import) arrives as bytes: its route checks the text it reads.
  if (value instanceof Uint8Array) return null
  if (depth > MAX_DEPTH) return ''
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value)
  for (const [key, v] of entries) {
    if (hasUnstorableText(key)) return key
    const inner = findUnstorableText(v, depth + 1)
    if (inner !== null) return inner === '' ? key : `${key}.${inner}`
  }
  return null
}

const where = { body: '请求内容', query: '查询参数', params: '路径参数' } as const

/**
 * Rejects input no route can store before any schema sees it: a NUL byte or a lone surrogate in
 * any string (or key) of the body, the query string or the path parameters → 400 `BAD_REQUEST`.
 * Registered by `buildApp` for every route.
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req: FastifyRequest) => {
    for (const part of ['params', 'query', 'body'] as const) {
      const at = findUnstorableText(req[part])
      if (at === null) continue
      // The field's name is echoed without the offending characters themselves.
      const name = at.replace(new RegExp(UNSTORABLE.source, 'g'), '�').slice(0, 60)
      const field = name ? `${where[part]}字段 ${name}：` : `${where[part]}：`
      throw new AppError('BAD_REQUEST', `${field}${UNSTORABLE_TEXT_MESSAGE}`)
    }
  })
}

/**
 * Fastify's `frameworkErrors` option: the router's own rejections, which happen before any hook
 * or the error handler runs, answered in the contract's shape. A path that is not valid UTF-8
 * (e.g. a lone surrogate `%ED%A0%80`) or a path parameter longer than the router accepts is 400
 * `BAD_REQUEST`, not Fastify's bare 400/414. Wire it in `buildApp`: `Fastify({ frameworkErrors })`.
 */
export function frameworkErrors(
  err: FastifyError,
  _req: FastifyRequest,
  reply: FastifyReply,
): void {
  const message =
    err.code === 'FST_ERR_BAD_URL'
      ? '请求地址含有无法识别的字符'
      : err.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? '请求地址中的参数太长'
        : undefined
  if (message) {
    void reply.code(400).send({ error: { code: 'BAD_REQUEST', message } })
    return
  }
  void reply.code(500).send({ error: { code: 'INTERNAL', message: errorMessages.INTERNAL } })
}
