import type { FastifyError, FastifyInstance } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { errorCodes, errorStatus, type ErrorCode } from '../../src/contract/errors'
import { AppError, errorMessages } from '../lib/errors'
import { errorForLog } from './logging'

interface ValidationIssue {
  keyword?: string
  instancePath?: string
  message?: string
  /** The zod issue's other fields: `keys` of unrecognized_keys, `params` of a custom one. */
  params?: { keys?: string[]; params?: { code?: unknown } }
}

/**
 * The stable code a contract refinement gave its issue (`params: { code }`, e.g. RANGE_TOO_LONG),
 * if it is one the contract knows and answers with 400 like every validation problem.
 */
function refinementCode(err: FastifyError): ErrorCode | undefined {
  const issue = err.validation?.[0] as ValidationIssue | undefined
  const code = issue?.keyword === 'custom' ? issue.params?.params?.code : undefined
  return typeof code === 'string' &&
    (errorCodes as string[]).includes(code) &&
    errorStatus(code as ErrorCode) === 400
    ? (code as ErrorCode)
    : undefined
}

const where = { body: '请求内容', querystring: '查询参数', params: '路径参数', headers: '请求头' }

/** A Chinese sentence for the first problem zod found in a request. */
function validationMessage(err: FastifyError): string {
  const ctx = (err as { validationContext?: keyof typeof where }).validationContext
  const issue = err.validation?.[0] as ValidationIssue | undefined
  if (!issue) return errorMessages.BAD_REQUEST
  if (issue.keyword === 'unrecognized_keys' && issue.params?.keys?.length) {
    return `${where[ctx ?? 'body']}中有不认识的字段：${issue.params.keys.join('、')}`
  }
  const path = issue.instancePath && issue.instancePath !== '/' ? issue.instancePath.slice(1) : ''
  const field = path ? `${where[ctx ?? 'body']}字段 ${path.replace(/\//g, '.')}：` : ''
  return `${field}${issue.message ?? errorMessages.BAD_REQUEST}`
}

/**
 * One error handler: domain errors become the contract's `{error:{code,message}}`; validation
 * problems are 400 `BAD_REQUEST`; anything unexpected is logged and hidden behind 500 `INTERNAL`.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      return reply.code(err.status).send({ error: { code: err.code, message: err.message } })
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      // A refinement's own code speaks for itself: its message without the field's name.
      const code = refinementCode(err)
      const message = code ? (err.validation[0].message ?? errorMessages[code]) : undefined
      return reply.code(400).send({
        error: code ? { code, message } : { code: 'BAD_REQUEST', message: validationMessage(err) },
      })
    }
    if (err.statusCode === 429) {
      return reply
        .code(429)
        .send({ error: { code: 'RATE_LIMITED', message: errorMessages.RATE_LIMITED } })
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      const message =
        err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? '请求格式不支持，请以 JSON 发送'
          : err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
            ? '请求内容太大'
            : '请求格式不正确'
      return reply.code(400).send({ error: { code: 'BAD_REQUEST', message } })
    }
    // Never the message of a database error: it holds the SQL parameters (descriptions, phones).
    req.log.error({ error: errorForLog(err) }, 'unhandled error')
    return reply.code(500).send({ error: { code: 'INTERNAL', message: errorMessages.INTERNAL } })
  })

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({
      error: {
        code: 'NOT_FOUND',
        message: `没有这个接口：${req.method} ${req.url.split('?')[0]}`,
      },
    })
  })
}
