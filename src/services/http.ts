import Taro from '@tarojs/taro'
import { errorBody, type ErrorCode } from '@/contract/errors'
import type { RouteDef, RouteInput, RouteOutput } from '@/contract/routes'
import { isOffline } from '@/services/network'
import { goToLogin, useSession } from '@/services/session'

/**
 * How long one request may take. Sized for a 2G-like link (400 kbit/s, 2 s round trip): a new
 * connection with TLS and the request take about 4 round trips (8 s), a 100 KB answer 2 s more;
 * twice that leaves room for a busy server. A timed-out write is not repeated by itself (on such a
 * link the repeat would wait as long again): the page offers 重试 with the same key.
 */
export const TIMEOUT_MS = 30_000
const NETWORK_MESSAGE = '网络不给力，请检查网络后重试'
/** Said at once when the device has no network (nothing was sent). */
export const OFFLINE_MESSAGE = '网络不可用，请连接网络后重试'
const TIMEOUT_MESSAGE = '网络太慢，请求超时了，请稍后重试'
const BAD_RESPONSE_MESSAGE = '服务器返回的数据格式不正确'

/** A failed call: a stable `code` for the program, a Chinese `message` for the person. */
export class ApiError extends Error {
  readonly code: ErrorCode | 'NETWORK'
  /** HTTP status, or 0 when no answer arrived. */
  readonly status: number

  constructor(code: ErrorCode | 'NETWORK', message: string, status = 0) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.status = status
  }
}

/** The message to show a person for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message
  return NETWORK_MESSAGE
}

/** Where the API lives: build-time `TARO_APP_API_BASE`, else same origin (H5) or the local server. */
export function apiBase(): string {
  const configured = process.env.TARO_APP_API_BASE
  if (configured) return configured.replace(/\/+$/, '')
  return process.env.TARO_ENV === 'h5' ? '/api/v1' : 'http://127.0.0.1:3000/api/v1'
}

/** A random key for `Idempotency-Key`; unique enough per member and request. */
export function newIdempotencyKey(): string {
  const random = () => Math.random().toString(36).slice(2, 10)
  return `${Date.now().toString(36)}-${random()}-${random()}`
}

/** Options of one call. */
export interface CallOptions {
  /** Reuse a key on a retry by hand so the server replays the first answer (creating routes only). */
  idempotencyKey?: string
}

type CallArgs<D extends RouteDef> =
  Record<string, never> extends RouteInput<D>
    ? [input?: RouteInput<D>, options?: CallOptions]
    : [input: RouteInput<D>, options?: CallOptions]

function buildPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z_]\w*)/g, (_, name: string) => {
    const value = params?.[name]
    if (value === undefined || value === null) throw new Error(`缺少路径参数 ${name}`)
    return encodeURIComponent(String(value))
  })
}

function buildQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return ''
  const parts = Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
  return parts.length ? `?${parts.join('&')}` : ''
}

type RawResponse = { statusCode: number; data: unknown }

/** A request that got no answer; `timedOut` when it waited the whole `TIMEOUT_MS`. */
class NoAnswer extends Error {
  constructor(readonly timedOut: boolean) {
    super('no answer')
  }
}

function timedOut(err: unknown): boolean {
  const e = (err ?? {}) as { errMsg?: unknown; message?: unknown; name?: unknown }
  const text = [e.errMsg, e.message, e.name].filter((t) => typeof t === 'string').join(' ')
  return /timeout|timed out|abort/i.test(text)
}

/** `json`: the answer is parsed; `text`: it comes back as the string the server sent. */
type ResponseKind = 'json' | 'text'

function send(
  url: string,
  method: RouteDef['method'],
  header: Record<string, string>,
  data: unknown,
  kind: ResponseKind,
): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    Taro.request({
      url,
      method,
      header,
      data: data as TaroGeneral.IAnyObject | undefined,
      timeout: TIMEOUT_MS,
      // Any dataType but `json` leaves the body unparsed, on weapp and H5 alike.
      dataType: kind,
      responseType: 'text',
      success: (res) => resolve({ statusCode: res.statusCode, data: res.data }),
      fail: (err) => reject(new NoAnswer(timedOut(err))),
    })
  })
}

function parseBody(data: unknown): unknown {
  if (typeof data !== 'string') return data
  try {
    return JSON.parse(data)
  } catch {
    return data
  }
}

