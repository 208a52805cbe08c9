import { spawn, type ChildProcess } from 'node:child_process'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import type { HttpAnswer } from './http'
import { TEST_DATA_KEY } from './server'

/** The repository root. */
export const root = path.resolve(__dirname, '..', '..')

/** A port nobody listens on now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

/**
 * The environment of a server process started by a test: dev sign-in, the demo data, the fixed
 * test data key, no request log, no H5 app. Nothing of the caller's database settings leaks in.
 */
export function serverEnv(port: number, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const k of ['DATABASE_URL', 'DATA_DIR', 'WORKERS', 'NODE_ENV', 'SEED', 'DEV_LOGIN']) {
    delete env[k]
  }
  return {
    ...env,
    HOST: '127.0.0.1',
    PORT: String(port),
    DEV_LOGIN: '1',
    SEED: '1',
    DATA_KEY: TEST_DATA_KEY,
    LOG: '0',
    STATIC_DIR: '/nonexistent',
    LOGIN_RATE_LIMIT: '100000',
    ...extra,
  }
}

/** A server process of a test: its output so far, its exit, its HTTP client. */
export interface ServerProcess {
  child: ChildProcess
  pid: number
  port: number
  baseUrl: string
  /** Everything it wrote (standard output and error), for failure messages. */
  output(): string
  /** Resolves with the exit code (or the signal) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Polls `/api/health` until it answers 200; rejects if the process exits first. */
  ready(timeoutMs?: number): Promise<void>
  request(opts: RequestOptions): Promise<Answer>
  /** Sends the signal and waits until the process is gone (and reaped). */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** An answer over real HTTP, with its headers. */
export type Answer = HttpAnswer & { headers: http.IncomingHttpHeaders }

export interface RequestOptions {
  method: 'GET' | 'POST'
  path: string
  token?: string
  body?: unknown
  headers?: Record<string, string>
}

/** Runs `node --import tsx <script>` from the repository root (no wrapper process to outlive a kill). */
export function spawnServer(script: string, port: number, env: NodeJS.ProcessEnv): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')))
  child.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  let gone = false
  void exited.then(() => (gone = true))
  const client = httpClient(port)
  return {
    child,
    pid: child.pid!,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => out,
    exited,
    async ready(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        if (gone) throw new Error(`${script} exited before it was ready:\n${out}`)
        try {
          const res = await client.request({ method: 'GET', path: '/api/health' })
          if (res.status === 200) return
        } catch {
          /* not listening yet */
        }
        if (Date.now() > deadline)
          throw new Error(`${script} not ready in ${timeoutMs} ms:\n${out}`)
        await new Promise((r) => setTimeout(r, 100))
      }
    },
    request: (opts) => client.request(opts),
    async stop(signal = 'SIGTERM') {
      if (!gone) child.kill(signal)
      const how = await exited
      client.close()
      return how
    },
  }
}

/**
 * An HTTP client of one port on 127.0.0.1: JSON in and out, no retries; keep-alive unless
 * `keepAlive` is false (a new connection per request: node:cluster hands each to a worker). A
 * request without an answer after `timeoutMs` fails with `ETIMEDOUT` (a test never hangs on it).
 */
export function httpClient(
  port: number,
  { maxSockets = 64, keepAlive = true, timeoutMs = 60_000 } = {},
) {
  const agent = new http.Agent({ keepAlive, maxSockets })
  return {
    request({ method, path: p, token, body, headers }: RequestOptions): Promise<Answer> {
      const payload = body === undefined ? undefined : JSON.stringify(body)
      return new Promise<Answer>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method,
            path: p,
            agent,
            headers: {
              ...(payload ? { 'content-type': 'application/json' } : {}),
              ...(token ? { authorization: `Bearer ${token}` } : {}),
              ...headers,
            },
          },
          (res) => {
            const chunks: Buffer[] = []
            res.on('data', (c: Buffer) => chunks.push(c))
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                body: Buffer.concat(chunks).toString('utf8'),
                headers: res.headers,
              }),
            )
            res.on('error', reject)
          },
        )
        req.setTimeout(timeoutMs, () =>
          req.destroy(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })),
        )
        req.on('error', reject)
        req.end(payload)
      })
    },
    close: () => agent.destroy(),
  }
}
