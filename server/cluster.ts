/**
 * `npm run start:cluster`: several server processes on one PostgreSQL behind one port
 * (node:cluster shares the listening socket). `WORKERS=N` sets how many (default: the machine's
 * `os.availableParallelism()`); every worker is the normal server (`server/main.ts`) with the same
 * configuration, so the production rules apply to each.
 *
 * - The first worker starts alone: it migrates and seeds (both also under PostgreSQL advisory
 *   locks, so even two at once would not race); the others start once it listens.
 * - A worker that dies is started again, after 1 s, doubling up to 30 s while it keeps dying
 *   young. One that exits 0 stopped on purpose and is left stopped.
 * - SIGTERM / SIGINT reach every worker, which finishes its requests and its current job batch;
 *   the primary exits 0 once all are gone (1 when one of them failed or had to be killed).
 * - PGlite: a data directory opens in one process only, so without `DATABASE_URL` the cluster runs
 *   one worker, and `WORKERS` above 1 is refused with a message.
 * - Outside production each answer carries `X-Worker: <pid>` (which process served it).
 */
import cluster, { type Worker } from 'node:cluster'
import os from 'node:os'
import { assertSafeConfig, configFromEnv, UnsafeConfigError } from './config'
import { main } from './main'

/** Thrown when `WORKERS` cannot be honoured; the message is for the operator. */
export class ClusterConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ClusterConfigError'
  }
}

/** Most workers one primary runs (far more than a machine has cores for). */
export const MAX_WORKERS = 64
const FIRST_RESTART_MS = 1_000
const MAX_RESTART_MS = 30_000
/** A worker that lived this long died of something new: its restart delay starts over. */
const HEALTHY_MS = 60_000
/** How long workers get to finish their requests at shutdown before they are killed. */
const SHUTDOWN_MS = 30_000

/** How many workers to run: `WORKERS`, else one per core; one on PGlite (see the file comment). */
export function workerCount(
  env: NodeJS.ProcessEnv,
  databaseUrl: string | undefined,
  cores = os.availableParallelism(),
): number {
  const raw = (env.WORKERS ?? '').trim()
  let n = cores
  if (raw !== '') {
    n = /^\d+$/.test(raw) ? Number(raw) : NaN
    if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) {
      throw new ClusterConfigError(`WORKERS 应为 1 到 ${MAX_WORKERS} 之间的整数（现为 “${raw}”）。`)
    }
  }
  if (!databaseUrl) {
    if (raw !== '' && n > 1) {
      throw new ClusterConfigError(
        `WORKERS=${n} 需要 PostgreSQL：未设 DATABASE_URL 时数据在 PGlite 目录里，同一目录只能由一个进程打开。` +
          '请设置 DATABASE_URL，或设 WORKERS=1（也可以直接用 npm run serve）。',
      )
    }
    return 1
  }
  return n
}

function log(line: string) {
  console.log(`[主进程 ${process.pid}] ${line}`)
}

function primary(): void {
  let count: number
  try {
    const config = configFromEnv()
    assertSafeConfig(config)
    count = workerCount(process.env, config.databaseUrl)
    log(
      `启动 ${count} 个工作进程，共用端口 ${config.port}，数据库：${config.databaseUrl ? 'PostgreSQL' : `PGlite（${config.dataDir}，只能单进程）`}`,
    )
  } catch (err) {
    if (err instanceof UnsafeConfigError || err instanceof ClusterConfigError) {
      console.error(`\n无法启动：${err.message}\n`)
      process.exit(1)
    }
    throw err
  }

  /** Per slot: its worker, when it started, how many times in a row it died young. */
  const slots: Array<{
    worker?: Worker
    startedAt: number
    deaths: number
    timer?: NodeJS.Timeout
  }> = Array.from({ length: count }, () => ({ startedAt: 0, deaths: 0 }))
  let stopping = false
  let failed = false

  const fork = (slot: number): Worker => {
    const worker = cluster.fork({ WORKER_SLOT: String(slot + 1) })
    slots[slot] = { ...slots[slot], worker, startedAt: Date.now(), timer: undefined }
    return worker
  }
  const slotOf = (worker: Worker) => slots.findIndex((s) => s.worker === worker)

  const finishIfDone = () => {
    if (slots.some((s) => s.worker || s.timer)) return
    log(stopping ? '全部工作进程已退出' : '全部工作进程都已自行退出')
    process.exit(failed ? 1 : 0)
  }

  /** Until the first worker listens: the others wait, and its failure ends the cluster. */
  let booting = true

  cluster.on('exit', (worker, code, signal) => {
    const slot = slotOf(worker)
    if (slot < 0) return
    const s = slots[slot]
    s.worker = undefined
    const how = signal ? `信号 ${signal}` : `退出码 ${code}`
    if (stopping || (code === 0 && !signal)) {
      // Our SIGTERM may reach a worker still starting, before its own handler is in place.
      if ((code !== 0 && code !== null) || (signal && signal !== 'SIGTERM')) failed = true
      log(`工作进程 ${worker.process.pid} 已退出（${how}）`)
      finishIfDone()
      return
    }
    if (booting) {
      // It could not start (see its message above): neither would the others.
      console.error(`\n无法启动：第一个工作进程启动失败（${how}），未启动其余工作进程。\n`)
      process.exit(1)
    }
    s.deaths = Date.now() - s.startedAt >= HEALTHY_MS ? 1 : s.deaths + 1
    const delay = Math.min(MAX_RESTART_MS, FIRST_RESTART_MS * 2 ** (s.deaths - 1))
    log(`工作进程 ${worker.process.pid} 意外退出（${how}），${delay / 1000} 秒后重启`)
    s.timer = setTimeout(() => {
      s.timer = undefined
      if (!stopping) fork(slot)
    }, delay)
  })

  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    log(`收到 ${signal}，正在停止全部工作进程…`)
    for (const s of slots) {
      if (s.timer) clearTimeout(s.timer)
      s.timer = undefined
      s.worker?.process.kill('SIGTERM')
    }
    setTimeout(() => {
      failed = true
      for (const s of slots) s.worker?.process.kill('SIGKILL')
      log(`${SHUTDOWN_MS / 1000} 秒内未全部退出，已强制结束`)
    }, SHUTDOWN_MS).unref()
    finishIfDone()
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))

  // The first worker migrates and seeds alone, then the others start.
  fork(0).once('listening', () => {
    booting = false
    if (stopping) return
    for (let slot = 1; slot < count; slot++) fork(slot)
  })
}

function worker(): void {
  // The primary is gone (killed): close like on SIGTERM instead of serving on alone.
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'))
  main({
    label: `[工作进程 ${process.env.WORKER_SLOT ?? cluster.worker?.id} pid ${process.pid}] `,
    beforeListen(app, production) {
      if (production) return
      // Ahead of Fastify's own listener, so even its earliest answers carry it.
      app.server.prependListener('request', (_req, res) => {
        res.setHeader('x-worker', String(process.pid))
      })
    },
  }).catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}

if (require.main === module) {
  if (cluster.isPrimary) {
    primary()
  } else {
    worker()
  }
}
