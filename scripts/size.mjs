// `npm run size`: the product against a bare Taro 4.2.1 React app (bench/bare-taro: one page, a
// button, zustand, dayjs) built with this project's own config in the same run, on the three goals
// of issue 10:
//   1. weapp main package            ≤ 1.2 × bare (bytes of every file outside the subpackages)
//   2. H5 signed-in home, JS gzipped ≤ 1.3 × bare (every JS file the home route loads with a
//      stored session, gzip -9)
//   3. H5 time to usable home, 4× CPU ≤ 1.4 × bare (navigation start → the points balance and the
//      tiles on screen; bare: its button), median of ≥ 5 runs each, interleaved
// It also lists each weapp package against WeChat's 2 MB limit.
//
// Flags: --no-build (measure the builds already in dist/, dist-h5/ and bench/bare-taro/),
//        --runs=N (timing runs per app, default 7), --no-time (sizes only),
//        --weapp-only (CI: the weapp packages of the build in dist/ against WeChat's limits; builds
//        nothing, fails when a package is over 2 MB).
// Needs Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH) for 2 and 3.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { bareDir, buildBare, taroBuild } from './build-bare.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const build = !args.includes('--no-build')
const timing = !args.includes('--no-time')
const runs = Math.max(5, Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 7))
const MEMBER_NO = 'M0003'
const CPU_SLOWDOWN = 4

const kb = (n) => `${(n / 1024).toFixed(1)} KB`
const ratio = (a, b) => a / b
const verdict = (r, limit) =>
  `${r.toFixed(2)}× bare (goal ≤ ${limit}×) ${r <= limit ? 'MET' : 'NOT MET'}`

function walk(dir) {
  const out = []
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) out.push(...walk(p))
    else out.push(p)
  }
  return out
}

/** Bytes per weapp package (main + each subpackage) of a build folder; source maps excluded. */
function weappPackages(dir) {
  const app = JSON.parse(fs.readFileSync(path.join(dir, 'app.json'), 'utf8'))
  const subs = (app.subPackages ?? app.subpackages ?? []).map((s) => s.root.replace(/\/$/, ''))
  const sizes = new Map([['main', 0], ...subs.map((s) => [s, 0])])
  for (const file of walk(dir)) {
    const rel = path.relative(dir, file).split(path.sep).join('/')
    if (rel.endsWith('.map')) continue
    const owner = subs.find((s) => rel.startsWith(`${s}/`)) ?? 'main'
    sizes.set(owner, sizes.get(owner) + fs.statSync(file).size)
  }
  return sizes
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

/**
 * The real server (server/main.ts) on a fresh PGlite directory with the demo data, serving
 * `staticDir`: the bare app is served the same way as the product (same compression, same host).
 */
async function startServer(staticDir) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uss-size-'))
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: '',
      DATA_DIR: dataDir,
      STATIC_DIR: staticDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      DEV_LOGIN: '1',
      LOG: '0',
      LOGIN_RATE_LIMIT: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 120_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`)
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${output}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    baseUrl,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** A stored session as Taro H5's `setStorageSync` writes it, for the app's `union-session` key. */
async function storedSession(baseUrl) {
  const res = await fetch(`${baseUrl}/api/v1/auth/dev-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ memberNo: MEMBER_NO }),
  })
  if (!res.ok) throw new Error(`dev-login ${res.status}: ${await res.text()}`)
  const { token, member } = await res.json()
  return JSON.stringify({ data: { token, member } })
}

/** What "usable" means per app: the content a person came for is on screen. */
const apps = {
  bare: { ready: '.bare-button' },
  product: { ready: '.home-balance-value', also: '.home-tile' },
}

/**
 * One cold visit in a fresh browser context (empty cache): which JS files loaded and when the
 * page became usable (ms after navigation start, from `performance.now()` in the page).
 */
async function visit(browser, baseUrl, app, session, cpu) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  })
  const page = await context.newPage()
  page.setDefaultTimeout(60_000)
  const { ready, also } = apps[app]
  await page.addInitScript(
    (arg) => {
      if (arg.session) localStorage.setItem('union-session', arg.session)
      const done = () =>
        document.querySelector(arg.ready)?.textContent?.trim() &&
        (!arg.also || document.querySelector(arg.also))
      const observer = new MutationObserver(() => {
        if (!window.__usableAt && done()) {
          window.__usableAt = performance.now()
          observer.disconnect()
        }
      })
      observer.observe(document, { childList: true, subtree: true, characterData: true })
    },
    { session, ready, also },
  )
  const js = new Set()
  const api = []
  const origin = new URL(baseUrl).origin
  page.on('request', (r) => {
    const u = new URL(r.url())
    if (u.origin === origin && u.pathname.endsWith('.js')) js.add(u.pathname)
    if (u.origin === origin && u.pathname.startsWith('/api/')) api.push(u.pathname)
  })
  const cdp = await context.newCDPSession(page)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu })
  await page.goto(`${baseUrl}/`)
  await page.waitForFunction(() => window.__usableAt, undefined, { polling: 50 })
  const usableMs = await page.evaluate(() => window.__usableAt)
  await page.waitForLoadState('networkidle')
  await context.close()
  return { usableMs, js: [...js].sort(), api }
}

