/* eslint-disable @typescript-eslint/no-var-requires -- a reload is modelled with jest.isolateModules, which loads the app afresh through require */
import Taro from '@tarojs/taro'
import { act, screen, waitFor } from '@testing-library/react'
import { z } from 'zod'
import { create } from 'zustand'
import { KeptNotice, LoadingState, keptTimeText } from '@/components/page-state'
import { ItemView } from '@/features/mall/components/item-view'
import { MallView } from '@/features/mall/components/mall-view'
import { useMallStore } from '@/features/mall/store'
import { useRedeemStore } from '@/features/mall/redeem-store'
import { ApiError, call, OFFLINE_MESSAGE } from '@/services/http'
import { keepAs, makeLoader, type Loadable } from '@/services/loadable'
import { NAV_OFFLINE_MESSAGE, openPage } from '@/services/navigate'
import { usePointsBalance } from '@/services/points-balance'
import { useSession } from '@/services/session'
import { routes } from '@/contract/routes'
import { aMember, mountPage, showPage, signedInAs, tap } from './render'
import { anItem, anOrder } from './mall-fixtures'

// The device's network, as the browser reports it (navigator.onLine and its events).
let online = true
Object.defineProperty(window.navigator, 'onLine', { configurable: true, get: () => online })
function goOffline() {
  online = false
  window.dispatchEvent(new Event('offline'))
}
function goOnline() {
  online = true
  window.dispatchEvent(new Event('online'))
}

type Sent = { url: string; method: string; header: Record<string, string>; data?: unknown }
type Reply = { status: number; data: unknown } | 'drop' | 'timeout'
type RequestOptions = Sent & {
  success: (res: { statusCode: number; data: unknown; header: object; errMsg: string }) => void
  fail: (err: { errMsg: string }) => void
}

/** A fake server behind Taro.request: `answer` decides each reply; every request is recorded. */
function stubServer(answer: (req: Sent) => Reply) {
  const sent: Sent[] = []
  jest.spyOn(Taro, 'request').mockImplementation(((options: RequestOptions) => {
    sent.push({ url: options.url, method: options.method, header: options.header })
    const reply = answer(options)
    setTimeout(() => {
      if (reply === 'drop') options.fail({ errMsg: 'request:fail' })
      else if (reply === 'timeout') options.fail({ errMsg: 'request:fail timeout' })
      else options.success({ statusCode: reply.status, data: reply.data, header: {}, errMsg: 'ok' })
    }, 0)
    return {}
  }) as unknown as typeof Taro.request)
  return sent
}

const NOTICE = /^网络不可用，显示的是 \d{1,2}月\d{1,2}日 \d{2}:\d{2} 的数据$/

/** The notice's text, or null when none is shown. */
function noticeText(container: HTMLElement): string | null {
  return container.querySelector('.kept-notice-text')?.textContent ?? null
}

/** The app opened again: stores start empty, what the device kept stays. */
function relaunch() {
  useMallStore.setState(useMallStore.getInitialState(), true)
  usePointsBalance.setState(usePointsBalance.getInitialState(), true)
}

let toast: jest.SpyInstance

beforeEach(() => {
  online = true
  signedInAs(aMember({ name: '张伟' }))
  useRedeemStore.setState(useRedeemStore.getInitialState(), true)
  toast = jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
})

afterEach(() => {
  jest.restoreAllMocks()
  online = true
})

