import fs from 'node:fs'
import path from 'node:path'
import type { Navigator } from './wx'

/**
 * What the WeChat base library does with the bundle, in Node: `App()`/`Page()` capture the
 * objects Taro builds; pages are instances of those objects with a `setData` that applies Taro's
 * path keys (`root.cn.[0].cn.[2].v`) to a plain `data` object; the page stack follows WeChat's
 * rules for navigateTo, redirectTo, switchTab, reLaunch and navigateBack, running the lifecycle
 * hooks in WeChat's order. Rendering is not done here (see render.ts).
 */

/** The `app.json` fields the runtime needs. */
export interface AppJson {
  pages: string[]
  subPackages?: Array<{ root: string; pages: string[] }>
  tabBar?: { list: Array<{ pagePath: string; text: string }> }
}

type Hook = (this: PageInstance, ...args: unknown[]) => unknown

/** The object a page bundle passed to `Page()` (Taro's createPageConfig). */
export type PageConfig = Record<string, unknown> & { data?: Record<string, unknown> }

/** One live page, as WeChat creates it from its config. */
export interface PageInstance {
  route: string
  __route__: string
  /** The query the page was opened with. */
  options: Record<string, string>
  data: Record<string, unknown>
  setData(data: Record<string, unknown>, callback?: () => void): void
  [key: string]: unknown
}

/** Applies one `setData` key such as `root.cn.[0].cn.[2].v` (or `a[1].b`) to `target`. */
export function applyDataPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
  let node: Record<string, unknown> = target
  for (let i = 0; i < parts.length - 1; i++) {
    const next = node[parts[i]]
    if (next === undefined || next === null || typeof next !== 'object') {
      node[parts[i]] = /^\d+$/.test(parts[i + 1]) ? [] : {}
    }
    node = node[parts[i]] as Record<string, unknown>
  }
  node[parts[parts.length - 1]] = value
}

/** `/packages/mall/pages/item?id=3` → route `packages/mall/pages/item`, query `{ id: '3' }`. */
export function parseUrl(url: string): { route: string; query: Record<string, string> } {
  const [pathPart, search = ''] = url.split('?')
  const route = pathPart.replace(/^\/+/, '')
  return { route, query: Object.fromEntries(new URLSearchParams(search)) }
}

/** WeChat's limit on the page stack. */
const MAX_STACK = 10

/** The running mini-program: its `App` object and its page stack. */
export class MiniProgram implements Navigator {
  readonly appJson: AppJson
  /** Every page route of the app (main package and subpackages). */
  readonly routes: Set<string>
  readonly tabRoutes: Set<string>
  /** The pages on screen and below it, bottom first (WeChat's `getCurrentPages()`). */
  readonly stack: PageInstance[] = []
  /** Tab pages stay alive once opened, whichever page is on top. */
  private readonly tabPages = new Map<string, PageInstance>()
  private readonly configs = new Map<string, PageConfig>()
  private app: Record<string, unknown> | null = null
  private captured: PageConfig | null = null
  /** Count of `setData` calls on every page, to tell when the app has settled. */
  setDataCalls = 0

  constructor(readonly distDir: string) {
    this.appJson = JSON.parse(fs.readFileSync(path.join(distDir, 'app.json'), 'utf8')) as AppJson
    this.routes = new Set(this.appJson.pages)
    for (const sub of this.appJson.subPackages ?? []) {
      for (const p of sub.pages) this.routes.add(path.posix.join(sub.root, p))
    }
    this.tabRoutes = new Set((this.appJson.tabBar?.list ?? []).map((t) => t.pagePath))
  }

  /** Sets `App`, `Page`, `getApp`, `getCurrentPages` and `__wxConfig` as the base library does. */
  installGlobals(): void {
    const g = globalThis as unknown as Record<string, unknown>
    g.App = (config: Record<string, unknown>) => {
      this.app = config
    }
    g.Page = (config: PageConfig) => {
      this.captured = config
    }
    g.getApp = () => this.app
    g.getCurrentPages = () => [...this.stack]
    g.requirePlugin = () => ({})
    g.__wxConfig = {
      envVersion: 'develop',
      platform: 'devtools',
      pages: [...this.routes],
      tabBar: this.appJson.tabBar,
      global: { window: {} },
    }
  }

  /** Runs dist/app.js and the app's onLaunch/onShow for a launch on `route`. */
  launch(route: string, query: Record<string, string> = {}): void {
    require(path.join(this.distDir, 'app.js'))
    const app = this.app
    if (!app) throw new Error('dist/app.js did not call App()')
    const options = { path: route, query, scene: 1001, referrerInfo: {} }
    this.callHook(app, 'onLaunch', options)
    this.callHook(app, 'onShow', options)
  }

  /** The page on top of the stack. */
  get top(): PageInstance {
    const page = this.stack.at(-1)
    if (!page) throw new Error('no page is open')
    return page
  }

