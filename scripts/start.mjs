// `npm start`: install what is missing, build the H5 app when its sources changed, then serve app
// and API on http://127.0.0.1:3000 with PGlite and the demo data. Only Node built-ins here: this
// runs before node_modules exists.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

console.log(
  '工会服务站 · 演示启动：演示数据 + 会员号登录（DEV_LOGIN），只监听本机 127.0.0.1。' +
    '生产部署请用 NODE_ENV=production npm run serve（见 README）。',
)
if (process.env.NODE_ENV === 'production') {
  console.error('✗ npm start 是演示启动，不能用于生产。请用 NODE_ENV=production npm run serve。')
  process.exit(1)
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env })
  if (r.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} 失败（退出码 ${r.status}）`)
    process.exit(r.status ?? 1)
  }
}

function mtime(p) {
  try {
    return fs.statSync(p).mtimeMs
  } catch {
    return 0
  }
}

function newest(dir) {
  let max = 0
  if (!fs.existsSync(dir)) return max
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    max = Math.max(max, entry.isDirectory() ? newest(p) : mtime(p))
  }
  return max
}

// 1. Dependencies: install when node_modules is missing or older than the lockfile/package.json.
const installed = mtime(path.join(root, 'node_modules', '.package-lock.json'))
if (
  !installed ||
  installed < mtime(path.join(root, 'package.json')) ||
  installed < mtime(path.join(root, 'package-lock.json'))
) {
  console.log('▶ 安装依赖（npm install）…')
  run(npm, ['install', '--no-audit', '--no-fund'])
}

// 2. The H5 app: build when missing or older than its sources.
const built = mtime(path.join(root, 'dist-h5', 'index.html'))
const sources = Math.max(
  newest(path.join(root, 'src')),
  newest(path.join(root, 'config')),
  mtime(path.join(root, 'package-lock.json')),
)
if (!built || built < sources) {
  console.log('▶ 构建 H5 应用（taro build --type h5）…')
  run(npm, ['run', 'build:h5'], { ...process.env, NODE_ENV: 'production' })
}

// 3. The server: PGlite under ./data with the demo data, dev sign-in on.
const env = { ...process.env, DEV_LOGIN: process.env.DEV_LOGIN ?? '1' }
const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  cwd: root,
  stdio: 'inherit',
  env,
})
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig))
server.on('exit', (code) => process.exit(code ?? 0))
