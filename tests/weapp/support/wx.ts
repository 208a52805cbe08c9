/**
 * The `wx` object the bundle runs against: miniprogram-simulate's API mocks for everything the
 * app does not depend on (system info, selector queries, animations…), and real behaviour where it
 * does: `request` goes to the test server over HTTP, storage keeps JSON copies, navigation moves
 * the harness's page stack, files live in memory. Only what WeChat itself would answer is chosen
 * by the test (`answers`): the login code, scan results, phone-number codes, subscribe prompts,
 * modal choices. Everything the app asked WeChat to show or do is recorded in `log`.
 */

/** What WeChat (or the person in front of it) answers; the test sets these. */
export interface WechatAnswers {
  /** The code `wx.login` gives; the fake WeChat maps `ok:<openid>` to that openid. */
  loginCode: string
  /** The code WeChat's phone-number sheet gives; null: the person refuses. */
  phoneCode: string | null
  /** Results of the next `wx.scanCode` calls, first first; empty: the person cancels. */
  scans: string[]
  /** Answers of the next `wx.showModal` calls; when none is queued the person confirms. */
  modals: boolean[]
  /**
   * Whether the person agreed to the 用户隐私保护指引 on this phone (by tapping the app's
   * `agreePrivacyAuthorization` button); until then phone and scan requests wait for the app's
   * prompt.
   */
  privacyAgreed: boolean
  /** How the person answers `wx.requestSubscribeMessage`, per template id. */
  subscribe: (tmplId: string) => 'accept' | 'reject' | 'ban'
}

/** One HTTP call the app made. */
export interface RequestRecord {
  method: string
  /** Path and query on the API server, e.g. `/api/v1/me`. */
  path: string
  status: number
}

/** Everything the app asked WeChat to show or do, in order. */
export interface WxLog {
  requests: RequestRecord[]
  toasts: string[]
  modals: Array<{ title: string; content: string; confirmed: boolean }>
  navigation: string[]
  clipboard: string[]
  openedDocuments: Array<{ filePath: string; fileType?: string }>
  subscribePrompts: string[][]
  phoneCalls: string[]
  /** Each place opened on WeChat's map (`wx.openLocation`). */
  locations: Array<{ latitude: number; longitude: number; name: string; address: string }>
  /** Each `setScreenBrightness` value, in order. */
  brightness: number[]
  /** Each `addPhoneCalendar` entry (title, times in seconds). */
  calendar: Array<{ title: string; startTime: number; endTime: number }>
  /** How often WeChat asked the app's `onNeedPrivacyAuthorization` listener. */
  privacyPrompts: number
  /** Every other wx API call with a callback, by name (e.g. `setScreenBrightness`). */
  other: string[]
}

/** Page-stack moves the harness's runtime performs for the navigation APIs. */
export interface Navigator {
  navigateTo(url: string): Promise<void>
  redirectTo(url: string): Promise<void>
  reLaunch(url: string): Promise<void>
  switchTab(url: string): Promise<void>
  navigateBack(delta: number): Promise<void>
}

type Callbacks = {
  success?: (r: unknown) => void
  fail?: (r: unknown) => void
  complete?: (r: unknown) => void
}
type Options = Callbacks & Record<string, unknown>

/** Callbacks scheduled and not run yet (the app is waiting on WeChat while any is). */
let callbacksDue = 0

/** WeChat's callback style, asynchronously like the base library (Taro wraps it in promises). */
function answer(o: Callbacks | undefined, result: unknown, ok: boolean): void {
  callbacksDue++
  setTimeout(() => {
    callbacksDue--
    if (ok) o?.success?.(result)
    else o?.fail?.(result)
    o?.complete?.(result)
  })
}

/** The base URL the weapp build talks to (src/services/http.ts `apiBase()` without a build value). */
const BUILT_API_ORIGIN = 'http://127.0.0.1:3000'

/** The mini-program's private folder (`wx.env.USER_DATA_PATH`). */
export const USER_DATA_PATH = 'wxfile://usr'

