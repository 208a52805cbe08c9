import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { DIST_DIR } from './support/driver'
import { PACKAGE_WARN_BYTES, SHIPPED_ECMA_VERSION, WeappBuild, syntaxError } from './support/bundle'

// The shipped weapp folder as WeChat receives it: complete, compilable by WeChat's own
// compilers, within the size limits, and parseable by the oldest engines the build targets.

const build = new WeappBuild(DIST_DIR)

test('every page of app.json has its .js, .wxml, .wxss and .json', () => {
  const missing = build
    .pages()
    .flatMap(({ page }) =>
      ['.js', '.wxml', '.wxss', '.json']
        .map((ext) => page + ext)
        .filter((f) => !build.files.includes(f)),
    )
  assert.deepEqual(missing, [])
  assert.ok(build.pages().length >= 30, `${build.pages().length} pages`)
  for (const tab of build.appJson.tabBar?.list ?? []) {
    assert.ok(build.appJson.pages.includes(tab.pagePath), `tab ${tab.pagePath} in the main package`)
  }
})

test('every relative require() resolves inside its own package or the main one', () => {
  assert.deepEqual(build.badRequires(), [])
})

test('WeChat’s wcc and wcsc compile every package', () => {
  for (const pkg of build.packages) {
    const wxml = build.compileWxml(pkg)
    assert.match(wxml, /\$gwx/, `wcc output for ${pkg}`)
    const wxss = build.compileWxss(pkg)
    assert.ok(Object.keys(wxss).length > 0, `wcsc output for ${pkg}`)
  }
})

test('wcc and wcsc reject broken WXML and WXSS (the check can fail)', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'weapp-broken-'))
  try {
    fs.writeFileSync(path.join(scratch, 'app.json'), JSON.stringify({ pages: ['index'] }))
    fs.writeFileSync(path.join(scratch, 'index.wxml'), '<view><text>未闭合</view>')
    fs.writeFileSync(path.join(scratch, 'index.wxss'), '.a { color: red; }\n}')
    const broken = new WeappBuild(scratch)
    assert.throws(() => broken.compileWxml('main'), /index\.wxml:1:23: expect end-tag `text`/)
    assert.throws(() => broken.compileWxss('main'), /index\.wxss/)
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true })
  }
})

test('every package is under 1.5 MB (DevTools warns above it)', () => {
  const sizes = Object.fromEntries(build.packages.map((p) => [p, build.packageBytes(p)]))
  const over = Object.entries(sizes).filter(([, bytes]) => bytes >= PACKAGE_WARN_BYTES)
  assert.deepEqual(over, [], JSON.stringify(sizes))
})

test(`every shipped .js parses as ES${SHIPPED_ECMA_VERSION} (no ?., ??, class fields…)`, () => {
  const js = build.files.filter((f) => f.endsWith('.js'))
  assert.ok(js.length > 50, `${js.length} files`)
  const failing = js
    .map((f) => [f, syntaxError(fs.readFileSync(path.join(build.dir, f), 'utf8'))] as const)
    .filter(([, error]) => error !== null)
  assert.deepEqual(failing, [])
})

test('the syntax check refuses what old engines cannot parse', () => {
  for (const modern of [
    'a?.b',
    'a ?? b',
    'class A { x = 1 }',
    'try {} catch {}',
    'const o = { ...p }',
    'a ||= b',
  ]) {
    assert.notEqual(syntaxError(modern), null, modern)
  }
  assert.equal(syntaxError('async function f() { const [a] = await g(); return `${a}` }'), null)
})
