// Packing list as .xlsx vs CSV, without a database: synthetic pages of 1,000 packs go through
// `packingRows` into the streaming xlsx writer (and `packingCsv`), the output read by a consumer.
// Prints per size the time, the file size and the peak heap above the start (sampled every 20 ms),
// median and range over runs. Run: node --expose-gc --import tsx scripts/bench-xlsx.ts [runs]
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { PackingPack } from '../src/contract/cooling'
import { packingCsv, packingRows, type CsvPage } from '../server/modules/cooling/packing-list'
import { xlsxStream } from '../server/lib/xlsx'

const runs = Number(process.argv[2] ?? 3)
const items = [
  { id: 1, name: '喷雾运动水壶' },
  { id: 2, name: '凉茶' },
  { id: 3, name: '矿泉水' },
]

function* pages(n: number): Generator<CsvPage> {
  const sites = [
    { key: 1, name: '若羌光伏项目部', address: '新疆若羌县, 光伏产业园', recipient: '王站长' },
    { key: 2, name: '南营地', address: '南营地 2 号', recipient: null },
    { key: 'pickup' as const, name: '到工会自取', address: null, recipient: null },
  ]
  for (const [s, d] of sites.entries()) {
    const count = Math.floor(n / 3) + (s === 2 ? n % 3 : 0)
    for (let from = 0; from < count; from += 1000) {
      const packs: PackingPack[] = []
      for (let i = from; i < Math.min(count, from + 1000); i++) {
        packs.push({
          packId: i + 1,
          memberId: i + 1,
          memberNo: `M${String(s * 1e6 + i).padStart(7, '0')}`,
          memberName: '张三丰',
          unionName: '四方继保工会',
          recipient: '李建国',
          phone: '13899012345',
          status: 'submitted',
          isDefault: i % 2 === 0,
          items: [
            { itemId: 2, name: '凉茶', quantity: 2 },
            { itemId: 3, name: '矿泉水', quantity: 2 },
          ],
          shippedTo: null,
        })
      }
      yield { destination: d, packs }
    }
  }
}

async function measure(kind: 'xlsx' | 'csv', n: number) {
  globalThis.gc?.()
  const base = process.memoryUsage().heapUsed
  let peak = 0
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed - base)
  }, 20)
  let bytes = 0
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length
      done()
    },
  })
  const started = performance.now()
  const source =
    kind === 'xlsx'
      ? xlsxStream({ name: '装箱单' }, packingRows(items, pages(n)))
      : Readable.from(packingCsv(items, pages(n)))
  await pipeline(source, sink)
  const ms = performance.now() - started
  clearInterval(timer)
  peak = Math.max(peak, process.memoryUsage().heapUsed - base)
  return { ms, bytes, peakMb: peak / 2 ** 20 }
}

const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return `${s[Math.floor(s.length / 2)]!.toFixed(1)} (${s[0]!.toFixed(1)}–${s.at(-1)!.toFixed(1)})`
}

async function main() {
  for (const n of [3_000, 30_000, 100_000]) {
    for (const kind of ['xlsx', 'csv'] as const) {
      const got = []
      for (let r = 0; r < runs; r++) got.push(await measure(kind, n))
      console.log(
        `${kind.padEnd(4)} ${String(n).padStart(7)} packs: ${stat(got.map((g) => g.ms))} ms, ` +
          `${(got[0]!.bytes / 1024).toFixed(0)} KiB, peak heap +${stat(got.map((g) => g.peakMb))} MiB`,
      )
    }
  }
}

void main()