describe('last-known data', () => {
  test('offline, a page shows what it last loaded with the notice and its time, not an error', async () => {
    let itemName = '酸梅汤'
    const sent = stubServer((req) => {
      if (req.url.endsWith('/mall/items')) {
        return { status: 200, data: { items: [anItem({ name: itemName })] } }
      }
      if (req.url.endsWith('/points')) return { status: 200, data: { balance: 250, expiring: [] } }
      return { status: 404, data: null }
    })
    const before = Date.now()
    const first = await mountPage(<MallView />)
    expect(await screen.findByText('酸梅汤')).toBeTruthy()
    expect(noticeText(first.container)).toBeNull()
    first.unmount()

    relaunch()
    goOffline()
    const asked = sent.length
    const { container } = await mountPage(<MallView />)
    expect(await screen.findByText('酸梅汤')).toBeTruthy()
    expect(screen.getByText('250')).toBeTruthy()
    const notice = noticeText(container)
    expect(notice).toMatch(NOTICE)
    // The time of the load that got the data (the same minute as the first load, or the next).
    const times = [keptTimeText(before), keptTimeText(Date.now())]
    expect(times.some((t) => notice?.includes(t))).toBe(true)
    expect(container.querySelector('.state-error')).toBeNull()
    // Offline, nothing is even tried.
    expect(sent.length).toBe(asked)

    // 重试 while still offline keeps the data and the notice.
    await tap(container, '.kept-notice-retry')
    expect(noticeText(container)).toMatch(NOTICE)
    expect(sent.length).toBe(asked)

    // Back online, the page asks again by itself and the notice goes.
    itemName = '防晒冰袖'
    await act(async () => goOnline())
    expect(await screen.findByText('防晒冰袖')).toBeTruthy()
    await waitFor(() => expect(noticeText(container)).toBeNull())
  })

  test('a refresh without an answer keeps the data on screen and says how old it is', async () => {
    let down = false
    stubServer((req) => {
      if (down) return 'drop'
      if (req.url.endsWith('/mall/items')) return { status: 200, data: { items: [anItem()] } }
      return { status: 200, data: { balance: 90, expiring: [] } }
    })
    const { container } = await mountPage(<MallView />)
    expect(await screen.findByText('酸梅汤')).toBeTruthy()
    down = true
    await showPage()
    await waitFor(() => expect(noticeText(container)).toMatch(NOTICE))
    expect(screen.getByText('酸梅汤')).toBeTruthy()
  })

  test('another member on the device never sees the kept copy; a refusal is shown, not hidden', async () => {
    interface ListState extends Loadable {
      list: number[]
      load: () => Promise<void>
    }
    const fetch = jest.fn<Promise<number[]>, []>()
    const store = create<ListState>()((set, get) => ({
      list: [],
      status: 'idle',
      error: null,
      load: makeLoader(set, get, async () => ({ list: await fetch() }), {
        keep: keepAs('numbers', z.object({ list: z.array(z.number()) })),
      }),
    }))
    const restart = () => store.setState(store.getInitialState(), true)

    fetch.mockResolvedValueOnce([1, 2])
    await store.getState().load()
    restart()
    fetch.mockRejectedValueOnce(new ApiError('NETWORK', OFFLINE_MESSAGE))
    await store.getState().load()
    expect(store.getState()).toMatchObject({ list: [1, 2], status: 'ready' })
    expect(store.getState().keptAt).toEqual(expect.any(Number))

    // A 403 is an answer: the page says it instead of showing old data.
    restart()
    fetch.mockRejectedValueOnce(new ApiError('FORBIDDEN', '没有权限', 403))
    await store.getState().load()
    expect(store.getState()).toMatchObject({ status: 'error', error: '没有权限', list: [] })

    // Another member signing in on this device never sees the copy.
    fetch.mockResolvedValueOnce([3])
    await store.getState().load()
    useSession
      .getState()
      .signIn({ token: 'token-2', member: aMember({ id: 2, memberNo: 'M0002' }) })
    restart()
    fetch.mockRejectedValueOnce(new ApiError('NETWORK', OFFLINE_MESSAGE))
    await store.getState().load()
    expect(store.getState()).toMatchObject({ status: 'error', list: [] })
  })

  test('the notice says nothing for fresh data; the first load shows a skeleton', async () => {
    const { container } = await mountPage(
      <>
        <KeptNotice keptAt={null} onRetry={() => undefined} />
        <LoadingState />
      </>,
    )
    expect(container.querySelector('.kept-notice')).toBeNull()
    expect(container.querySelectorAll('.page-skeleton .skeleton').length).toBeGreaterThan(0)
    expect(screen.getByText('加载中…')).toBeTruthy()
  })
})

type RedeemModule = typeof import('@/features/mall/redeem-store')

/**
 * The redemption store of an app loaded afresh (a reload, a killed app): new modules over the same
 * device storage; its Taro is this test's, so its requests reach the fake server.
 */
function reloadRedeemStore(): RedeemModule['useRedeemStore'] {
  let fresh: RedeemModule['useRedeemStore'] | null = null
  jest.isolateModules(() => {
    const freshTaro = (require('@tarojs/taro') as { default: typeof Taro }).default
    freshTaro.request = Taro.request
    freshTaro.showToast = Taro.showToast
    fresh = (require('@/features/mall/redeem-store') as RedeemModule).useRedeemStore
  })
  if (!fresh) throw new Error('no store')
  return fresh
}

