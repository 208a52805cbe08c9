import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

const root = path.resolve(__dirname, '../..')

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

export interface E2eServer {
  baseUrl: string
  close(): Promise<void>
}

/**
 * Starts the real server (`server/main.ts`) as a child process on a fresh PGlite directory with
 * the demo data, serving the H5 build from dist-h5/.
 */
export async function startE2eServer(): Promise<E2eServer> {
  if (!fs.existsSync(path.join(root, 'dist-h5', 'index.html'))) {
    throw new Error('dist-h5/ is missing: run `npm run build:h5` first')
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uss-e2e-'))
  const port = await freePort()
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: '',
      DATA_DIR: dataDir,
      PORT: String(port),
      DEV_LOGIN: '1',
      LOG: '0',
      LOGIN_RATE_LIMIT: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()))
  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`)
    try {
      const res = await fetch(`${baseUrl}/api/health`)
      if (res.ok) break
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

/** Debian's Chromium, headless (Playwright gives it a fresh profile), with a phone-sized viewport. */
export async function launchBrowser(): Promise<{ browser: Browser; page: Page }> {
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
  return { browser, page: await newPhonePage(browser) }
}

/** A fresh phone-sized page in its own context (own storage: a second person on another phone). */
export async function newPhonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'America/New_York', // dates must still show in Asia/Shanghai
  })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  return page
}

/** Opens the app signed out and signs in with a member number on the H5 sign-in form. */
export async function signIn(page: Page, baseUrl: string, memberNo: string): Promise<void> {
  await page.goto(baseUrl)
  const input = page.locator('input[placeholder*="会员号"]')
  await input.waitFor()
  await input.fill(memberNo)
  await page.locator('.login-submit').click()
  await page.locator('.home-greeting').waitFor()
}
