import path from 'node:path'
import { installDom } from './dom'
import { Renderer, type SimulatedComponent } from './render'
import { MiniProgram, type PageInstance } from './runtime'
import { createWx, type WechatAnswers, type WxLog, type WxMock } from './wx'

/** dist/ of the repository (the weapp build). */
export const DIST_DIR = path.resolve(__dirname, '../../../dist')

/** How long `settle`/`waitFor` wait before they give up (a bound, never a measured figure). */
const GIVE_UP_MS = 30_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim()

/**
 * What a test can ask for on the screen: a piece of text or a pattern (the innermost elements
 * showing it), a CSS selector over the rendered tags (`wx-button`, `wx-input`…), a class name as
 * the source wrote it (with `text`: only elements holding an element whose whole text is that),
 * an input's placeholder, or the button whose whole text is `button`. Every lookup can be
 * narrowed to the inside of one element (`within`).
 */
export type Target =
  | string
  | RegExp
  | { selector: string }
  | { className: string; text?: string }
  | { placeholder: string }
  | { button: string }

/** A WXML attribute of a rendered element, by its camelCase name (`openType`, `disabled`…). */
export function attributeOf(element: Element, name: string): unknown {
  const vt = (element as Element & { __wxElement?: { _vt?: { attrs?: WxmlAttr[] } } }).__wxElement
    ?._vt
  return vt?.attrs?.find((a) => a.name === name)?.value
}
type WxmlAttr = { name: string; value: unknown }

/** The part of WeChat's component framework (exparser, as j-component runs it) the driver uses. */
interface Exparser {
  Event: {
    create(name: string, detail: unknown, options: Record<string, unknown>): unknown
    dispatchEvent(target: unknown, event: unknown): void
  }
}

const describe = (target: Target): string =>
  typeof target === 'string' || target instanceof RegExp ? String(target) : JSON.stringify(target)

export interface LaunchOptions {
  /** Origin of the test server, e.g. `http://127.0.0.1:40123`. */
  apiOrigin: string
  /** A session the app finds in storage (`union-session`), as if signed in before. */
  session?: unknown
  /** First page; app.json's first page by default. */
  url?: string
  distDir?: string
}

/**
 * One launch of the built mini-program, driven like a person would: read what the page on top
 * shows, tap on text, type into inputs, pull down to refresh. Every action waits until the app
 * has settled (no request in flight, no `setData` for a few turns) and re-renders the page.
 * Exceptions and `console.error` from the bundle fail the next action.
 */
export class Weapp {
  readonly answers: WechatAnswers
  readonly log: WxLog
  readonly storage: Map<string, string>
  readonly files: WxMock['files']
  private reported = 0
  /** What waits for the person's answer on the app's privacy prompt (the phone-number sheet). */
  private afterPrivacy: Promise<void> | null = null
  private readonly renderings = new WeakMap<PageInstance, SimulatedComponent>()

  private constructor(
    private readonly program: MiniProgram,
    private readonly mock: WxMock,
    private readonly renderer: Renderer,
    private readonly restore: () => void,
    /** Errors the bundle raised or logged; the next action throws when one is new. */
    readonly errors: string[],
  ) {
    this.answers = mock.answers
    this.log = mock.log
    this.storage = mock.storage
    this.files = mock.files
  }

