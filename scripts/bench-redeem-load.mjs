/**
 * The load generator of `npm run bench:redeem`, in a process of its own (forked by
 * scripts/bench-redeem.ts), so that it shares neither the server's event loop nor its CPU time.
 * For each `{ port, tokens, itemIds, requests, concurrency, prefix }` message it sends `requests`
 * POST /api/v1/mall/orders over `concurrency` keep-alive connections (a random member and item,
 * a fresh Idempotency-Key each) and answers with the run's seconds, latency quantiles and failures.
 */
import http from 'node:http'

/** One run: `concurrency` clients, each sending its next request when the previous one ended. */
async function run({ port, tokens, itemIds, requests, concurrency, prefix }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  const latencies = new Float64Array(requests)
  const failures = {}
  let next = 0
  const one = (i) =>
    new Promise((resolve) => {
      const body = JSON.stringify({
        itemId: itemIds[Math.floor(Math.random() * itemIds.length)],
        quantity: 1,
      })
      const started = process.hrtime.bigint()
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/v1/mall/orders',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: `Bearer ${tokens[Math.floor(Math.random() * tokens.length)]}`,
            'idempotency-key': `${prefix}-${i}`,
          },
        },
        (res) => {
          res.resume()
          res.on('end', () => {
            latencies[i] = Number(process.hrtime.bigint() - started) / 1e6
            if (res.statusCode !== 201)
              failures[res.statusCode] = (failures[res.statusCode] ?? 0) + 1
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
