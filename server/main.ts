import type { FastifyInstance } from 'fastify'
import { configFromEnv, UnsafeConfigError } from './config'
import { DataDirLockedError } from './db/lock'
import { startServer } from './start'

/** Demo data: on by default in development (`SEED=0` skips it); in production only with `SEED=1`. */
export function shouldSeed(env: NodeJS.ProcessEnv, production: boolean): boolean {
  return production ? env.SEED === '1' : env.SEED !== '0'
}

/** What `server/cluster.ts` adds to a worker: a label for its lines, a hook before it listens. */
export interface MainOptions {
  label?: string
  beforeListen?(app: FastifyInstance, production: boolean): void
}

/** Starts one server process from the environment; SIGINT/SIGTERM close it and exit 0. */
export async function main(opts: MainOptions = {}) {
  const config = configFromEnv()
  const seed = shouldSeed(process.env, config.production)
  if (config.devLogin) {
    console.log(
      '⚠ 演示模式：会员号登录已开启（DEV_LOGIN=1），任何人输入会员号即可登录。只在本机使用，切勿对外提供服务。',
    )
  }
  let started
  try {
    started = await startServer(config, { seed })
  } catch (err) {
    if (err instanceof DataDirLockedError || err instanceof UnsafeConfigError) {
      console.error(`\n无法启动：${err.message}\n`)
      process.exit(1)
    }
    throw err
  }
  const { app } = started
  opts.beforeListen?.(app, config.production)
  await app.listen({ host: config.host, port: config.port })
  const engine = started.database.engine === 'pglite' ? `PGlite (${config.dataDir})` : 'PostgreSQL'
  const mode = config.production ? '生产' : config.devLogin ? '演示' : '开发'
  console.log(
    `${opts.label ?? ''}工会服务站 http://${config.host}:${config.port}  模式：${mode}  数据库：${engine}  演示数据：${seed ? '有' : '无'}`,
  )
  let closing = false
  const shutdown = async () => {
    if (closing) return
    closing = true
    await started.close()
    process.exit(0)
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err)
    process.exit(1)
  })
}
