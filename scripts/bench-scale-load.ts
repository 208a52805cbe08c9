/**
 * The HTTP side of `npm run bench:scale`: a keep-alive client for the server process, a closed-loop
 * load generator (`concurrency` clients, each sending its next request when the last one answered)
 * and latency percentiles. Runs in the benchmark's process, never in the server's.
 */
import crypto from 'node:crypto'
import http from 'node:http'

export interface Answer {
  status: number
  body: Buffer
  ms: number
}

export interface RequestOptions {
  token?: string
  body?: unknown
  /** A body sent as it is (with `contentType`), e.g. a CSV file. */
  raw?: Buffer
  contentType?: string
  headers?: Record<string, string>
}

/** A client of the server process on `127.0.0.1:port` over keep-alive connections. */
export class Client {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 })

  constructor(readonly port: number) {}

  request(method: string, path: string, opts: RequestOptions = {}): Promise<Answer> {
    const payload =
      opts.raw ?? (opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body)))
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`
    if (payload) {
      headers['content-type'] = opts.contentType ?? 'application/json'
      headers['content-length'] = String(payload.length)
    }
    return new Promise((resolve, reject) => {
      const t0 = performance.now()
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path: `/api/v1${path}`,
          agent: this.agent,
          headers,
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks),
              ms: performance.now() - t0,
            }),
          )
          res.on('error', reject)
        },
      )
      req.on('error', reject)
      req.end(payload)
    })
  }

  /** A JSON request that must answer `expect` (else throws with the body); the parsed answer. */
  async json<T>(
    method: string,
    path: string,
    expect: number | number[],
    opts: RequestOptions = {},
  ): Promise<{ status: number; data: T; ms: number }> {
    const a = await this.request(method, path, opts)
    const wanted = Array.isArray(expect) ? expect : [expect]
    if (!wanted.includes(a.status)) {
      throw new Error(`${method} ${path}: ${a.status} ${a.body.toString().slice(0, 300)}`)
    }
    return { status: a.status, data: JSON.parse(a.body.toString()) as T, ms: a.ms }
  }

  close(): void {
    this.agent.destroy()
  }
}

/** A new random `Idempotency-Key`. */
export const idempotencyKey = () => crypto.randomUUID()

export interface Latency {
  n: number
  p50: number
  p99: number
  min: number
  max: number
  /** Answers other than the expected status, by status. */
  failed: Record<string, number>
}

/** Percentiles (nearest rank) of latencies in ms. */
export function latency(ms: number[], failed: Record<string, number> = {}): Latency {
  const sorted = [...ms].sort((a, b) => a - b)
  const at = (q: number) =>
    sorted.length === 0
      ? NaN
      : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
  return {
    n: sorted.length,
    p50: at(0.5),
    p99: at(0.99),
    min: sorted[0] ?? NaN,
    max: at(1),
    failed,
  }
}

/**
 * Sends `requests` requests from `concurrency` clients (request `i` made by `send(i)`), after
 * `warmup` uncounted ones; each answer other than `expect` counts as failed.
 */
export async function closedLoop(
  send: (i: number) => Promise<Answer>,
  opts: { requests: number; concurrency: number; warmup: number; expect: number },
): Promise<Latency> {
  const run = async (count: number, offset: number, keep: boolean) => {
    const ms: number[] = []
    const failed: Record<string, number> = {}
    let next = 0
    const client = async () => {
      for (let i = next++; i < count; i = next++) {
        const a = await send(offset + i)
        if (keep) ms.push(a.ms)
        if (a.status !== opts.expect) failed[a.status] = (failed[a.status] ?? 0) + 1
      }
    }
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, count) }, client))
    return { ms, failed }
  }
  await run(opts.warmup, 0, false)
  const { ms, failed } = await run(opts.requests, opts.warmup, true)
  return latency(ms, failed)
}

/**
 * Sends `send()` from `concurrency` clients without pause until `stop()`: what a member sees while
 * something else runs. Resolves the latencies once the requests in flight have answered.
 */
export function continuous(
  send: () => Promise<Answer>,
  concurrency: number,
  expect: number,
): { stop(): Promise<Latency> } {
  let stopping = false
  const ms: number[] = []
  const failed: Record<string, number> = {}
  const client = async () => {
    while (!stopping) {
      const a = await send()
      ms.push(a.ms)
      if (a.status !== expect) failed[a.status] = (failed[a.status] ?? 0) + 1
    }
  }
  const clients = Promise.all(Array.from({ length: concurrency }, client))
  return {
    async stop() {
      stopping = true
      await clients
      return latency(ms, failed)
    },
  }
}