  private callHook(target: Record<string, unknown>, name: string, ...args: unknown[]): unknown {
    const hook = target[name]
    return typeof hook === 'function'
      ? (hook as Hook).apply(target as PageInstance, args)
      : undefined
  }

  private pageConfig(route: string): PageConfig {
    const cached = this.configs.get(route)
    if (cached) return cached
    this.captured = null
    require(path.join(this.distDir, `${route}.js`))
    const config = this.captured as PageConfig | null
    if (!config) throw new Error(`${route}.js did not call Page()`)
    this.configs.set(route, config)
    return config
  }

  /** Creates a page from its config, the way WeChat does: a copy of `data`, the methods shared. */
  private createPage(route: string, query: Record<string, string>): PageInstance {
    const config = this.pageConfig(route)
    const page = Object.create(config) as PageInstance
    Object.assign(page, {
      route,
      __route__: route,
      options: query,
      data: structuredClone(config.data ?? {}),
      setData: (data: Record<string, unknown>, callback?: () => void) => {
        this.setDataCalls++
        for (const [key, value] of Object.entries(data)) applyDataPath(page.data, key, value)
        if (callback) setTimeout(callback)
      },
      selectComponent: () => null,
      selectAllComponents: () => [],
      getTabBar: () => null,
      createSelectorQuery: () =>
        (
          globalThis as unknown as { wx: { createSelectorQuery(): unknown } }
        ).wx.createSelectorQuery(),
    })
    return page
  }

  private check(url: string): { route: string; query: Record<string, string> } {
    const target = parseUrl(url)
    if (!this.routes.has(target.route)) throw new Error(`page "${target.route}" is not found`)
    return target
  }

  private open(route: string, query: Record<string, string>): PageInstance {
    const page = this.createPage(route, query)
    this.stack.push(page)
    this.callHook(page, 'onLoad', query)
    this.callHook(page, 'onShow')
    this.callHook(page, 'onReady')
    return page
  }

  private unload(page: PageInstance): void {
    this.callHook(page, 'onUnload')
    if (this.tabPages.get(page.route) === page) this.tabPages.delete(page.route)
  }

  /** Empties the stack: other pages unload, tab pages stay alive (the one on top hides). */
  private clearStack(): void {
    const top = this.stack.at(-1)
    while (this.stack.length) {
      const page = this.stack.pop() as PageInstance
      if (!this.tabRoutes.has(page.route)) this.unload(page)
      else if (page === top) this.callHook(page, 'onHide')
    }
  }

  async navigateTo(url: string): Promise<void> {
    const { route, query } = this.check(url)
    if (this.tabRoutes.has(route)) throw new Error('can not navigateTo a tabbar page')
    if (this.stack.length >= MAX_STACK) throw new Error('webview count limit exceed')
    if (this.stack.length) this.callHook(this.top, 'onHide')
    this.open(route, query)
  }

  async redirectTo(url: string): Promise<void> {
    const { route, query } = this.check(url)
    if (this.tabRoutes.has(route)) throw new Error('can not redirectTo a tabbar page')
    const old = this.stack.pop()
    if (old) this.unload(old)
    this.open(route, query)
  }

  async reLaunch(url: string): Promise<void> {
    const { route, query } = this.check(url)
    while (this.stack.length) this.unload(this.stack.pop() as PageInstance)
    for (const page of this.tabPages.values()) this.unload(page)
    this.tabPages.clear()
    const page = this.open(route, query)
    if (this.tabRoutes.has(route)) this.tabPages.set(route, page)
  }

  async switchTab(url: string): Promise<void> {
    const { route } = this.check(url)
    if (!this.tabRoutes.has(route))
      throw new Error('can not switchTab to a page outside the tabbar')
    this.clearStack()
    const alive = this.tabPages.get(route)
    if (alive) {
      this.stack.push(alive)
      this.callHook(alive, 'onShow')
      return
    }
    this.tabPages.set(route, this.open(route, {}))
  }

  async navigateBack(delta: number): Promise<void> {
    if (this.stack.length <= 1) throw new Error('cannot navigate back at first page')
    const count = Math.min(Math.max(delta, 1), this.stack.length - 1)
    for (let i = 0; i < count; i++) this.unload(this.stack.pop() as PageInstance)
    this.callHook(this.top, 'onShow')
  }

  /** The person leaves the mini-program for good: every page unloads (and stops its timers). */
  exit(): void {
    while (this.stack.length) this.unload(this.stack.pop() as PageInstance)
    for (const page of this.tabPages.values()) this.unload(page)
    this.tabPages.clear()
  }

  /** Pull-down on the page on top, as the person drags the list down. */
  pullDownRefresh(): void {
    this.callHook(this.top, 'onPullDownRefresh')
  }

  /** The event handler (`eh`) of the page on top: Taro's, shared by every page. */
  dispatchToTop(event: unknown): void {
    this.callHook(this.top, 'eh', event)
  }
}
