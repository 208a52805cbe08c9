import Taro from '@tarojs/taro'
import { act, screen, waitFor } from '@testing-library/react'
import LoginPage from '@/pages/login/index'
import { devLogin } from '@/services/auth'
import { ApiError } from '@/services/http'
import { useSession } from '@/services/session'
import { aMember, mountPage, signedOut, tap, typeInto } from './render'

jest.mock('@/services/auth')
const mockedDevLogin = jest.mocked(devLogin)

let switchTab: jest.SpyInstance

beforeEach(() => {
  signedOut()
  mockedDevLogin.mockReset()
  switchTab = jest.spyOn(Taro, 'switchTab').mockResolvedValue({ errMsg: 'switchTab:ok' })
})

afterEach(() => {
  switchTab.mockRestore()
})

test('shows the member-number form on H5', async () => {
  await mountPage(<LoginPage />)
  expect(document.querySelector('.login-input input')?.getAttribute('placeholder')).toBe(
    '会员号，如 M0001',
  )
  expect(screen.getByText('登录')).toBeTruthy()
  expect(screen.queryByText('微信一键登录')).toBeNull()
})

test('submits the member number and shows the server error', async () => {
  mockedDevLogin.mockRejectedValueOnce(new ApiError('NOT_FOUND', '会员号不存在', 404))
  const { container } = await mountPage(<LoginPage />)

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
  const { container } = await mountPage(<LoginPage />)

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
  const { container } = await mountPage(<LoginPage />)
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
  const { container } = await mountPage(<LoginPage />)
  typeInto(container, '.login-input', '123')
  await tap(container, '.login-submit')

  expect(await screen.findByText('会员号格式不正确，例如 M0001')).toBeTruthy()
  expect(mockedDevLogin).not.toHaveBeenCalled()
})
