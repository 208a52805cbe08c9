import path from 'node:path'

export interface AppConfig {
  host: string
  port: number
  /** PGlite data directory (ignored when `databaseUrl` is set); `memory://` for tests. */
  dataDir: string
  databaseUrl?: string
  poolSize: number
  /** `POST /auth/dev-login` answers only when this is on (`DEV_LOGIN=1`). */
  devLogin: boolean
  /** HMAC secret for bearer tokens; when absent one is generated once and kept in the database. */
  sessionSecret?: string
  tokenTtlSeconds: number
  wechat: { appId?: string; appSecret?: string; baseUrl: string }
  /** Sign-in attempts per client address per minute. */
  loginRateLimit: number
  /** The built H5 app to serve at `/`; skipped when the folder is missing. */
  staticDir: string
  logger: boolean
  /** How often the expiry job (orders past pickup, points past expiry) runs; 0: not at all. */
  expiryJobIntervalMs: number
}

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const n = Number.parseInt(value, 10)
  if (!Number.isFinite(n)) throw new Error(`环境变量应为整数：${value}`)
  return n
}

/** Reads the server's configuration from the environment (see README "Configuration"). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const root = path.resolve(__dirname, '..')
  return {
    host: env.HOST || '127.0.0.1',
    port: int(env.PORT, 3000),
    dataDir: path.resolve(env.DATA_DIR || path.join(root, 'data')),
    databaseUrl: env.DATABASE_URL || undefined,
    poolSize: int(env.DB_POOL_SIZE, 10),
    devLogin: env.DEV_LOGIN === '1',
    sessionSecret: env.SESSION_SECRET || undefined,
    tokenTtlSeconds: int(env.TOKEN_TTL_HOURS, 24 * 30) * 3600,
    wechat: {
      appId: env.WECHAT_APP_ID || undefined,
      appSecret: env.WECHAT_APP_SECRET || undefined,
      baseUrl: env.WECHAT_API_BASE || 'https://api.weixin.qq.com',
    },
    loginRateLimit: int(env.LOGIN_RATE_LIMIT, 30),
    staticDir: path.resolve(env.STATIC_DIR || path.join(root, 'dist-h5')),
    logger: env.LOG !== '0',
    expiryJobIntervalMs: int(env.EXPIRY_JOB_MINUTES, 60) * 60_000,
  }
}