  /** Launches dist/ once per process (the bundle registers Taro's runtime globally). */
  static async launch(opts: LaunchOptions): Promise<Weapp> {
    const g = globalThis as unknown as Record<string, unknown>
    if (g.__weappLaunched) throw new Error('the weapp bundle can be launched once per process')
    g.__weappLaunched = true
    installDom()
    const distDir = opts.distDir ?? DIST_DIR
    const program = new MiniProgram(distDir)
    require('miniprogram-simulate') // registers WeChat's built-in components, sets a base `wx`
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const base = require('miniprogram-simulate/src/api') as Record<string, unknown>
    const mock = createWx(base, opts.apiOrigin, program)
    g.wx = mock.wx
    program.installGlobals()
    const renderer = new Renderer(distDir, program.routes)

    const errors: string[] = []
    const onError = (e: unknown) =>
      errors.push(e instanceof Error ? (e.stack ?? e.message) : JSON.stringify(e))
    const consoleError = console.error
    console.error = (...args: unknown[]) => errors.push(args.map(String).join(' '))
    process.on('uncaughtException', onError)
    process.on('unhandledRejection', onError)
    const restore = () => {
      console.error = consoleError
      process.off('uncaughtException', onError)
      process.off('unhandledRejection', onError)
    }

    const weapp = new Weapp(program, mock, renderer, restore, errors)
    globalThis.__weappHarness = { eh: (event) => program.dispatchToTop(event) }
    if (opts.session !== undefined) mock.storage.set('union-session', JSON.stringify(opts.session))

    const url = opts.url ?? `/${program.appJson.pages[0]}`
    const route = url.replace(/^\/+/, '').split('?')[0]
    program.launch(route)
    if (program.tabRoutes.has(route)) await program.switchTab(url)
    else await program.reLaunch(url)
    await weapp.settle()
    return weapp
  }

  /** Route of the page on top, e.g. `pages/home/index`. */
  get route(): string {
    return this.program.stack.at(-1)?.route ?? '(no page)'
  }

  /** Routes of the page stack, bottom first. */
  get stack(): string[] {
    return this.program.stack.map((p) => p.route)
  }

  /**
   * Waits until nothing is in flight (requests, WeChat callbacks) and no `setData` happened for
   * a few turns of the event loop.
   */
  async settle(): Promise<void> {
    const deadline = Date.now() + GIVE_UP_MS
    let seen = -1
    let quiet = 0
    while (quiet < 4) {
      if (Date.now() > deadline) throw new Error(`the app did not settle on ${this.route}`)
      await sleep(5)
      if (this.mock.pending() > 0 || this.program.setDataCalls !== seen) {
        seen = this.program.setDataCalls
        quiet = 0
      } else {
        quiet++
      }
    }
    this.throwNewErrors()
  }

  private throwNewErrors(): void {
    if (this.errors.length > this.reported) {
      const fresh = this.errors.slice(this.reported)
      this.reported = this.errors.length
      throw new Error(`the bundle reported errors on ${this.route}:\n${fresh.join('\n')}`)
    }
  }

  /** The page on top, rendered through its WXML with its current data. */
  render(): Element {
    const page = this.program.top
    let rendering = this.renderings.get(page)
    if (!rendering) {
      rendering = this.renderer.mount(page.route)
      this.renderings.set(page, rendering)
    }
    rendering.setData({ root: structuredClone(page.data.root ?? { cn: [] }) })
    return rendering.dom
  }

  /** All text the page on top shows, whitespace squashed. */
  text(): string {
    return squash(this.render().textContent)
  }

  /** Texts of every element matching `target` on the page on top. */
  textsOf(target: Target, within?: Target): string[] {
    return this.findAll(target, within).map((e) => squash(e.textContent))
  }

  /** The text of the one element matching `target`. */
  textOf(target: Target, within?: Target): string {
    return squash(this.find(target, within).textContent)
  }

  /** Whether `target` is on the page on top. */
  has(target: Target, within?: Target): boolean {
    return this.findAll(target, within).length > 0
  }

