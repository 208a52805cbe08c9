import Taro from '@tarojs/taro'
import { act, screen, waitFor } from '@testing-library/react'
import LoginPage from '@/pages/login/index'
import { QR_LOGIN_PREFIX, type QrTicketResponse } from '@/contract/auth'
import { authOptions, createQrTicket, qrTicket } from '@/services/auth'
import { ApiError } from '@/services/http'
import { useSession } from '@/services/session'
import { QR_POLL_MS } from '@/features/auth/use-qr-sign-in'
import { aMember, mountPage, signedOut, tap } from './render'

jest.mock('@/services/auth')
const mockedOptions = jest.mocked(authOptions)
const mockedCreate = jest.mocked(createQrTicket)
const mockedTicket = jest.mocked(qrTicket)

const T1 = 'ticket-one-abcdefghijklmnop'
const T2 = 'ticket-two-abcdefghijklmnop'
const T3 = 'ticket-three-abcdefghijklmn'

let switchTab: jest.SpyInstance

function ticketState(overrides: Partial<QrTicketResponse> = {}): QrTicketResponse {
  return {
    status: 'pending',
    expiresAt: '2030-01-01T00:02:00.000Z',
    createdAt: '2030-01-01T00:00:00.000Z',
    browser: 'Chrome · Windows',
    ...overrides,
  }
}

/** Lets the page's 2-second poll run once and its answer settle. */
async function nextPoll() {
  await act(async () => {
    await jest.advanceTimersByTimeAsync(QR_POLL_MS)
  })
}

function shownTicket(container: HTMLElement): string | null {
  return container.querySelector('[data-ticket]')?.getAttribute('data-ticket') ?? null
}

beforeEach(() => {
  signedOut()
  jest.resetAllMocks()
  mockedOptions.mockResolvedValue({ devLogin: false, wechat: true })
  switchTab = jest.spyOn(Taro, 'switchTab').mockResolvedValue({ errMsg: 'switchTab:ok' })
})

afterEach(() => {
  jest.useRealTimers()
  switchTab.mockRestore()
})

async function mountQrPage() {
  // Polling runs on fake timers: the test moves the clock poll by poll.
  jest.useFakeTimers({ doNotFake: ['requestAnimationFrame', 'cancelAnimationFrame'] })
  const mounted = await mountPage(<LoginPage />)
  await waitFor(() => expect(shownTicket(mounted.container)).not.toBeNull())
  return mounted
}

test('shows the ticket as QR, polls every 2 s, and signs in with the token', async () => {
  mockedCreate.mockResolvedValueOnce({ ticket: T1, expiresAt: '2030-01-01T00:02:00.000Z' })
  const member = aMember({ name: '张伟' })
  mockedTicket
    .mockResolvedValueOnce(ticketState())
    .mockResolvedValueOnce(ticketState({ status: 'approved', token: 'web-token', member }))
  const { container } = await mountQrPage()

  expect(shownTicket(container)).toBe(T1)
  expect(container.querySelector('.qr-code')?.getAttribute('aria-label')).toBe(
    `二维码 ${QR_LOGIN_PREFIX}${T1}`,
  )
  expect(screen.getByText('等待扫码确认…')).toBeTruthy()
  expect(mockedTicket).not.toHaveBeenCalled()

  await nextPoll()
  expect(mockedTicket).toHaveBeenCalledTimes(1)
  expect(mockedTicket).toHaveBeenLastCalledWith(T1)
  expect(useSession.getState().session).toBeNull()

  await nextPoll()
  expect(mockedTicket).toHaveBeenCalledTimes(2)
  await waitFor(() => expect(useSession.getState().session).toEqual({ token: 'web-token', member }))
  expect(switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' })

  // Signed in: polling stops.
  await nextPoll()
  await nextPoll()
  expect(mockedTicket).toHaveBeenCalledTimes(2)
})

test('an expired ticket is replaced once on its own, then waits for a tap to refresh', async () => {
  mockedCreate
    .mockResolvedValueOnce({ ticket: T1, expiresAt: '2030-01-01T00:02:00.000Z' })
    .mockResolvedValueOnce({ ticket: T2, expiresAt: '2030-01-01T00:04:00.000Z' })
    .mockResolvedValueOnce({ ticket: T3, expiresAt: '2030-01-01T00:06:00.000Z' })
  mockedTicket
    .mockResolvedValueOnce(ticketState({ status: 'expired' }))
    .mockRejectedValueOnce(
      new ApiError('QR_TICKET_EXPIRED', '二维码已过期，请刷新网页后重新扫码', 409),
    )
    .mockResolvedValue(ticketState())
  const { container } = await mountQrPage()
  expect(shownTicket(container)).toBe(T1)

  await nextPoll()
  // Replaced automatically.
  await waitFor(() => expect(shownTicket(container)).toBe(T2))
  expect(mockedCreate).toHaveBeenCalledTimes(2)

  await nextPoll()
  expect(await screen.findByText('二维码已过期，点击刷新')).toBeTruthy()
  expect(shownTicket(container)).toBeNull()
  // No more polling or tickets while nobody is there.
  await nextPoll()
  await nextPoll()
  expect(mockedTicket).toHaveBeenCalledTimes(2)
  expect(mockedCreate).toHaveBeenCalledTimes(2)

  await tap(container, '.login-qr-refresh')
  await waitFor(() => expect(shownTicket(container)).toBe(T3))
  await nextPoll()
  expect(mockedTicket).toHaveBeenLastCalledWith(T3)
})

test('polling stops when the page goes away', async () => {
  mockedCreate.mockResolvedValueOnce({ ticket: T1, expiresAt: '2030-01-01T00:02:00.000Z' })
  mockedTicket.mockResolvedValue(ticketState())
  const { unmount } = await mountQrPage()
  await nextPoll()
  expect(mockedTicket).toHaveBeenCalledTimes(1)

  unmount()
  await nextPoll()
  await nextPoll()
  expect(mockedTicket).toHaveBeenCalledTimes(1)
})

test('a network hiccup keeps the QR and tries again', async () => {
  mockedCreate.mockResolvedValueOnce({ ticket: T1, expiresAt: '2030-01-01T00:02:00.000Z' })
  mockedTicket
    .mockRejectedValueOnce(new ApiError('NETWORK', '网络不给力，请检查网络后重试'))
    .mockResolvedValue(ticketState())
  const { container } = await mountQrPage()

  await nextPoll()
  expect(await screen.findByText('网络不给力，正在重试…')).toBeTruthy()
  expect(shownTicket(container)).toBe(T1)
  await nextPoll()
  expect(mockedTicket).toHaveBeenCalledTimes(2)
  await waitFor(() => expect(screen.queryByText('网络不给力，正在重试…')).toBeNull())
})
