// Times a roster import of N generated rows (default 10,000) through the API, on PGlite and, when
// DATABASE_URL is set, on PostgreSQL: first import (all created), then the same file again
// (nothing changes). Prints figures; not a test.
import { engines, startTestServer } from '../tests/support/server'

const N = Number(process.env.ROWS ?? 10_000)
const unions = [
  '北京市总工会/中关村科学城工会/小米工会',
  '北京市总工会/石景山区总工会/四方继保工会',
  '北京市总工会/朝阳区总工会/帕克国际工会',
]
const lines = ['会员号,姓名,手机号,工会']
for (let i = 0; i < N; i++) {
  const no = `B${String(100000 + i)}`
  lines.push(`${no},会员${i},1${String(3000000000 + i)},${unions[i % unions.length]}`)
}
const file = Buffer.from(lines.join('\r\n') + '\r\n')

async function main() {
  for (const engine of engines()) {
    const s = await startTestServer(engine)
    const token = await s.login('A0001')
    const run = async () => {
      const t0 = performance.now()
      const res = await s.app.inject({
        method: 'POST',
        url: '/api/v1/admin/members/imports',
        payload: file,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      })
      const accepted = performance.now() - t0
      const { id } = (res.json() as { import: { id: number } }).import
      for (;;) {
        const got = await s.request({
          method: 'GET',
          url: `/api/v1/admin/members/imports/${id}`,
          token,
        })
        const imp = (got.json() as { import: { status: string } }).import
        if (imp.status !== 'running') return { ms: performance.now() - t0, accepted, imp }
        await new Promise((r) => setTimeout(r, 50))
      }
    }
    const first = await run()
    const again = await run()
    console.log(
      `${engine}: ${N} rows — first import ${(first.ms / 1000).toFixed(2)} s ` +
        `(202 after ${first.accepted.toFixed(0)} ms) ${JSON.stringify(first.imp)}; ` +
        `re-import ${(again.ms / 1000).toFixed(2)} s ${JSON.stringify(again.imp)}`,
    )
    await s.close()
  }
}

void main()