  /**
   * Elements matching `target`: for text, the innermost elements whose text contains it (those
   * whose whole text equals it when there are such); otherwise every match.
   */
  findAll(target: Target, within?: Target): Element[] {
    const scope = within ? this.find(within) : this.render()
    const all = [...scope.querySelectorAll('*')]
    if (typeof target === 'object' && 'selector' in target) {
      return [...scope.querySelectorAll(target.selector)]
    }
    if (typeof target === 'object' && 'button' in target) {
      return all.filter((e) => e.tagName === 'WX-BUTTON' && squash(e.textContent) === target.button)
    }
    if (typeof target === 'object' && 'className' in target) {
      const { className, text } = target
      return all.filter(
        (e) =>
          String(attributeOf(e, 'class') ?? '')
            .split(/\s+/)
            .includes(className) &&
          (text === undefined ||
            [e, ...e.querySelectorAll('*')].some((d) => squash(d.textContent) === text)),
      )
    }
    if (typeof target === 'object' && 'placeholder' in target) {
      return all.filter((e) => attributeOf(e, 'placeholder') === target.placeholder)
    }
    const matches = (e: Element) => {
      const t = squash(e.textContent)
      return typeof target === 'string' ? t.includes(target) : target.test(t)
    }
    const innermost = all.filter((e) => matches(e) && ![...e.children].some(matches))
    const exact = innermost.filter((e) =>
      typeof target === 'string' ? squash(e.textContent) === target : true,
    )
    return exact.length ? exact : innermost
  }

  /** The one element matching `target` (throws when none or several match). */
  find(target: Target, within?: Target): Element {
    const found = this.findAll(target, within)
    const where = `${this.route}${within ? ` within ${describe(within)}` : ''}`
    if (found.length === 0) {
      throw new Error(`nothing matches ${describe(target)} on ${where}; it shows: ${this.text()}`)
    }
    if (found.length > 1) {
      throw new Error(
        `${found.length} elements match ${describe(target)} on ${where}: ${found
          .map((e) => `<${e.tagName.toLowerCase()}> ${squash(e.textContent).slice(0, 40)}`)
          .join(' | ')}`,
      )
    }
    return found[0]
  }

