import fs from 'node:fs'
import path from 'node:path'
import * as acorn from 'acorn'
import type { AppJson } from './runtime'

/**
 * Facts about a built weapp folder (dist/): its packages, their files and sizes, WeChat's own
 * compilers over them, and whether the shipped JavaScript parses for old engines.
 */

/** WeChat DevTools warns above this per package (the hard limit is 2 MB). */
export const PACKAGE_WARN_BYTES = 1.5 * 1024 * 1024

/** The newest syntax the shipped JS may use (see `weappTargets` in config/index.ts). */
export const SHIPPED_ECMA_VERSION = 2017

/** `main` or a subpackage root such as `packages/mall`. */
export type PackageName = string

export class WeappBuild {
  readonly appJson: AppJson & { subPackages?: Array<{ root: string; pages: string[] }> }
  /** Every file, relative with `/`. */
  readonly files: string[]
  readonly packages: PackageName[]

  constructor(readonly dir: string) {
    this.appJson = JSON.parse(fs.readFileSync(path.join(dir, 'app.json'), 'utf8')) as AppJson
    this.files = listFiles(dir)
    this.packages = ['main', ...(this.appJson.subPackages ?? []).map((s) => trimSlash(s.root))]
  }

  /** Every page with its package, e.g. `{ page: 'packages/mall/pages/item', pkg: 'packages/mall' }`. */
  pages(): Array<{ page: string; pkg: PackageName }> {
    return [
      ...this.appJson.pages.map((page) => ({ page, pkg: 'main' })),
      ...(this.appJson.subPackages ?? []).flatMap((s) =>
        s.pages.map((p) => ({ page: path.posix.join(s.root, p), pkg: trimSlash(s.root) })),
      ),
    ]
  }

  packageOf(file: string): PackageName {
    return this.packages.find((p) => p !== 'main' && file.startsWith(`${p}/`)) ?? 'main'
  }

  /** Files WeChat uploads in `pkg` (source maps and licence notes stay behind). */
  shippedFiles(pkg: PackageName): string[] {
    return this.files.filter(
      (f) =>
        this.packageOf(f) === pkg &&
        !f.endsWith('.map') &&
        !f.endsWith('.LICENSE.txt') &&
        f !== 'project.config.json',
    )
  }

  /** Bytes WeChat uploads for `pkg`. */
  packageBytes(pkg: PackageName): number {
    return this.shippedFiles(pkg).reduce((n, f) => n + fs.statSync(path.join(this.dir, f)).size, 0)
  }

  /** Files of `ext` a package's pages can use: its own and the main package's. */
  private visible(pkg: PackageName, ext: string): string[] {
    return this.files.filter((f) => {
      const owner = this.packageOf(f)
      return f.endsWith(ext) && (owner === pkg || owner === 'main')
    })
  }

  /** WeChat's wcc over the package's WXML and WXS (as DevTools compiles one package); throws on an error. */
  compileWxml(pkg: PackageName): string {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const wcc = require('miniprogram-compiler/src/wcc') as (
      root: string,
      files: string[],
      wxs: string[],
      opts: { maxBuffer: number },
    ) => string
    const wxml = this.visible(pkg, '.wxml').map((f) => f.slice(0, -'.wxml'.length))
    return wcc(this.dir, wxml, this.visible(pkg, '.wxs'), { maxBuffer: 64 * 1024 * 1024 })
  }

  /** WeChat's wcsc over the package's WXSS; throws on an error. */
  compileWxss(pkg: PackageName): Record<string, string> {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const wcsc = require('miniprogram-compiler/src/wcsc') as (
      root: string,
      files: string[],
      opts: { maxBuffer: number },
    ) => Record<string, string> | Error
    const wxss = this.visible(pkg, '.wxss').map((f) => f.slice(0, -'.wxss'.length))
    const result = wcsc(this.dir, wxss, { maxBuffer: 64 * 1024 * 1024 })
    if (result instanceof Error) throw result
    return result
  }

  /**
   * Relative `require()` targets of every JS file that are missing, or that reach into another
   * subpackage (WeChat loads a subpackage's files only with that subpackage).
   */
  badRequires(): string[] {
    const problems: string[] = []
    for (const f of this.files.filter((x) => x.endsWith('.js'))) {
      const text = fs.readFileSync(path.join(this.dir, f), 'utf8')
      for (const m of text.matchAll(/\brequire\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g)) {
        let target = path.posix.join(path.posix.dirname(f), m[1])
        if (!target.endsWith('.js')) target += '.js'
        const owner = this.packageOf(target)
        if (!this.files.includes(target)) problems.push(`${f}: require("${m[1]}") is missing`)
        else if (owner !== 'main' && owner !== this.packageOf(f))
          problems.push(`${f} requires ${target} of subpackage ${owner}`)
      }
    }
    return problems
  }
}

/** Why `source` does not parse as a script of `ecmaVersion`, or null when it does. */
export function syntaxError(
  source: string,
  ecmaVersion: acorn.ecmaVersion = SHIPPED_ECMA_VERSION,
): string | null {
  try {
    acorn.parse(source, { ecmaVersion, sourceType: 'script' })
    return null
  } catch (e) {
    const { message, pos } = e as SyntaxError & { pos?: number }
    const near =
      pos === undefined ? '' : `, near "${source.slice(Math.max(0, pos - 30), pos + 30)}"`
    return `${message}${near}`
  }
}

function listFiles(dir: string, base = dir, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) listFiles(full, base, out)
    else out.push(path.relative(base, full).split(path.sep).join('/'))
  }
  return out
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '')
}
