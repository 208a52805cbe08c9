import fs from 'node:fs'
import zlib from 'node:zlib'
import Fastify, { type FastifyInstance } from 'fastify'
import compress from '@fastify/compress'
import rateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import { sql } from 'drizzle-orm'
import { z } from 'zod'
import type { AppConfig } from './config'
import type { Database } from './db/client'
import { createSealer, type Sealer } from './lib/crypto'
import { registerAuth } from './plugins/auth'
import { registerErrorHandling } from './plugins/errors'
import { frameworkErrors, registerInputGuard } from './plugins/input-guard'
import { loggerOptions } from './plugins/logging'
import { authRoutes } from './modules/auth/routes'
import { orgRoutes } from './modules/org/routes'
import { memberImportRoutes } from './modules/org/imports'
import { pointsRoutes } from './modules/points/routes'
import { mallRoutes } from './modules/mall/routes'
import { coolingRoutes } from './modules/cooling/routes'
import { eventRoutes } from './modules/events/routes'
import { legalRoutes } from './modules/legal/routes'
import { adminJobsRoutes } from './modules/admin/routes'
import { notificationRoutes, registerNotifier } from './modules/notifications/routes'
import { onBehalfRoutes } from './modules/on-behalf/routes'
import { meRoutes } from './modules/me/routes'
import { auditRoutes } from './modules/audit/routes'
import { statsRoutes } from './modules/stats/routes'
import { registerJobQueue, scheduleJobs, serverJobs } from './jobs'

z.config(z.locales.zhCN())

/** `TRUST_PROXY=n`: trust the n proxies nearest to us (proxy-addr's hop index). */
const hops = (n: number) => (_address: string, hop: number) => hop < n

declare module 'fastify' {
  interface FastifyInstance {
    db: Database
    config: AppConfig
    /** Encrypts confidential text at rest (legal descriptions, lawyers' notes). */
    sealer: Sealer
  }
}

/**
 * Builds the server on an opened, migrated database: external plugins, then the app's own
 * (errors, auth), then one route module per feature, then the H5 app as static files.
 */
export async function buildApp(
  config: AppConfig,
  database: Database,
  dataKey: Buffer,
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config),
    // Off by default: a client could otherwise pick its own address with X-Forwarded-For.
    trustProxy: typeof config.trustProxy === 'number' ? hops(config.trustProxy) : config.trustProxy,
    bodyLimit: 256 * 1024,
    // The router's own rejections (bad URL encoding, overlong parameters) in the contract's shape.
    frameworkErrors,
  })
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)

  // Workers are often on weak mobile networks: compress what is worth it.
  await app.register(compress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } },
  })
  await app.register(rateLimit, { global: false })

  app.decorate('db', database)
  app.decorate('config', config)
  app.decorate(
    'sealer',
    // A value that does not open is tampered with or copied from another row: say where, never what.
    createSealer(dataKey, (context) =>
      app.log.error({ context }, 'sealed value does not open (tampered or misplaced)'),
    ),
  )
  registerErrorHandling(app)
  registerInputGuard(app)
  registerAuth(app)
  registerJobQueue(app, config.expiryJobIntervalMs > 0 ? 5_000 : 0)
  registerNotifier(app)

  app.get('/api/health', async () => {
    await database.db.execute(sql`SELECT 1`)
    return { ok: true as const }
  })

  await app.register(authRoutes, { config })
  await app.register(orgRoutes)
  await app.register(memberImportRoutes)
  await app.register(pointsRoutes)
  await app.register(mallRoutes)
  await app.register(coolingRoutes)
  await app.register(eventRoutes)
  await app.register(legalRoutes)
  await app.register(adminJobsRoutes)
  await app.register(notificationRoutes)
  await app.register(onBehalfRoutes)
  await app.register(meRoutes)
  await app.register(auditRoutes)
  await app.register(statsRoutes)
  scheduleJobs(app, serverJobs(config.expiryJobIntervalMs))

  if (fs.existsSync(config.staticDir)) {
    await app.register(fastifyStatic, {
      root: config.staticDir,
      prefix: '/',
      setHeaders: (res, filePath) => {
        res.setHeader(
          'Cache-Control',
          filePath.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
        )
      },
    })
  }
  return app
}