  /** Sends a WeChat event of `type` from `element`, bubbling as WeChat's do, then settles. */
  async dispatch(element: Element, type: string, detail: Record<string, unknown> = {}) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const exparser = require('miniprogram-exparser') as Exparser
    const node = (element as Element & { __wxElement?: unknown }).__wxElement
    if (!node) throw new Error(`<${element.tagName.toLowerCase()}> is not a WeChat element`)
    exparser.Event.dispatchEvent(
      node,
      exparser.Event.create(type, detail, {
        originalEvent: new CustomEvent(type),
        bubbles: true,
        capturePhase: true,
        composed: true,
        extraFields: { touches: {}, changedTouches: {} },
      }),
    )
    await this.settle()
  }

  /**
   * Taps what shows `target`, as a finger would; refuses a disabled button. A button that opens
   * WeChat's phone-number sheet then gets WeChat's answer (`answers.phoneCode`).
   */
  async tap(target: Target, within?: Target): Promise<void> {
    const element = this.find(target, within)
    const button = element.closest('wx-button')
    if (button && attributeOf(button, 'disabled') === true) {
      throw new Error(`the button "${squash(button.textContent)}" is disabled on ${this.route}`)
    }
    await this.dispatch(element, 'tap', { x: 1, y: 1 })
    const openType = button ? attributeOf(button, 'openType') : undefined
    if (button && openType === 'agreePrivacyAuthorization') {
      // WeChat notes the tap on its agree button, then tells the page.
      this.mock.tapAgreeButton(String(attributeOf(button, 'id') ?? ''))
      await this.dispatch(button, 'agreeprivacyauthorization', {})
    }
    if (button && openType === 'getPhoneNumber') {
      // WeChat asks for the 用户隐私保护指引 first (once); refused, the sheet never opens.
      const phoneButton = button
      const sheet = this.mock.privacyCheck('getPhoneNumber').then(async (agreed) => {
        await this.settle()
        const code = this.answers.phoneCode
        await this.dispatch(
          phoneButton,
          'getphonenumber',
          !agreed
            ? { errMsg: 'getPhoneNumber:fail privacy permission is not authorized', errno: 104 }
            : code === null
              ? { errMsg: 'getPhoneNumber:fail user deny' }
              : { errMsg: 'getPhoneNumber:ok', code },
        )
      })
      await this.settle()
      // The app's privacy prompt is on screen: the sheet opens after the person answers it.
      if (this.mock.privacyWaiting()) this.afterPrivacy = sheet
      else await sheet
    }
    // The person answered the privacy prompt: what waited for it goes on now.
    if (this.afterPrivacy && !this.mock.privacyWaiting()) {
      const after = this.afterPrivacy
      this.afterPrivacy = null
      await after
    }
  }

  /** Types `value` into the input or textarea found by its placeholder (or another target). */
  async type(field: string | Target, value: string): Promise<void> {
    const element = this.find(typeof field === 'string' ? { placeholder: field } : field)
    await this.dispatch(element, 'input', { value, cursor: value.length, keyCode: 0 })
  }

  /** The value an input shows (its `value` attribute, as Taro last set it). */
  valueOf(field: string | Target): string {
    const element = this.find(typeof field === 'string' ? { placeholder: field } : field)
    return String(attributeOf(element, 'value') ?? '')
  }

  /**
   * Opens the picker that shows `target` and chooses the entry labelled `label` in WeChat's
   * native wheel (a selector picker: the change event carries the entry's index).
   */
  async choose(target: Target, label: string): Promise<void> {
    const picker = this.find(target).closest('wx-picker')
    if (!picker) throw new Error(`${describe(target)} is not inside a picker on ${this.route}`)
    const range = attributeOf(picker, 'range')
    const index = Array.isArray(range) ? range.map(String).indexOf(label) : -1
    if (index < 0) throw new Error(`the picker has no "${label}": ${JSON.stringify(range)}`)
    await this.dispatch(picker, 'tap', { x: 1, y: 1 })
    await this.dispatch(picker, 'change', { value: index })
  }

  /** Turns the switch found by `target` on or off. */
  async toggle(target: Target, on: boolean): Promise<void> {
    await this.dispatch(this.find(target), 'change', { value: on })
  }

  /** Taps the tab bar item labelled `text` (WeChat draws the tab bar itself). */
  async tapTab(text: string): Promise<void> {
    const item = (this.program.appJson.tabBar?.list ?? []).find((t) => t.text === text)
    if (!item) throw new Error(`no tab "${text}" in app.json`)
    await this.program.switchTab(`/${item.pagePath}`)
    await this.settle()
  }

  /**
   * What the page on top hands WeChat's 转发 menu (`onShareAppMessage`), or null when the page
   * cannot be shared.
   */
  share(): { title?: string; path?: string } | null {
    const hook = this.program.top.onShareAppMessage
    if (typeof hook !== 'function') return null
    return (hook as (o: unknown) => { title?: string; path?: string }).call(this.program.top, {
      from: 'menu',
    })
  }

  /** Opens `url` as WeChat does for a shared card or a message: the page alone on the stack. */
  async open(url: string): Promise<void> {
    await this.program.reLaunch(url)
    await this.settle()
  }

  /** Drags the page on top down to refresh it. */
  async pullDown(): Promise<void> {
    this.program.pullDownRefresh()
    await this.settle()
  }

  /** Waits until `check` holds (text shown, or a predicate over the weapp); fails after a bound. */
  async waitFor(check: string | RegExp | ((w: Weapp) => boolean)): Promise<void> {
    const deadline = Date.now() + GIVE_UP_MS
    const holds = () =>
      typeof check === 'function'
        ? check(this)
        : typeof check === 'string'
          ? this.text().includes(check)
          : check.test(this.text())
    for (;;) {
      await this.settle()
      if (holds()) return
      if (Date.now() > deadline) {
        throw new Error(`gave up waiting for ${String(check)} on ${this.route}: ${this.text()}`)
      }
      await sleep(20)
    }
  }

  /** Ends the launch: every page unloads, then its scratch files and process hooks go. */
  async close(): Promise<void> {
    this.program.exit()
    await this.settle().catch(() => undefined)
    this.renderer.dispose()
    this.restore()
  }
}