describe('actions without a network', () => {
  /** A server that makes one order per Idempotency-Key, like the real one. */
  function mallServer(dropAnswers: () => boolean) {
    const orders = new Map<string, ReturnType<typeof anOrder>>()
    const sent = stubServer((req) => {
      if (req.url.endsWith('/mall/items')) return { status: 200, data: { items: [anItem()] } }
      if (req.url.endsWith('/points')) return { status: 200, data: { balance: 250, expiring: [] } }
      if (req.method === 'POST' && req.url.endsWith('/mall/orders')) {
        const key = req.header['Idempotency-Key']
        if (!orders.has(key)) orders.set(key, anOrder({ id: 100 + orders.size }))
        return dropAnswers() ? 'drop' : { status: 201, data: { order: orders.get(key) } }
      }
      return { status: 404, data: null }
    })
    return { sent, orders }
  }

  test('a redemption offline says so at once; the retry keeps its key and orders once', async () => {
    let dropping = false
    const { sent, orders } = mallServer(() => dropping)
    const { container } = await mountPage(<ItemView itemId={1} />)
    await screen.findByText('立即兑换')
    await tap(container, '.item-redeem')

    goOffline()
    await tap(container, '.redeem-confirm')
    expect(await screen.findByText(OFFLINE_MESSAGE)).toBeTruthy()
    expect(container.querySelector('.redeem-confirm')?.textContent).toBe('重试')
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(0)
    const key = useRedeemStore.getState().key
    expect(key).toBeTruthy()

    // Online, but the answers are lost on the way back: the order is made, the member does not
    // know, and 重试 is offered again.
    goOnline()
    dropping = true
    await tap(container, '.redeem-confirm')
    await waitFor(() =>
      expect(container.querySelector('.redeem-confirm')?.textContent).toBe('重试'),
    )

    dropping = false
    await tap(container, '.redeem-confirm')
    expect(await screen.findByText('兑换成功')).toBeTruthy()
    expect(useRedeemStore.getState().order?.pickupCode).toBe('AB3DK7MN')

    const posts = sent.filter((r) => r.method === 'POST')
    expect(posts.length).toBeGreaterThanOrEqual(2)
    expect(new Set(posts.map((p) => p.header['Idempotency-Key']))).toEqual(new Set([key]))
    expect(orders.size).toBe(1)
  })

  test('the attempt without an answer and the pickup code shown survive a reload', async () => {
    let dropping = true
    const { sent } = mallServer(() => dropping)
    const { container, unmount } = await mountPage(<ItemView itemId={1} />)
    await screen.findByText('立即兑换')
    await tap(container, '.item-redeem')
    await tap(container, '.redeem-confirm')
    await waitFor(() => expect(useRedeemStore.getState().canRetry).toBe(true))
    const key = useRedeemStore.getState().key

    const reloaded = reloadRedeemStore()
    reloaded.getState().resume(1)
    expect(reloaded.getState()).toMatchObject({ canRetry: true, key, itemId: 1 })

    dropping = false
    await act(async () => reloaded.getState().confirm())
    expect(reloaded.getState().order?.pickupCode).toBe('AB3DK7MN')
    const posts = sent.filter((r) => r.method === 'POST')
    expect(new Set(posts.map((p) => p.header['Idempotency-Key']))).toEqual(new Set([key]))

    // And again: the code just shown comes back after another reload.
    const third = reloadRedeemStore()
    third.getState().resume(1)
    expect(third.getState().order?.pickupCode).toBe('AB3DK7MN')
    unmount()
  })

  test('a request offline fails at once without being sent; a timeout says so and is not repeated', async () => {
    const sent = stubServer(() => 'timeout')
    goOffline()
    const offline = call(routes.points)
    await expect(offline).rejects.toMatchObject({ code: 'NETWORK', message: OFFLINE_MESSAGE })
    expect(sent).toHaveLength(0)

    goOnline()
    const slow = call(
      routes.createOrder,
      { body: { itemId: 1, quantity: 1 } },
      {
        idempotencyKey: 'k-1',
      },
    )
    await expect(slow).rejects.toMatchObject({
      code: 'NETWORK',
      message: expect.stringContaining('超时'),
    })
    expect(sent).toHaveLength(1)
  })
})

describe('opening a page offline', () => {
  test('a page whose code is not loaded is not attempted offline; once opened it opens offline too', async () => {
    const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
    goOffline()
    await expect(openPage('/packages/cooling/pages/index')).resolves.toBe(false)
    expect(navigateTo).not.toHaveBeenCalled()
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: NAV_OFFLINE_MESSAGE }))

    goOnline()
    await expect(openPage('/packages/cooling/pages/index')).resolves.toBe(true)
    expect(navigateTo).toHaveBeenCalledTimes(1)

    goOffline()
    await expect(openPage('/packages/cooling/pages/index')).resolves.toBe(true)
    expect(navigateTo).toHaveBeenCalledTimes(2)
  })

  test('a failed open says so and stays', async () => {
    jest.spyOn(Taro, 'navigateTo').mockRejectedValue({ errMsg: 'navigateTo:fail' })
    goOffline()
    // Its code counts as loaded (opened before) only after a successful open: still refused.
    await expect(openPage('/packages/events/pages/index')).resolves.toBe(false)
    goOnline()
    await expect(openPage('/packages/events/pages/index')).resolves.toBe(false)
    expect(toast).toHaveBeenLastCalledWith(
      expect.objectContaining({ title: '页面没有打开，请稍后再试' }),
    )
  })
})
