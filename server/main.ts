import { configFromEnv } from './config'
import { DataDirLockedError } from './db/lock'
import { startServer } from './start'

async function main() {
  const config = configFromEnv()
  let started
  try {
    started = await startServer(config, { seed: process.env.SEED !== '0' })
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      console.error(`\n无法启动：${err.message}\n`)
      process.exit(1)
    }
    throw err
  }
  const { app } = started
  await app.listen({ host: config.host, port: config.port })
  const engine = started.database.engine === 'pglite' ? `PGlite (${config.dataDir})` : 'PostgreSQL'
  console.log(`工会服务站 http://${config.host}:${config.port}  数据库：${engine}`)
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

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
