/**
 * The load generator of `npm run bench:cluster`, in a process of its own (forked by
 * scripts/bench-cluster.ts), so that it shares no event loop with the servers. For each
 * `{ port, tokens, itemIds, requests, concurrency, prefix }` message it sends `requests` requests
 * over `concurrency` keep-alive connections — every other one GET /api/v1/points, the rest
 * POST /api/v1/mall/orders (a fresh Idempotency-Key each), a member in turn — and answers with
 * the run's seconds, latency quantiles and failures.
 */
import http from 'node:http'

async function run({ port, tokens, itemIds, requests, concurrency, prefix }) {
  // New connections per run: node:cluster hands each to a worker, round-robin.
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  const latencies = new Float64Array(requests)
  const failures = {}
  let next = 0
  const one = (i) =>
    new Promise((resolve) => {
      const read = i % 2 === 0
      const body = read
        ? undefined
        : JSON.stringify({ itemId: itemIds[i % itemIds.length], quantity: 1 })
      const started = process.hrtime.bigint()
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: read ? 'GET' : 'POST',
          path: read ? '/api/v1/points' : '/api/v1/mall/orders',
          agent,
          headers: {
            ...(body
              ? {
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(body),
                  'idempotency-key': `${prefix}-${i}`,
                }
              : {}),
            authorization: `Bearer ${tokens[Math.floor(i / 2) % tokens.length]}`,
          },
        },
        (res) => {
          res.resume()
          res.on('end', () => {
            latencies[i] = Number(process.hrtime.bigint() - started) / 1e6
            const expected = read ? 200 : 201
            if (res.statusCode !== expected) {
              const k = `${read ? 'GET' : 'POST'} ${res.statusCode}`
              failures[k] = (failures[k] ?? 0) + 1
            }
            resolve()
          })
        },
      )
      req.on('error', (e) => {
        failures[e.code] = (failures[e.code] ?? 0) + 1
        resolve()
      })
      req.end(body)
    })
  const client = async () => {
    for (let i = next++; i < requests; i = next++) await one(i)
  }
  const t0 = process.hrtime.bigint()
  await Promise.all(Array.from({ length: concurrency }, client))
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  agent.destroy()
  const sorted = [...latencies].sort((a, b) => a - b)
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  return { requests, seconds, p50: at(0.5), p99: at(0.99), failures }
}

process.on('message', (msg) => {
  if (msg === 'exit') process.exit(0)
  run(msg).then(
    (result) => process.send(result),
    (err) => process.send({ error: String(err) }),
  )
})