export interface WxMock {
  wx: Record<string, unknown>
  answers: WechatAnswers
  log: WxLog
  /** `wx.setStorageSync` contents (JSON copies, like WeChat's). */
  storage: Map<string, string>
  /** Files written through `wx.getFileSystemManager()`, by path. */
  files: Map<string, string | ArrayBuffer>
  /** Requests sent and WeChat callbacks not delivered yet. */
  pending(): number
  /**
   * WeChat's privacy check before `api` (the phone-number button runs it before its sheet):
   * true once the person agreed, now or before.
   */
  privacyCheck(api: string): Promise<boolean>
  /** Whether a privacy API waits for the person's answer on the app's prompt. */
  privacyWaiting(): boolean
  /** The person tapped the `agreePrivacyAuthorization` button of this id. */
  tapAgreeButton(id: string): void
}

/**
 * Builds the `wx` object on top of miniprogram-simulate's mocks (`base`). `apiOrigin` is the test
 * server the requests for the built origin go to.
 */
export function createWx(
  base: Record<string, unknown>,
  apiOrigin: string,
  navigator: Navigator,
): WxMock {
  const answers: WechatAnswers = {
    loginCode: 'ok:openid-weapp',
    phoneCode: null,
    scans: [],
    modals: [],
    privacyAgreed: false,
    subscribe: () => 'accept',
  }
  const log: WxLog = {
    requests: [],
    toasts: [],
    modals: [],
    navigation: [],
    clipboard: [],
    openedDocuments: [],
    subscribePrompts: [],
    phoneCalls: [],
    locations: [],
    brightness: [],
    calendar: [],
    privacyPrompts: 0,
    other: [],
  }
  const storage = new Map<string, string>()
  const files = new Map<string, string | ArrayBuffer>()
  let pending = 0

  const read = (key: string): unknown => {
    const raw = storage.get(key)
    return raw === undefined ? '' : (JSON.parse(raw) as unknown)
  }

  function request(o: Options) {
    if (!String(o.url).startsWith(BUILT_API_ORIGIN)) {
      // A build with TARO_APP_API_BASE set would reach out of the test: refuse it loudly.
      throw new Error(`the bundle requests ${String(o.url)}: build weapp without TARO_APP_API_BASE`)
    }
    const url = String(o.url).replace(BUILT_API_ORIGIN, apiOrigin)
    const method = String(o.method ?? 'GET').toUpperCase()
    const headers = { ...((o.header as Record<string, string> | undefined) ?? {}) }
    let body: string | ArrayBuffer | undefined
    if (o.data !== undefined && method !== 'GET') {
      body =
        typeof o.data === 'string' || o.data instanceof ArrayBuffer
          ? o.data
          : JSON.stringify(o.data)
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['content-type'] = 'application/json'
    }
    const path = url.slice(apiOrigin.length)
    pending++
    fetch(url, { method, headers, body })
      .then(async (res) => {
        const text = await res.text()
        let data: unknown = text
        if ((o.dataType ?? 'json') === 'json') {
          try {
            data = JSON.parse(text)
          } catch {
            // WeChat hands over the text when it is not JSON.
          }
        }
        log.requests.push({ method, path, status: res.status })
        pending--
        answer(
          o,
          {
            data,
            statusCode: res.status,
            header: Object.fromEntries(res.headers),
            errMsg: 'request:ok',
          },
          true,
        )
      })
      .catch((e: Error) => {
        log.requests.push({ method, path, status: 0 })
        pending--
        answer(o, { errMsg: `request:fail ${e.message}` }, false)
      })
    return {
      abort() {},
      onHeadersReceived() {},
      offHeadersReceived() {},
      onChunkReceived() {},
      offChunkReceived() {},
    }
  }

  const navigation = (name: keyof Navigator) => (o: Options) => {
    const target = name === 'navigateBack' ? `delta=${Number(o.delta ?? 1)}` : String(o.url)
    log.navigation.push(`${name} ${target}`)
    const move =
      name === 'navigateBack'
        ? navigator.navigateBack(Number(o.delta ?? 1))
        : navigator[name](String(o.url))
    move.then(
      () => answer(o, { errMsg: `${name}:ok` }, true),
      (e: Error) => answer(o, { errMsg: `${name}:fail ${e.message}` }, false),
    )
  }

  let privacyListener:
    ((resolve: (o: { event: string; buttonId?: string }) => void) => void) | null = null
  /** Ids of the `agreePrivacyAuthorization` buttons the person tapped. */
  const agreeTapped = new Set<string>()
  /** A privacy API waiting for the person's answer on the app's prompt. */
  let privacyWaiting = false
  /**
   * WeChat's privacy check (app.json `__usePrivacyCheck__`) before a privacy API: the first time,
   * the app's listener is asked and the API waits — the app idle, its prompt on screen — for the
   * listener's answer. WeChat lets it go on only for `agree` naming an `agreePrivacyAuthorization`
   * button the person tapped; without a listener, after 拒绝 or without that tap, the API fails as
   * WeChat's does.
   */
  const privacyChecked = (api: string, o: Options, go: () => void) => {
    if (answers.privacyAgreed) return go()
    const refuse = () =>
      answer(o, { errMsg: `${api}:fail privacy permission is not authorized`, errno: 104 }, false)
    if (!privacyListener) return refuse()
    log.privacyPrompts++
    privacyWaiting = true
    let answered = false
    privacyListener((r) => {
      if (r.event === 'exposureAuthorization' || answered) return
      answered = true
      privacyWaiting = false
      if (r.event === 'agree' && r.buttonId !== undefined && agreeTapped.has(r.buttonId)) {
        answers.privacyAgreed = true
        go()
      } else refuse()
    })
  }

  const recorded =
    (name: string, result: Record<string, unknown> = {}) =>
    (o: Options = {}) => {
      log.other.push(name)
      answer(o, { errMsg: `${name}:ok`, ...result }, true)
    }

  const fileSystemManager = {
    writeFile(o: Options) {
      files.set(String(o.filePath), o.data as string | ArrayBuffer)
      answer(o, { errMsg: 'writeFile:ok' }, true)
    },
    writeFileSync(filePath: string, data: string | ArrayBuffer) {
      files.set(filePath, data)
    },
    readFile(o: Options) {
      const data = files.get(String(o.filePath))
      if (data === undefined)
        answer(o, { errMsg: `readFile:fail no such file ${String(o.filePath)}` }, false)
      else answer(o, { errMsg: 'readFile:ok', data }, true)
    },
    readFileSync(filePath: string) {
      const data = files.get(filePath)
      if (data === undefined) throw new Error(`readFileSync:fail no such file ${filePath}`)
      return data
    },
    access(o: Options) {
      const ok = files.has(String(o.path))
      answer(o, { errMsg: ok ? 'access:ok' : 'access:fail no such file' }, ok)
    },
    unlink(o: Options) {
      files.delete(String(o.filePath))
      answer(o, { errMsg: 'unlink:ok' }, true)
    },
  }

  const wx: Record<string, unknown> = {
    ...base,
    env: { USER_DATA_PATH },
    request,
    getStorageSync: (key: string) => read(key),
    setStorageSync: (key: string, value: unknown) => {
      storage.set(key, JSON.stringify(value))
    },
    removeStorageSync: (key: string) => {
      storage.delete(key)
    },
    clearStorageSync: () => storage.clear(),
    getStorage: (o: Options) => {
      const key = String(o.key)
      if (storage.has(key)) answer(o, { data: read(key), errMsg: 'getStorage:ok' }, true)
      else answer(o, { errMsg: 'getStorage:fail data not found' }, false)
    },
    setStorage: (o: Options) => {
      storage.set(String(o.key), JSON.stringify(o.data))
      answer(o, { errMsg: 'setStorage:ok' }, true)
    },
    removeStorage: (o: Options) => {
      storage.delete(String(o.key))
      answer(o, { errMsg: 'removeStorage:ok' }, true)
    },
    login: (o: Options) => answer(o, { code: answers.loginCode, errMsg: 'login:ok' }, true),
    checkSession: (o: Options) => answer(o, { errMsg: 'checkSession:ok' }, true),
    scanCode: (o: Options) =>
      privacyChecked('scanCode', o, () => {
        const result = answers.scans.shift()
        log.other.push('scanCode')
        if (result === undefined) answer(o, { errMsg: 'scanCode:fail cancel' }, false)
        else
          answer(o, { result, scanType: 'QR_CODE', charSet: 'UTF-8', errMsg: 'scanCode:ok' }, true)
      }),
    onNeedPrivacyAuthorization: (listener: typeof privacyListener) => {
      privacyListener = listener
    },
    requestSubscribeMessage: (o: Options) => {
      const ids = (o.tmplIds as string[] | undefined) ?? []
      log.subscribePrompts.push(ids)
      const result: Record<string, string> = { errMsg: 'requestSubscribeMessage:ok' }
      for (const id of ids) result[id] = answers.subscribe(id)
      answer(o, result, true)
    },
    showToast: (o: Options) => {
      log.toasts.push(String(o.title ?? ''))
      answer(o, { errMsg: 'showToast:ok' }, true)
    },
    showModal: (o: Options) => {
      const confirmed = answers.modals.length ? (answers.modals.shift() as boolean) : true
      log.modals.push({ title: String(o.title ?? ''), content: String(o.content ?? ''), confirmed })
      answer(o, { errMsg: 'showModal:ok', confirm: confirmed, cancel: !confirmed }, true)
    },
    setClipboardData: (o: Options) => {
      log.clipboard.push(String(o.data))
      answer(o, { errMsg: 'setClipboardData:ok' }, true)
    },
    getClipboardData: (o: Options) =>
      answer(o, { errMsg: 'getClipboardData:ok', data: log.clipboard.at(-1) ?? '' }, true),
    openDocument: (o: Options) => {
      const filePath = String(o.filePath)
      log.openedDocuments.push({ filePath, fileType: o.fileType as string | undefined })
      const ok = files.has(filePath)
      answer(o, { errMsg: ok ? 'openDocument:ok' : 'openDocument:fail file not found' }, ok)
    },
    makePhoneCall: (o: Options) => {
      log.phoneCalls.push(String(o.phoneNumber))
      answer(o, { errMsg: 'makePhoneCall:ok' }, true)
    },
    getFileSystemManager: () => fileSystemManager,
    navigateTo: navigation('navigateTo'),
    redirectTo: navigation('redirectTo'),
    reLaunch: navigation('reLaunch'),
    switchTab: navigation('switchTab'),
    navigateBack: navigation('navigateBack'),
    showLoading: recorded('showLoading'),
    hideLoading: recorded('hideLoading'),
    stopPullDownRefresh: recorded('stopPullDownRefresh'),
    setNavigationBarTitle: recorded('setNavigationBarTitle'),
    openLocation: (o: Options) => {
      log.locations.push({
        latitude: Number(o.latitude),
        longitude: Number(o.longitude),
        name: String(o.name ?? ''),
        address: String(o.address ?? ''),
      })
      answer(o, { errMsg: 'openLocation:ok' }, true)
    },
    addPhoneCalendar: (o: Options) => {
      log.calendar.push({
        title: String(o.title),
        startTime: Number(o.startTime),
        endTime: Number(o.endTime),
      })
      recorded('addPhoneCalendar')(o)
    },
    setScreenBrightness: (o: Options) => {
      log.brightness.push(Number(o.value))
      recorded('setScreenBrightness')(o)
    },
    getScreenBrightness: recorded('getScreenBrightness', { value: 0.5 }),
    setKeepScreenOn: recorded('setKeepScreenOn'),
    shareFileMessage: recorded('shareFileMessage'),
    showShareMenu: recorded('showShareMenu'),
    chooseMessageFile: (o: Options) =>
      answer(o, { errMsg: 'chooseMessageFile:fail cancel' }, false),
  }

  const privacyCheck = (api: string) =>
    new Promise<boolean>((resolve) =>
      privacyChecked(api, { fail: () => resolve(false) }, () => resolve(true)),
    )

  return {
    wx,
    answers,
    log,
    storage,
    files,
    pending: () => pending + callbacksDue,
    privacyCheck,
    privacyWaiting: () => privacyWaiting,
    tapAgreeButton: (id) => void agreeTapped.add(id),
  }
}
