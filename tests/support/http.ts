import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'

export interface HttpAnswer {
  status: number
  body: string
}

export interface HttpClient {
  baseUrl: string
  request(opts: {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
    path: string
    token?: string
    body?: unknown
    headers?: Record<string, string>
  }): Promise<HttpAnswer>
  /** The most requests the server had in flight at once since the last `resetPeak()`. */
  peak(): number
  resetPeak(): void
  close(): void
}

/**
 * Puts the app on a real port and returns a keep-alive client for it: for concurrency tests and
 * benchmarks, where `inject` would run every request on the server's own turn of the event loop.
 */
export async function listen(app: FastifyInstance, maxSockets = 256): Promise<HttpClient> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  const agent = new http.Agent({ keepAlive: true, maxSockets })
  // Counted by the server itself: proof that a race test's requests really overlapped.
  let inFlight = 0
  let peak = 0
  app.server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight++
    peak = Math.max(peak, inFlight)
    res.on('close', () => inFlight--)
  })
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    request({ method, path, token, body, headers }) {
      const payload = body === undefined ? undefined : JSON.stringify(body)
      return new Promise<HttpAnswer>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method,
            path,
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
              }),
            )
            res.on('error', reject)
          },
        )
        req.on('error', reject)
        req.end(payload)
      })
    },
    peak: () => peak,
    resetPeak: () => {
      peak = inFlight
    },
    close: () => agent.destroy(),
  }
}
