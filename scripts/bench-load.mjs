/**
 * The load generator of `npm run bench:redeem` and `npm run bench:cluster`, in a process of its own
 * (forked by those scripts), so that it shares neither a server's event loop nor its CPU time. For
 * each `{ port, tokens, itemIds, requests, concurrency, prefix, mix }` message it sends `requests`
 * requests over `concurrency` keep-alive connections, each client sending its next request when
 * the previous one ended, and answers with the run's seconds, latency quantiles and failures:
 *  - `mix: 'redeem'`: every request POST /api/v1/mall/orders, a random member and item;
 *  - `mix: 'points-and-redeem'`: every other one GET /api/v1/points, the rest redemptions, a
 *    member and an item in turn.
 * Every redemption carries a fresh Idempotency-Key (`prefix-i`).
 */
import http from 'node:http'

const pick = (list, i, random) =>
  list[random ? Math.floor(Math.random() * list.length) : i % list.length]

async function run({ port, tokens, itemIds, requests, concurrency, prefix, mix = 'redeem' }) {
  // New connections per run: node:cluster hands each to a worker, round-robin.
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  const latencies = new Float64Array(requests)
  const failures = {}
  const random = mix === 'redeem'
  let next = 0
  const one = (i) =>
    new Promise((resolve) => {
      const read = mix === 'points-and-redeem' && i % 2 === 0
      const turn = mix === 'points-and-redeem' ? Math.floor(i / 2) : i
      const body = read
        ? undefined
        : JSON.stringify({ itemId: pick(itemIds, turn, random), quantity: 1 })
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
            authorization: `Bearer ${pick(tokens, turn, random)}`,
          },
        },
        (res) => {
          res.resume()
          res.on('end', () => {
            latencies[i] = Number(process.hrtime.bigint() - started) / 1e6
            if (res.statusCode !== (read ? 200 : 201)) {
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
