/**
 * The server process of `npm run bench:scale`: the real server (demo data, no background timers)
 * on `DATABASE_URL`, listening on a free loopback port, in its own process so that the benchmark's
 * clients never share its event loop. Talks to its parent over IPC: sends `{ port }` once
 * listening; answers `{ run: 'expiry' | 'close-due-campaigns', id }` with `{ id, ms, result }` by
 * running that job's internal function here — the fallback when the admin job routes are missing;
 * `{ stop: true }` closes it.
 */
import type { AddressInfo } from 'node:net'
import { configFromEnv } from '../server/config'
import { runExpiryJobs } from '../server/jobs'
import { closeDueCampaigns } from '../server/modules/cooling/campaigns'
import { startServer } from '../server/start'

type Request = { run: 'expiry' | 'close-due-campaigns'; id: number } | { stop: true }

async function main() {
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl || !process.send) throw new Error('run by scripts/bench-scale.ts only')
  const started = await startServer({
    ...configFromEnv({}),
    databaseUrl,
    devLogin: false,
    logger: false,
    staticDir: '/nonexistent',
    expiryJobIntervalMs: 0,
    dataKey: Buffer.alloc(32, 7).toString('base64'),
  })
  await started.app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = started.app.server.address() as AddressInfo
  const send = (msg: object) => process.send?.(msg)
  process.on('message', (msg: Request) => {
    if ('stop' in msg) {
      void started.close().then(() => process.exit(0))
      return
    }
    const t0 = performance.now()
    const db = started.database.db
    const job =
      msg.run === 'expiry'
        ? runExpiryJobs(db, new Date())
        : closeDueCampaigns(db, new Date()).then((campaigns) => ({ campaigns }))
    job.then(
      (result) => send({ id: msg.id, ms: performance.now() - t0, result }),
      (err: unknown) => send({ id: msg.id, error: String(err) }),
    )
  })
  send({ port })
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