function gzippedJs(dir, files) {
  let raw = 0
  let gz = 0
  for (const p of files) {
    const buf = fs.readFileSync(path.join(dir, p))
    raw += buf.length
    gz += zlib.gzipSync(buf, { level: 9 }).length
  }
  return { files: files.length, raw, gz }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** CI: each package of the weapp build in dist/ against WeChat's limits (exit 1 when over). */
function weappOnly() {
  const sizes = weappPackages(path.join(root, 'dist'))
  let total = 0
  let over = false
  console.log('weapp packages (limit 2 MB each, 20 MB in all)')
  for (const [name, size] of sizes) {
    total += size
    over ||= size > 2 * 1024 * 1024
    console.log(`  ${name.padEnd(20)} ${kb(size).padStart(10)}`)
  }
  console.log(`  ${'total'.padEnd(20)} ${kb(total).padStart(10)}`)
  if (over || total > 20 * 1024 * 1024) {
    console.error('✗ a weapp package is over WeChat’s limit')
    process.exit(1)
  }
}

async function main() {
  const productWeapp = path.join(root, 'dist')
  const productH5 = path.join(root, 'dist-h5')
  const bareWeapp = path.join(bareDir, 'dist')
  const bareH5 = path.join(bareDir, 'dist-h5')
  if (build) {
    buildBare()
    for (const type of ['weapp', 'h5']) {
      const ms = taroBuild(root, type)
      console.log(`product ${type} built in ${(ms / 1000).toFixed(1)} s`)
    }
  }
  for (const dir of [productWeapp, bareWeapp]) {
    if (!fs.existsSync(path.join(dir, 'app.json'))) throw new Error(`no weapp build in ${dir}`)
  }
  for (const dir of [productH5, bareH5]) {
    if (!fs.existsSync(path.join(dir, 'index.html'))) throw new Error(`no H5 build in ${dir}`)
  }

  // 1. weapp main package
  const product = weappPackages(productWeapp)
  const bare = weappPackages(bareWeapp)
  console.log('\nweapp packages (limit 2 MB each, 20 MB in all)')
  for (const [name, size] of product) {
    console.log(
      `  ${name.padEnd(20)} ${kb(size).padStart(10)}  ${((size / 2 / 1024 / 1024) * 100).toFixed(1)}% of 2 MB`,
    )
  }
  const weappRatio = ratio(product.get('main'), bare.get('main'))

  // 2 and 3: the H5 builds in a browser, each behind its own server
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
  const servers = {}
  try {
    ;[servers.product, servers.bare] = await Promise.all([
      startServer(productH5),
      startServer(bareH5),
    ])
    const session = await storedSession(servers.product.baseUrl)
    const sessions = { product: session, bare: null }
    const dirs = { product: productH5, bare: bareH5 }

    // The JS of each first page, without throttling (also a warm-up of both servers).
    const firstVisit = {}
    for (const app of ['bare', 'product']) {
      firstVisit[app] = await visit(browser, servers[app].baseUrl, app, sessions[app], 1)
    }
    const js = {
      product: gzippedJs(dirs.product, firstVisit.product.js),
      bare: gzippedJs(dirs.bare, firstVisit.bare.js),
    }
    const h5Ratio = ratio(js.product.gz, js.bare.gz)

    const times = { bare: [], product: [] }
    if (timing) {
      for (let i = 0; i < runs; i++) {
        for (const app of i % 2 ? ['product', 'bare'] : ['bare', 'product']) {
          const { usableMs } = await visit(
            browser,
            servers[app].baseUrl,
            app,
            sessions[app],
            CPU_SLOWDOWN,
          )
          times[app].push(usableMs)
        }
      }
    }

    console.log('\nagainst the bare Taro app built in this run (bench/bare-taro, same config)')
    console.log(
      `  1. weapp main package      ${kb(product.get('main'))} vs bare ${kb(bare.get('main'))}: ${verdict(weappRatio, 1.2)}`,
    )
    console.log(
      `  2. H5 signed-in home JS    ${kb(js.product.gz)} gz in ${js.product.files} files (${kb(js.product.raw)} raw)` +
        ` vs bare ${kb(js.bare.gz)} gz in ${js.bare.files} files (${kb(js.bare.raw)} raw): ${verdict(h5Ratio, 1.3)}`,
    )
    if (timing) {
      const fmt = (xs) =>
        `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, spread ${(Math.max(...xs) - Math.min(...xs)).toFixed(0)} ms)`
      const timeRatio = ratio(median(times.product), median(times.bare))
      console.log(
        `  3. time to usable home, ${CPU_SLOWDOWN}× CPU, ${runs} cold runs each, interleaved:`,
      )
      console.log(`       product ${fmt(times.product)}`)
      console.log(`       bare    ${fmt(times.bare)}`)
      console.log(`       ${verdict(timeRatio, 1.4)}`)
      console.log(
        `       runs (ms): product ${times.product.map((t) => t.toFixed(0)).join(', ')}; bare ${times.bare.map((t) => t.toFixed(0)).join(', ')}`,
      )
    }
    if (args.includes('--list')) {
      console.log('\nH5 home JS files:', firstVisit.product.js.join(' '))
      console.log('bare JS files:', firstVisit.bare.js.join(' '))
      console.log('H5 home API requests:', firstVisit.product.api.join(' '))
    }
  } finally {
    await browser.close()
    await Promise.all(Object.values(servers).map((s) => s.close()))
  }
}

if (args.includes('--weapp-only')) weappOnly()
else await main()
