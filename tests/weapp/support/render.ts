import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * Renders a page's data through the page's real WXML — Taro's base.wxml templates and utils.wxs,
 * compiled by WeChat's wcc — with miniprogram-simulate/j-component into jsdom.
 *
 * A page bundle calls `Page()`, which j-component cannot host, so a scratch copy of dist/ gets a
 * shell component beside every page (`<page>.harness.*`: the page's own WXML and JSON, a component
 * whose `eh` hands events to the harness). Taro's recursive `comp`, which renders nesting deeper
 * than base.wxml's levels, gets the same stand-in behaviour: its real WXML with an `eh` that goes
 * to the harness (its real JS would register Taro's runtime a second time).
 */

const SHELL = 'harness'

/** A rendered custom component (j-component), as much of it as the harness uses. */
export interface SimulatedComponent {
  /** Its DOM node in jsdom. */
  readonly dom: Element
  attach(parent: Element): void
  setData(data: Record<string, unknown>): void
}

/**
 * The part of miniprogram-simulate the harness uses. (Its own typings pull in the WeChat API
 * typings, whose global `require` clashes with Node's, so they stay out of the type check.)
 */
interface Simulate {
  load(
    componentPath: string,
    tagName: string,
    options: { rootPath: string; compiler: 'official' },
  ): string
  render(id: string): SimulatedComponent
}

/** Global the shells' `eh` calls; set by the driver. */
export interface HarnessHook {
  eh(event: unknown): void
}

declare global {
  // eslint-disable-next-line no-var -- a global binding, as `globalThis.__weappHarness`
  var __weappHarness: HarnessHook | undefined
}

const shellJs = `Component({
  data: { root: { cn: [] } },
  methods: { eh(e) { globalThis.__weappHarness.eh(e) } },
})
`

const compJs = `Component({
  properties: { i: { type: Object, value: {} }, l: { type: String, value: '' } },
  options: { virtualHost: true },
  methods: { eh(e) { globalThis.__weappHarness.eh(e) } },
})
`

export class Renderer {
  /** The scratch copy of dist/ with the shells. */
  readonly root: string
  private readonly ids = new Map<string, string>()
  private readonly parent: Element

  constructor(distDir: string, routes: Iterable<string>) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'weapp-render-'))
    fs.cpSync(distDir, this.root, { recursive: true })
    for (const route of routes) {
      const base = path.join(this.root, route)
      const json = JSON.parse(fs.readFileSync(`${base}.json`, 'utf8')) as Record<string, unknown>
      fs.writeFileSync(`${base}.${SHELL}.json`, JSON.stringify({ ...json, component: true }))
      fs.copyFileSync(`${base}.wxml`, `${base}.${SHELL}.wxml`)
      fs.writeFileSync(`${base}.${SHELL}.js`, shellJs)
    }
    fs.writeFileSync(path.join(this.root, 'comp.js'), compJs)
    this.parent = document.createElement('weapp-screen')
    document.body.appendChild(this.parent)
  }

  /** A fresh rendering of `route` (one per page instance), attached to the document. */
  mount(route: string): SimulatedComponent {
    // Loaded after the DOM globals exist (it registers WeChat's built-in components at load).
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const simulate = require('miniprogram-simulate') as Simulate
    let id = this.ids.get(route)
    if (!id) {
      id = simulate.load(path.join(this.root, `${route}.${SHELL}`), 'page', {
        rootPath: this.root,
        compiler: 'official',
      })
      this.ids.set(route, id)
    }
    const component = simulate.render(id)
    component.attach(this.parent)
    return component
  }

  dispose(): void {
    this.parent.remove()
    fs.rmSync(this.root, { recursive: true, force: true })
  }
}
