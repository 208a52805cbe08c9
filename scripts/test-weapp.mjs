// `npm run test:weapp [-- --rebuild] [test files…]`: the weapp suite (tests/weapp) against the
// built bundle in dist/. Builds it first when dist/ is missing or older than what it is built
// from (src/, config/, babel.config.js), or always with --rebuild; otherwise reuses it.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const args = process.argv.slice(2)
const rebuild = args.includes('--rebuild')
const chosen = args.filter((a) => !a.startsWith('--'))

/** Newest modification time under `p` (a file or a folder), 0 when it does not exist. */
function newest(p) {
  if (!fs.existsSync(p)) return 0
  const stat = fs.statSync(p)
  if (!stat.isDirectory()) return stat.mtimeMs
  let latest = stat.mtimeMs
  for (const entry of fs.readdirSync(p)) latest = Math.max(latest, newest(path.join(p, entry)))
  return latest
}

function run(command, commandArgs, env = process.env) {
  const r = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

const built = fs.existsSync(path.join(root, 'dist', 'app.json'))
  ? fs.statSync(path.join(root, 'dist', 'app.json')).mtimeMs
  : 0
const sources = Math.max(
  ...['src', 'config', 'babel.config.js'].map((p) => newest(path.join(root, p))),
)
const reason = rebuild
  ? '--rebuild'
  : !built
    ? 'dist/ is missing'
    : sources > built
      ? 'src/ or config/ changed since the last build'
      : null
if (reason) {
  console.log(`▶ npm run build:weapp (${reason})`)
  const started = Date.now()
  // The suite maps the build's default API origin to its own server: no build-time override.
  const env = { ...process.env }
  delete env.TARO_APP_API_BASE
  // Subscribe-message template ids: the placeholders the test server uses (`demo-<key>`), so the
  // suite sees the app ask for them at the tap that redeems, books, signs up or submits.
  for (const key of [
    'PICKUP_EXPIRING',
    'LEGAL_REMINDER',
    'WAITLIST_PROMOTED',
    'FLOWERS_RESULT',
    'PACK_SHIPPED',
  ]) {
    env[`TARO_APP_WECHAT_TEMPLATE_${key}`] ??= `demo-${key.toLowerCase()}`
  }
  run(npm, ['run', '--silent', 'build:weapp'], env)
  console.log(`▶ weapp built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
} else {
  console.log('▶ reusing dist/ (newer than src/ and config/; --rebuild to build anyway)')
}

const files = chosen.length
  ? chosen
  : fs
      .readdirSync(path.join(root, 'tests', 'weapp'))
      .filter((f) => f.endsWith('.test.ts'))
      .sort()
      .map((f) => path.join('tests', 'weapp', f))
// --test-force-exit: a timer the bundle leaves behind must not hold CI (journeys unload their pages).
run(process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=2',
  '--test-force-exit',
  ...files,
])
