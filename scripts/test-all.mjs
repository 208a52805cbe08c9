// `npm test`: lint, type check, unit, component, API, end-to-end and weapp suites, one after another,
// then one closing line with the totals. Exits non-zero when any step fails.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

const steps = [
  { name: 'lint', script: 'lint' },
  { name: 'typecheck', script: 'typecheck' },
  { name: 'unit', script: 'test:unit', counts: 'node' },
  { name: 'component', script: 'test:component', counts: 'jest' },
  { name: 'api', script: 'test:api', counts: 'node' },
  { name: 'build h5', script: 'build:h5' },
  // Every member page at 390 px, standard and 长辈版: contrast, names, font and tap sizes, overflow.
  { name: 'a11y', script: 'audit:a11y' },
  { name: 'e2e', script: 'test:e2e', counts: 'node' },
  // Builds weapp only when dist/ is missing or older than src/ (scripts/test-weapp.mjs).
  { name: 'weapp', script: 'test:weapp', counts: 'node' },
]

function runStep(step) {
  return new Promise((resolve) => {
    const started = Date.now()
    let out = ''
    const child = spawn(npm, ['run', '--silent', step.script], { cwd: root, env: process.env })
    child.stdout.on('data', (d) => {
      process.stdout.write(d)
      out += d
    })
    child.stderr.on('data', (d) => {
      process.stderr.write(d)
      out += d
    })
    child.on('exit', (code) =>
      resolve({ code: code ?? 1, out, seconds: (Date.now() - started) / 1000 }),
    )
  })
}

function parseCounts(kind, out) {
  if (kind === 'node') {
    const pass = [...out.matchAll(/^# pass (\d+)/gm)].reduce((a, m) => a + Number(m[1]), 0)
    const fail = [...out.matchAll(/^# fail (\d+)/gm)].reduce((a, m) => a + Number(m[1]), 0)
    const skipped = [...out.matchAll(/^# skipped (\d+)/gm)].reduce((a, m) => a + Number(m[1]), 0)
    return { pass, fail, skipped }
  }
  const line = /Tests:\s+(.*)/.exec(out)?.[1] ?? ''
  const n = (w) => Number(new RegExp(`(\\d+) ${w}`).exec(line)?.[1] ?? 0)
  return { pass: n('passed'), fail: n('failed'), skipped: n('skipped') }
}

const results = []
let failed = false
for (const step of steps) {
  console.log(`\n━━ ${step.name} ━━`)
  const r = await runStep(step)
  const counts = step.counts ? parseCounts(step.counts, r.out) : null
  results.push({ ...step, ...r, counts })
  if (r.code !== 0) {
    failed = true
    console.error(`\n✗ ${step.name} failed (exit ${r.code})`)
    break
  }
}

const total = { pass: 0, fail: 0, skipped: 0 }
console.log('\n━━ summary ━━')
for (const r of results) {
  const c = r.counts
  if (c) for (const k of Object.keys(total)) total[k] += c[k]
  const what = c
    ? `${c.pass} passed, ${c.fail} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`
    : 'ok'
  console.log(
    `${r.code === 0 ? '✓' : '✗'} ${r.name.padEnd(10)} ${what.padEnd(32)} ${r.seconds.toFixed(1)} s`,
  )
}
if (failed && total.fail === 0) total.fail = 1
console.log(
  `${total.pass} passed, ${total.fail} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`,
)
process.exit(failed ? 1 : 0)