function signOutToLogin(): void {
  useSession.getState().signOut()
  goToLogin()
}

type RouteArgs = {
  body?: unknown
  /** The body's media type when it is not JSON (a file sent as it is). */
  contentType?: string
  query?: Record<string, unknown>
  params?: Record<string, unknown>
}

/**
 * One request of a route: URL, headers (token, idempotency key), one retry where a repeat is
 * harmless, and the error answer turned into `ApiError`. Returns the successful answer's body.
 */
async function exchange(
  route: RouteDef,
  args: RouteArgs,
  options: CallOptions | undefined,
  accept: string,
  kind: ResponseKind,
): Promise<{ statusCode: number; body: unknown }> {
  const url = apiBase() + buildPath(route.path, args.params) + buildQuery(args.query)
  const header: Record<string, string> = { Accept: accept }
  if (args.body !== undefined) header['Content-Type'] = args.contentType ?? 'application/json'
  const token = useSession.getState().session?.token
  if (token && !route.public) header.Authorization = `Bearer ${token}`
  if (route.creates) header['Idempotency-Key'] = options?.idempotencyKey ?? newIdempotencyKey()

  // No network: say so at once instead of after a timeout. Nothing was sent, so a keyed write's
  // caller keeps its key for the 重试 once the network is back.
  if (isOffline()) throw new ApiError('NETWORK', OFFLINE_MESSAGE)

  // A repeat is harmless for reads and for keyed writes (the server replays the first answer).
  const retryable = route.method === 'GET' || !!header['Idempotency-Key']
  const noAnswer = (e: unknown) =>
    new ApiError(
      'NETWORK',
      isOffline()
        ? OFFLINE_MESSAGE
        : e instanceof NoAnswer && e.timedOut
          ? TIMEOUT_MESSAGE
          : NETWORK_MESSAGE,
    )
  let res: RawResponse
  try {
    res = await send(url, route.method, header, args.body, kind)
  } catch (first) {
    // Once more at once only after a quick failure (a dropped connection), and only if the
    // device still has a network.
    const again = retryable && !(first instanceof NoAnswer && first.timedOut) && !isOffline()
    if (!again) throw noAnswer(first)
    try {
      res = await send(url, route.method, header, args.body, kind)
    } catch (second) {
      throw noAnswer(second)
    }
  }

  if (res.statusCode < 200 || res.statusCode >= 300) {
    const parsed = errorBody.safeParse(parseBody(res.data))
    if (res.statusCode === 401 && !route.public) signOutToLogin()
    if (parsed.success) {
      throw new ApiError(parsed.data.error.code, parsed.data.error.message, res.statusCode)
    }
    const fallback = res.statusCode === 401 ? 'UNAUTHENTICATED' : 'INTERNAL'
    // A newer server may answer a code this build does not know: keep its Chinese message.
    const loose = parseBody(res.data) as { error?: { message?: unknown } } | null
    const serverMessage = typeof loose?.error?.message === 'string' ? loose.error.message : null
    const message =
      serverMessage ?? (res.statusCode === 401 ? '请重新登录' : '服务暂时不可用，请稍后重试')
    throw new ApiError(fallback, message, res.statusCode)
  }
  return { statusCode: res.statusCode, body: kind === 'json' ? parseBody(res.data) : res.data }
}

/** How long a prefetched answer may stand in for the first call of its route. */
const PREFETCH_FRESH_MS = 10_000

/** Answers started before any page asked for them (see `prefetch`), by route. */
const prefetched = new Map<
  RouteDef,
  { token: string; startedAt: number; answer: Promise<unknown> }
>()

/**
 * Starts a GET of a route without input now (e.g. at launch, while the page's code still loads).
 * The first `call` of that route within 10 seconds by the same member takes this answer instead of
 * asking again; later calls ask the server as usual.
 */
export function prefetch(route: RouteDef): void {
  const token = useSession.getState().session?.token
  if (!token || route.method !== 'GET' || prefetched.has(route)) return
  const answer = fetchAndCheck(route, {}, undefined)
  answer.catch(() => undefined) // a failure surfaces when (and if) a page takes the answer
  prefetched.set(route, { token, startedAt: Date.now(), answer })
}

function takePrefetched(route: RouteDef): Promise<unknown> | null {
  const entry = prefetched.get(route)
  if (!entry) return null
  prefetched.delete(route)
  const fresh = Date.now() - entry.startedAt < PREFETCH_FRESH_MS
  return fresh && entry.token === useSession.getState().session?.token ? entry.answer : null
}

