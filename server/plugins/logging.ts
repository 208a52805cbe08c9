import type { FastifyRequest, FastifyServerOptions } from 'fastify'

/** What the logger needs from the configuration. */
export interface LoggingConfig {
  logger: boolean
  /** Where log lines go instead of standard output (tests capture them). */
  logStream?: NodeJS.WritableStream
}

/** The path of a request without its query string (which may carry phone numbers or names). */
export function pathOf(url: unknown): string {
  return String(url ?? '').split(/[?#]/)[0]
}

const SQLSTATE = /^[0-9A-Z]{5}$/

/**
 * Whether an error comes from the database: drizzle's `DrizzleQueryError` (its message is the SQL
 * with its parameters), a pg or PGlite error (its `detail` holds key values), or one caused by such.
 */
export function isDatabaseError(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false
  const e = err as Record<string, unknown>
  if (e.constructor?.name === 'DrizzleQueryError') return true
  if ('params' in e || 'query' in e || 'severity' in e || 'routine' in e) return true
  if (typeof e.code === 'string' && SQLSTATE.test(e.code) && ('detail' in e || 'table' in e)) {
    return true
  }
  return isDatabaseError(e.cause, depth + 1)
}

/** The stack's frames only: its first lines repeat the message, which may hold SQL parameters. */
function framesOf(e: { stack?: unknown }): string {
  if (typeof e.stack !== 'string') return ''
  return e.stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n')
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined)

function typeOf(e: Record<string, unknown>): string {
  const ctor = e.constructor?.name
  const name = text(e.name)
  return ctor && ctor !== 'Object' && (!name || name === 'Error' || name === 'error')
    ? ctor
    : (name ?? 'Error')
}

/** An error as it appears in a log line. */
export interface LoggedError {
  type: string
  message: string
  stack: string
  [key: string]: unknown
}

/** The message logged in place of a database error's own. */
export const WITHHELD = '(database error: message withheld)'

/**
 * An error as it may appear in a log line. Database errors keep only their type, SQLSTATE code,
 * constraint, table, routine and stack frames — never the message, detail, query or parameters,
 * which carry descriptions and phone numbers. Other errors keep their message too.
 */
export function errorForLog(err: unknown, depth = 0): LoggedError {
  if (!err || typeof err !== 'object') return { type: typeof err, message: '', stack: '' }
  const e = err as Record<string, unknown>
  const cause = depth < 4 && e.cause !== undefined ? errorForLog(e.cause, depth + 1) : undefined
  if (isDatabaseError(err)) {
    return {
      type: typeOf(e),
      message: WITHHELD,
      code: text(e.code),
      constraint: text(e.constraint),
      table: text(e.table),
      routine: text(e.routine),
      stack: framesOf(e),
      cause,
    }
  }
  return {
    type: typeOf(e),
    message: text(e.message) ?? '',
    code: text(e.code),
    statusCode: typeof e.statusCode === 'number' ? e.statusCode : undefined,
    stack: framesOf(e),
    cause,
  }
}

/**
 * The request logger's options: method, path (no query string), status and response time only —
 * no bodies, query strings, headers, phone numbers or descriptions ever reach a log line, and
 * errors pass through `errorForLog`.
 */
export function loggerOptions(config: LoggingConfig): FastifyServerOptions['logger'] {
  if (!config.logger) return false
  return {
    level: 'info',
    ...(config.logStream ? { stream: config.logStream } : {}),
    serializers: {
      req: (req: FastifyRequest) => ({ method: req.method, path: pathOf(req.url) }),
      res: (reply: { statusCode: number; request?: { method: string; url: string } }) => ({
        method: reply.request?.method,
        path: pathOf(reply.request?.url),
        statusCode: reply.statusCode,
      }),
      err: (err: unknown) => errorForLog(err),
    },
  }
}
