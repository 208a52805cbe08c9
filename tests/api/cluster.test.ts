/**
 * `npm run start:cluster` (server/cluster.ts) as a real child process: two workers on one fresh
 * PostgreSQL database behind one port, a worker killed and started again, SIGTERM ending all with
 * exit code 0. Without `DATABASE_URL` only the PGlite refusal runs.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ClusterConfigError, workerCount } from '../../server/cluster'
import { freePort, httpClient, serverEnv, spawnServer } from '../support/processes'
import { freshPostgresDatabase } from '../support/server'

const onPostgres = Boolean(process.env.DATABASE_URL)

/**
 * The worker pids seen in `X-Worker` over `n` health checks, each on a new connection. With
 * `tolerant`, a request that fails (a connection handed to a worker as it was killed: node:cluster
 * neither answers nor closes it, hence the timeout) counts for no worker.
 */
async function workersSeen(port: number, n: number, tolerant = false): Promise<Set<string>> {
  const client = httpClient(port, { keepAlive: false, timeoutMs: tolerant ? 5_000 : 60_000 })
  const seen = new Set<string>()
  for (let i = 0; i < n; i++) {
    try {
      const res = await client.request({ method: 'GET', path: '/api/health' })
      assert.equal(res.status, 200, res.body)
      seen.add(String(res.headers['x-worker']))
    } catch (err) {
      if (!tolerant) throw err
    }
  }
  return seen
}

describe('cluster: WORKERS', () => {
  test('PGlite runs one worker; WORKERS above 1 without DATABASE_URL is refused in Chinese', () => {
    assert.equal(workerCount({}, undefined, 8), 1)
    assert.equal(workerCount({ WORKERS: '1' }, undefined, 8), 1)
    assert.throws(
      () => workerCount({ WORKERS: '2' }, undefined, 8),
      (err: Error) =>
        err instanceof ClusterConfigError && /PostgreSQL.*DATABASE_URL/.test(err.message),
    )
    assert.equal(workerCount({}, 'postgres://x/y', 8), 8)
    assert.equal(workerCount({ WORKERS: '3' }, 'postgres://x/y', 8), 3)
    for (const bad of ['0', '-1', '1.5', 'two', '65']) {
      assert.throws(() => workerCount({ WORKERS: bad }, 'postgres://x/y', 8), ClusterConfigError)
    }
  })

  test('the cluster script itself refuses WORKERS=2 on PGlite and exits 1', async () => {
    const port = await freePort()
    const cluster = spawnServer(
      'server/cluster.ts',
      port,
      serverEnv(port, { WORKERS: '2', DATA_DIR: '/nonexistent/never-created' }),
    )
    const { code } = await cluster.exited
    assert.equal(code, 1, cluster.output())
    assert.match(cluster.output(), /无法启动：WORKERS=2 需要 PostgreSQL/)
  })

  test('a first worker that cannot start ends the cluster with exit code 1', async () => {
    const port = await freePort()
    const cluster = spawnServer(
      'server/cluster.ts',
      port,
      // Nothing listens on port 1: the first worker cannot open its database.
      serverEnv(port, { WORKERS: '2', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' }),
    )
    const { code } = await cluster.exited
    assert.equal(code, 1, cluster.output())
    assert.match(cluster.output(), /无法启动：第一个工作进程启动失败/)
    // One worker tried (each prints the dev sign-in warning first); none listened.
    assert.equal((cluster.output().match(/演示模式/g) ?? []).length, 1, cluster.output())
    assert.equal((cluster.output().match(/工会服务站 http/g) ?? []).length, 0)
  })
})

describe('cluster on PostgreSQL', { skip: !onPostgres && 'DATABASE_URL is not set' }, () => {
  test('two workers share one port; a killed worker comes back; SIGTERM exits 0', async (t) => {
    const fresh = await freshPostgresDatabase()
    const port = await freePort()
    const cluster = spawnServer(
      'server/cluster.ts',
      port,
      serverEnv(port, { DATABASE_URL: fresh.url, WORKERS: '2' }),
    )
    try {
      await cluster.ready()
      // The second worker starts once the first listens: wait until both answer.
      let seen = new Set<string>()
      for (let round = 0; round < 200 && seen.size < 2; round++) {
        seen = await workersSeen(port, 10)
        if (seen.size < 2) await new Promise((r) => setTimeout(r, 100))
      }
      assert.equal(seen.size, 2, `worker pids seen: ${[...seen].join(', ')}\n${cluster.output()}`)
      const pids = [...seen].map(Number)
      assert.ok(!pids.includes(cluster.pid), 'workers are not the primary')
      t.diagnostic(`primary ${cluster.pid}, workers ${pids.join(', ')}`)

      // One worker dies: the other keeps answering and the primary starts a new one.
      process.kill(pids[0], 'SIGKILL')
      let now = new Set<string>()
      for (let round = 0; round < 300; round++) {
        now = await workersSeen(port, 6, true)
        if (now.size === 2 && !now.has(String(pids[0]))) break
        await new Promise((r) => setTimeout(r, 100))
      }
      assert.equal(now.size, 2, cluster.output())
      assert.ok(now.has(String(pids[1])), 'the surviving worker still serves')
      assert.ok(!now.has(String(pids[0])), 'the killed worker is replaced')
      assert.match(cluster.output(), new RegExp(`工作进程 ${pids[0]} 意外退出（信号 SIGKILL）`))

      const { code, signal } = await cluster.stop('SIGTERM')
      assert.deepEqual({ code, signal }, { code: 0, signal: null }, cluster.output())
      assert.match(cluster.output(), /全部工作进程已退出/)
    } finally {
      await cluster.stop('SIGKILL')
      await fresh.drop()
    }
  })
})
