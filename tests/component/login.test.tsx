import Taro from '@tarojs/taro'
import { act, screen, waitFor } from '@testing-library/react'
import LoginPage from '@/pages/login/index'
import { authOptions, createQrTicket, devLogin, qrTicket } from '@/services/auth'
import { ApiError } from '@/services/http'
import { useSession } from '@/services/session'
import { aMember, mountPage, signedOut, tap, typeInto } from './render'

jest.mock('@/services/auth')
const mockedDevLogin = jest.mocked(devLogin)
const mockedOptions = jest.mocked(authOptions)
const mockedCreateTicket = jest.mocked(createQrTicket)
const mockedTicket = jest.mocked(qrTicket)
const TICKET = 'tkt_abcdefghijklmnopqrstuvwxyz'

let switchTab: jest.SpyInstance

beforeEach(() => {
  signedOut()
  mockedDevLogin.mockReset()
  mockedOptions.mockResolvedValue({ devLogin: true, wechat: true })
  mockedCreateTicket.mockResolvedValue({ ticket: TICKET, expiresAt: '2030-01-01T00:00:00.000Z' })
  mockedTicket.mockResolvedValue({
    status: 'pending',
    expiresAt: '2030-01-01T00:00:00.000Z',
    createdAt: '2029-12-31T23:58:00.000Z',
    browser: 'Chrome · Windows',
  })
  switchTab = jest.spyOn(Taro, 'switchTab').mockResolvedValue({ errMsg: 'switchTab:ok' })
})

afterEach(() => {
  switchTab.mockRestore()
})

/** Mounts the H5 sign-in page and waits for the demo form the server allows. */
async function mountWithDemoForm() {
  const mounted = await mountPage(<LoginPage />)
  await waitFor(() => expect(mounted.container.querySelector('.login-input input')).toBeTruthy())
  return mounted
}

test('H5 shows the WeChat QR and, where the server allows it, the demo member-number form', async () => {
  await mountWithDemoForm()
  expect(screen.getByText('微信扫码登录')).toBeTruthy()
  expect(screen.getByText('演示登录')).toBeTruthy()
  expect(document.querySelector('.login-input input')?.getAttribute('placeholder')).toBe(
    '会员号，如 M0001',
  )
  expect(screen.getByText('登录')).toBeTruthy()
  expect(screen.queryByText('微信一键登录')).toBeNull()
})

test('without dev-login on the server there is no member-number form', async () => {
  mockedOptions.mockResolvedValue({ devLogin: false, wechat: true })
  const { container } = await mountPage(<LoginPage />)
  await waitFor(() => expect(container.querySelector('[data-ticket]')).toBeTruthy())
  await act(async () => {
    await Promise.resolve()
  })
  expect(mockedOptions).toHaveBeenCalled()
  expect(container.querySelector('.login-input')).toBeNull()
  expect(screen.queryByText('演示登录')).toBeNull()
})

test('submits the member number and shows the server error', async () => {
  mockedDevLogin.mockRejectedValueOnce(new ApiError('NOT_FOUND', '会员号不存在', 404))
  const { container } = await mountWithDemoForm()

  typeInto(container, '.login-input', 'm9999')
  await tap(container, '.login-submit')

  expect(await screen.findByText('会员号不存在')).toBeTruthy()
  expect(mockedDevLogin).toHaveBeenCalledWith({ memberNo: 'M9999' })
  expect(useSession.getState().session).toBeNull()
  expect(switchTab).not.toHaveBeenCalled()
})

test('on success stores the session and opens the home tab', async () => {
  const member = aMember()
  mockedDevLogin.mockResolvedValueOnce({ token: 'tok-123', member })
  const { container } = await mountWithDemoForm()

  typeInto(container, '.login-input', 'M0001')
  await tap(container, '.login-submit')

  await waitFor(() => expect(switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' }))
  expect(useSession.getState().session).toEqual({ token: 'tok-123', member })
  // Persisted, so the next launch is still signed in.
  expect(Taro.getStorageSync('union-session')).toEqual({ token: 'tok-123', member })
})

test('disables the button while signing in', async () => {
  let finish: (value: Awaited<ReturnType<typeof devLogin>>) => void = () => undefined
  mockedDevLogin.mockReturnValueOnce(
    new Promise((resolve) => {
      finish = resolve
    }),
  )
  const { container } = await mountWithDemoForm()
  typeInto(container, '.login-input', 'M0001')
  await tap(container, '.login-submit')

  expect(await screen.findByText('登录中…')).toBeTruthy()
  const button = container.querySelector('.login-submit') as HTMLElement & { disabled?: boolean }
  expect(button.disabled).toBe(true)
  await tap(container, '.login-submit')
  expect(mockedDevLogin).toHaveBeenCalledTimes(1)

  await act(async () => finish({ token: 't', member: aMember() }))
  await waitFor(() => expect(switchTab).toHaveBeenCalled())
})

test('rejects a malformed member number without calling the server', async () => {
  const { container } = await mountWithDemoForm()
  typeInto(container, '.login-input', '123')
  await tap(container, '.login-submit')

  expect(await screen.findByText('会员号格式不正确，例如 M0001')).toBeTruthy()
  expect(mockedDevLogin).not.toHaveBeenCalled()
})