/**
 * Calls one route of the contract and returns its validated answer.
 * Throws `ApiError`: the server's code and Chinese message, `NETWORK` when no answer came, or
 * `INTERNAL` when the answer does not match the contract. A 401 also signs the member out.
 */
export async function call<D extends RouteDef>(
  route: D,
  ...[input, options]: CallArgs<D>
): Promise<RouteOutput<D>> {
  const early = input === undefined ? takePrefetched(route) : null
  if (early) return early as Promise<RouteOutput<D>>
  return fetchAndCheck(route, (input ?? {}) as RouteArgs, options) as Promise<RouteOutput<D>>
}

async function fetchAndCheck(
  route: RouteDef,
  args: RouteArgs,
  options: CallOptions | undefined,
): Promise<unknown> {
  const { statusCode, body } = await exchange(route, args, options, 'application/json', 'json')
  // A route that may go on as a job answers 202 with its `accepted` shape.
  const schema = statusCode === 202 && route.accepted ? route.accepted : route.response
  const parsed = schema.safeParse(body)
  if (!parsed.success) throw new ApiError('INTERNAL', BAD_RESPONSE_MESSAGE, statusCode)
  return parsed.data
}

/** Options of a text download. */
export interface TextCallOptions {
  /** The media type asked for, e.g. `text/csv`. */
  accept: string
}

/**
 * Calls a GET route that can answer in another format (`Accept`) and returns the body as text,
 * e.g. a CSV file. Same token, retry and `ApiError`s as `call`.
 */
export async function callText<D extends RouteDef>(
  route: D,
  input: RouteInput<D>,
  { accept }: TextCallOptions,
): Promise<string> {
  const { statusCode, body } = await exchange(route, input as RouteArgs, undefined, accept, 'text')
  if (typeof body !== 'string') throw new ApiError('INTERNAL', BAD_RESPONSE_MESSAGE, statusCode)
  return body
}

/**
 * The URL and headers (`Accept`, the member's token) of a GET route that answers with a file, for
 * a download outside `Taro.request` (`Taro.downloadFile`, or `fetch` for a blob on H5).
 */
export function fileRequest<D extends RouteDef>(
  route: D,
  input: RouteInput<D>,
  accept: string,
): { url: string; header: Record<string, string> } {
  const args = input as RouteArgs
  const url = apiBase() + buildPath(route.path, args.params) + buildQuery(args.query)
  const header: Record<string, string> = { Accept: accept }
  const token = useSession.getState().session?.token
  if (token && !route.public) header.Authorization = `Bearer ${token}`
  return { url, header }
}

/**
 * The `ApiError` of a failed file download: the server's code and message when its JSON error
 * body is at hand (`body`), else by status; a 401 also signs the member out.
 */
export function fileError(statusCode: number, body?: string): ApiError {
  if (statusCode === 401) signOutToLogin()
  const parsed = errorBody.safeParse(body === undefined ? undefined : parseBody(body))
  if (parsed.success) {
    return new ApiError(parsed.data.error.code, parsed.data.error.message, statusCode)
  }
  return statusCode === 401
    ? new ApiError('UNAUTHENTICATED', '请重新登录', statusCode)
    : new ApiError('INTERNAL', '文件下载失败，请稍后重试', statusCode)
}

/** The `ApiError` of a download that got no answer. */
export function networkError(): ApiError {
  return new ApiError('NETWORK', NETWORK_MESSAGE)
}

/**
 * Calls a route whose body is a file sent as it is (e.g. a roster as `text/csv`), not JSON, and
 * returns its validated answer. Same token and `ApiError`s as `call`; never retried by itself.
 */
export async function callWithFile<D extends RouteDef>(
  route: D,
  input: Omit<RouteArgs, 'body' | 'contentType'>,
  file: { data: ArrayBuffer; contentType: string },
): Promise<RouteOutput<D>> {
  const args: RouteArgs = { ...input, body: file.data, contentType: file.contentType }
  const { statusCode, body } = await exchange(route, args, undefined, 'application/json', 'json')
  const parsed = route.response.safeParse(body)
  if (!parsed.success) throw new ApiError('INTERNAL', BAD_RESPONSE_MESSAGE, statusCode)
  return parsed.data as RouteOutput<D>
}
