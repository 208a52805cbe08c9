import type { FastifyError, FastifyInstance } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { AppError, errorMessages } from '../lib/errors'
import { errorForLog } from './logging'

interface ValidationIssue {
  keyword?: string
  instancePath?: string
  message?: string
  params?: { keys?: string[] }
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
      return reply
        .code(400)
        .send({ error: { code: 'BAD_REQUEST', message: validationMessage(err) } })
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
