import path from 'node:path'
import { templateKeys, type TemplateKey } from '../src/contract/notifications'

/** `TRUST_PROXY`: off, a hop count, or a list of proxy addresses / CIDRs (Fastify's `trustProxy`). */
export type TrustProxy = false | number | string[]

export interface AppConfig {
  host: string
  port: number
  /** `NODE_ENV=production`: no demo data unless asked, no dev sign-in, a data key required. */
  production: boolean
  /** PGlite data directory (ignored when `databaseUrl` is set); `memory://` for tests. */
  dataDir: string
  databaseUrl?: string
  poolSize: number
  /** `POST /auth/dev-login` answers only when this is on (`DEV_LOGIN=1`): the demo and tests. */
  devLogin: boolean
  /** Lifetime of a mini-program session. */
  tokenTtlSeconds: number
  /** Lifetime of a web (H5) session signed in by scanning a QR code. */
  webSessionTtlSeconds: number
  wechat: { appId?: string; appSecret?: string; baseUrl: string }
  /** Sign-in requests per client address per minute: a flood guard only (secrets are limited per target). */
  loginRateLimit: number
  /** Whether `X-Forwarded-For` counts, and from which proxies. */
  trustProxy: TrustProxy
  /**
   * The key that encrypts confidential text at rest (base64 or hex of 32 bytes). Without it the
   * demo generates one into the data directory; production refuses to start.
   */
  dataKey?: string
  /** The built H5 app to serve at `/`; skipped when the folder is missing. */
  staticDir: string
  logger: boolean
  /** Where log lines go instead of standard output (tests capture them with it). */
  logStream?: NodeJS.WritableStream
  /** How often the expiry job (orders past pickup, points past expiry) runs; 0: not at all. */
  expiryJobIntervalMs: number
  /**
   * A points grant to more members than this runs as a durable job (`202`, in batches) instead of
   * one transaction (`201`).
   */
  grantJobThreshold: number
  /**
   * After each batch a durable job rests this share of the time the batch took
   * (`JOB_YIELD_PERCENT`, default 50): on a small machine the members' requests keep the cores
   * while a 300k grant or expiry runs. 0: batches back to back.
   */
  jobYieldPercent: number
  /** Subscribe messages (订阅消息): see `server/modules/notifications`. */
  notifications: NotificationsConfig
}

/** Subscribe messages: the WeChat template ids and how often the sender and reminders run. */
export interface NotificationsConfig {
  /** `WECHAT_TEMPLATE_<KEY>`; outside production a placeholder (`demo-<key>`) stands in. */
  templates: Partial<Record<TemplateKey, string>>
  /** `miniprogram_state` of every message: `formal`, `trial` or `developer`. */
  miniprogramState: 'formal' | 'trial' | 'developer'
  /** How often due messages are sent and reminders written (`NOTIFY_SECONDS`); 0: never by itself. */
  intervalMs: number
}

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const n = Number.parseInt(value, 10)
  if (!Number.isFinite(n)) throw new Error(`环境变量应为整数：${value}`)
  return n
}

/** `TRUST_PROXY`: empty/`0`/`false` → off; a number → that many hops; otherwise a comma list. */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = (value ?? '').trim()
  if (v === '' || v === '0' || v.toLowerCase() === 'false') return false
  if (/^\d+$/.test(v)) return Number(v)
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

/** `WECHAT_MINIPROGRAM_STATE`: `formal` unless `trial` or `developer`. */
function miniprogramState(value: string | undefined): NotificationsConfig['miniprogramState'] {
  return value === 'trial' || value === 'developer' ? value : 'formal'
}

/** Reads the server's configuration from the environment (see README "Configuration"). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const root = path.resolve(__dirname, '..')
  const production = env.NODE_ENV === 'production'
  return {
    host: env.HOST || '127.0.0.1',
    port: int(env.PORT, 3000),
    production,
    dataDir: path.resolve(env.DATA_DIR || path.join(root, 'data')),
    databaseUrl: env.DATABASE_URL || undefined,
    poolSize: int(env.DB_POOL_SIZE, 10),
    devLogin: env.DEV_LOGIN === '1',
    tokenTtlSeconds: int(env.TOKEN_TTL_HOURS, 24 * 30) * 3600,
    webSessionTtlSeconds: int(env.WEB_SESSION_HOURS, 12) * 3600,
    wechat: {
      appId: env.WECHAT_APP_ID || undefined,
      appSecret: env.WECHAT_APP_SECRET || undefined,
      baseUrl: env.WECHAT_API_BASE || 'https://api.weixin.qq.com',
    },
    loginRateLimit: int(env.LOGIN_RATE_LIMIT, 600),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    dataKey: env.DATA_KEY || undefined,
    staticDir: path.resolve(env.STATIC_DIR || path.join(root, 'dist-h5')),
    logger: env.LOG !== '0',
    expiryJobIntervalMs: int(env.EXPIRY_JOB_MINUTES, 60) * 60_000,
    grantJobThreshold: int(env.GRANT_JOB_THRESHOLD, 2000),
    jobYieldPercent: Math.min(1000, Math.max(0, int(env.JOB_YIELD_PERCENT, 50))),
    notifications: {
      templates: Object.fromEntries(
        templateKeys.flatMap((k) => {
          const id = env[`WECHAT_TEMPLATE_${k.toUpperCase()}`] || (production ? '' : `demo-${k}`)
          return id ? [[k, id]] : []
        }),
      ),
      miniprogramState: miniprogramState(env.WECHAT_MINIPROGRAM_STATE),
      intervalMs: int(env.NOTIFY_SECONDS, 60) * 1000,
    },
  }
}

/** Thrown when the configuration is unsafe to start with; the message is for the operator. */
export class UnsafeConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UnsafeConfigError'
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '[::1]'])

/** Whether `host` only listens on this machine. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host)
}

/**
 * Refuses configurations that would give the product away: dev sign-in (anyone becomes anyone)
 * in production or reachable from the network, and production without its data key.
 */
export function assertSafeConfig(config: AppConfig): void {
  if (config.devLogin && config.production) {
    throw new UnsafeConfigError(
      'DEV_LOGIN=1 不能用于生产环境（NODE_ENV=production）：会员号登录任何人都能冒充任何人。请去掉 DEV_LOGIN。',
    )
  }
  if (config.devLogin && !isLoopback(config.host)) {
    throw new UnsafeConfigError(
      `DEV_LOGIN=1 只允许在本机地址上运行（HOST=${config.host} 可从网络访问）：会员号登录任何人都能冒充任何人。` +
        '请设 HOST=127.0.0.1，或去掉 DEV_LOGIN。',
    )
  }
  if (config.production && !config.dataKey) {
    throw new UnsafeConfigError(
      '生产环境需要 DATA_KEY（32 字节密钥的 base64 或 hex，用于加密法律咨询描述等保密内容）。' +
        "可用 `node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"` 生成，并妥善保管。",
    )
  }
}
