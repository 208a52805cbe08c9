import type { FastifyInstance } from 'fastify'
import { buildApp } from './app'
import { assertSafeConfig, type AppConfig } from './config'
import { openDatabase, type Database } from './db/client'
import { runMigrations } from './db/migrate'
import { seedDemoData } from './db/seed'
import { loadDataKey } from './lib/data-key'

export interface Started {
  app: FastifyInstance
  database: Database
  close(): Promise<void>
}

/** Opens the database, migrates it, seeds the demo data (unless `seed` is false), builds the app. */
export async function startServer(
  config: AppConfig,
  opts: { seed?: boolean } = {},
): Promise<Started> {
  assertSafeConfig(config)
  const dataKey = loadDataKey(config)
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.poolSize,
  })
  try {
    await runMigrations(database)
    if (opts.seed !== false) await seedDemoData(database.db)
    const app = await buildApp(config, database, dataKey)
    await app.ready()
    return {
      app,
      database,
      async close() {
        await app.close()
        await database.close()
      },
    }
  } catch (err) {
    await database.close()
    throw err
  }
}
