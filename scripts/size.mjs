// `npm run size`: the weapp output per package (main + each subpackage) against WeChat's limits,
// and the gzipped JS that the H5 first page loads, beside the bare-Taro baseline (TOOLCHAIN.md).
// Build first: `npm run build:weapp` and `npm run build:h5`.
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import zlib from 'node:zlib'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const weappDir = path.join(root, 'dist')
const h5Dir = path.join(root, 'dist-h5')
const kb = (n) => `${(n / 1024).toFixed(1)} KB`

function walk(dir) {
  const out = []
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) out.push(...walk(p))
    else out.push(p)
  }
  return out
}

function weapp() {
  if (!fs.existsSync(path.join(weappDir, 'app.json'))) {
    console.log('weapp: no build in dist/ (run npm run build:weapp)')
    return
  }
  const app = JSON.parse(fs.readFileSync(path.join(weappDir, 'app.json'), 'utf8'))
  const subs = (app.subPackages ?? app.subpackages ?? []).map((s) => s.root.replace(/\/$/, ''))
  const sizes = new Map([['main', 0], ...subs.map((s) => [s, 0])])
  let total = 0
  for (const file of walk(weappDir)) {
    const rel = path.relative(weappDir, file).split(path.sep).join('/')
    if (rel.endsWith('.map')) continue
    const size = fs.statSync(file).size
    total += size
    const owner = subs.find((s) => rel.startsWith(`${s}/`)) ?? 'main'
    sizes.set(owner, sizes.get(owner) + size)
  }
  console.log('weapp (dist/), limits 2 MB per package, 20 MB in all; bare Taro: 332 KB')
  for (const [name, size] of sizes) {
    console.log(
      `  ${name.padEnd(20)} ${kb(size).padStart(10)}  ${((size / (2 * 1024 * 1024)) * 100).toFixed(1)}% of 2 MB`,
    )
  }
  console.log(
    `  ${'total'.padEnd(20)} ${kb(total).padStart(10)}  (${(total / 332 / 1024).toFixed(2)}× bare Taro)`,
  )
}

/** Serves dist-h5 on a loopback port and records which JS files the first page loads. */
async function h5FirstPage() {
  if (!fs.existsSync(path.join(h5Dir, 'index.html'))) {
    console.log('h5: no build in dist-h5/ (run npm run build:h5)')
    return
  }
  const server = http.createServer((req, res) => {
    const p = path.join(h5Dir, decodeURIComponent((req.url ?? '/').split('?')[0]))
    const file = fs.existsSync(p) && fs.statSync(p).isFile() ? p : path.join(h5Dir, 'index.html')
    res.setHeader(
      'content-type',
      file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'text/html',
    )
    fs.createReadStream(file).pipe(res)
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const port = server.address().port
  const loaded = new Set()
  let how = 'headless Chromium, login page'
  try {
    const { chromium } = await import('playwright-core')
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    const page = await browser.newPage()
    page.on('request', (r) => {
      const u = new URL(r.url())
      if (u.port === String(port) && u.pathname.endsWith('.js')) loaded.add(u.pathname)
    })
    await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'networkidle' })
    await browser.close()
  } catch (err) {
    how = `scripts in index.html only (no browser: ${String(err).split('\n')[0]})`
    const html = fs.readFileSync(path.join(h5Dir, 'index.html'), 'utf8')
    for (const m of html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)) loaded.add(m[1])
  }
  server.close()
  let raw = 0
  let gz = 0
  for (const p of loaded) {
    const buf = fs.readFileSync(path.join(h5Dir, p))
    raw += buf.length
    gz += zlib.gzipSync(buf, { level: 9 }).length
  }
  console.log(
    `h5 first page (${how}): ${loaded.size} JS files, ${kb(raw)} raw, ${kb(gz)} gzipped; bare Taro: 108 KB gzipped (332 KB raw)`,
  )
}

weapp()
if (!process.argv.includes('--weapp-only')) await h5FirstPage()
