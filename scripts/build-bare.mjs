// Builds the bare Taro 4.2.1 React app of bench/bare-taro (one page, a button, zustand, dayjs)
// with this project's own config: config/ is copied into it before each build, so the baseline
// follows every change to the product's toolchain. `node scripts/build-bare.mjs [weapp|h5]...`
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const bareDir = path.join(root, 'bench', 'bare-taro')

/** Copies the product's config into the bare app (Taro reads `config/index` from the app's folder). */
export function syncBareConfig() {
  const from = path.join(root, 'config')
  const to = path.join(bareDir, 'config')
  fs.rmSync(to, { recursive: true, force: true })
  fs.mkdirSync(to)
  for (const name of fs.readdirSync(from)) {
    if (fs.statSync(path.join(from, name)).isFile()) {
      fs.copyFileSync(path.join(from, name), path.join(to, name))
    }
  }
}

/** Runs `taro build --type <type>` in `cwd`; throws with the build's output when it fails. */
export function taroBuild(cwd, type, env = {}) {
  const taro = path.join(root, 'node_modules', '.bin', 'taro')
  const started = Date.now()
  const res = spawnSync(taro, ['build', '--type', type], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  const out = `${res.stdout ?? ''}${res.stderr ?? ''}`
  if (res.status !== 0 || /Compiled with (some )?errors|✖ Errors/.test(out)) {
    throw new Error(
      `taro build --type ${type} in ${path.relative(root, cwd) || '.'} failed:\n${out.slice(-4000)}`,
    )
  }
  return Date.now() - started
}

/** Builds the bare app for the given platforms into bench/bare-taro/dist and dist-h5. */
export function buildBare(types = ['weapp', 'h5']) {
  syncBareConfig()
  for (const type of types) {
    const ms = taroBuild(bareDir, type)
    console.log(`bare Taro ${type} built in ${(ms / 1000).toFixed(1)} s`)
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const types = process.argv.slice(2)
  buildBare(types.length ? types : undefined)
}
