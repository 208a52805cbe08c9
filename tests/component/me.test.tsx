import Taro from '@tarojs/taro'
import { screen, waitFor } from '@testing-library/react'
import MePage from '@/pages/me/index'
import StaffPage from '@/packages/staff/pages/index'
import { logout, unbindMyWechat } from '@/services/auth'
import { ApiError } from '@/services/http'
import { useSession } from '@/services/session'
import { aMember, mountPage, signedInAs, tap } from './render'

jest.mock('@/services/auth')
const mockedLogout = jest.mocked(logout)
const mockedUnbind = jest.mocked(unbindMyWechat)

let reLaunch: jest.SpyInstance
let showModal: jest.SpyInstance
const env = process.env.TARO_ENV

beforeEach(() => {
  mockedLogout.mockReset().mockResolvedValue(undefined)
  mockedUnbind.mockReset()
  reLaunch = jest.spyOn(Taro, 'reLaunch').mockResolvedValue({ errMsg: 'reLaunch:ok' })
  showModal = jest.spyOn(Taro, 'showModal')
})

afterEach(() => {
  process.env.TARO_ENV = env
  jest.restoreAllMocks()
})

test('shows who is signed in, with roles in Chinese', async () => {
  signedInAs(
    aMember({
      name: '王芳',
      memberNo: 'S0101',
      unionName: '石景山区总工会',
      roles: ['member', 'staff'],
    }),
  )
  await mountPage(<MePage />)

  expect(screen.getByText('王芳')).toBeTruthy()
  expect(screen.getByText('S0101')).toBeTruthy()
  expect(screen.getByText('石景山区总工会')).toBeTruthy()
  expect(screen.getByText('会员')).toBeTruthy()
  expect(screen.getByText('工会干部')).toBeTruthy()
})

test('signs out after confirming and opens the sign-in page', async () => {
  signedInAs(aMember())
  showModal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  const { container } = await mountPage(<MePage />)

  await tap(container, '.profile-signout')

  await waitFor(() => expect(reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' }))
  // The server ends the session too.
  expect(mockedLogout).toHaveBeenCalledTimes(1)
  expect(useSession.getState().session).toBeNull()
  expect(Taro.getStorageSync('union-session')).toBeFalsy()
})

test('signs out on this device even when the server cannot be reached', async () => {
  signedInAs(aMember())
  mockedLogout.mockRejectedValue(new ApiError('NETWORK', '网络不给力，请检查网络后重试'))
  showModal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  const { container } = await mountPage(<MePage />)

  await tap(container, '.profile-signout')

  // (The sign-in page opens as well; goToLogin lets one redirect through per second.)
  await waitFor(() => expect(useSession.getState().session).toBeNull())
  expect(Taro.getStorageSync('union-session')).toBeFalsy()
})

test('H5 offers neither web sign-in by scan nor unbinding', async () => {
  signedInAs(aMember({ wechatBound: true, phoneMasked: '138****0001' }))
  const { container } = await mountPage(<MePage />)
  expect(screen.getByText('138****0001')).toBeTruthy()
  expect(screen.getByText('已绑定')).toBeTruthy()
  expect(container.querySelector('.profile-scan-login')).toBeNull()
  expect(container.querySelector('.profile-unbind')).toBeNull()
})

test('mini-program: scanning a web sign-in QR opens the confirmation page', async () => {
  process.env.TARO_ENV = 'weapp'
  signedInAs(aMember({ wechatBound: true }))
  const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  const scanCode = jest.spyOn(Taro, 'scanCode')
  const { container } = await mountPage(<MePage />)

  scanCode.mockResolvedValueOnce({ result: 'https://example.com/', errMsg: 'scanCode:ok' } as never)
  await tap(container, '.profile-scan-login')
  expect(await screen.findByText(/这不是工会服务站网页版的登录二维码/)).toBeTruthy()
  expect(navigateTo).not.toHaveBeenCalled()

  const ticket = 'AbCdEfGhIjKlMnOpQrStUv_-12'
  scanCode.mockResolvedValueOnce({ result: `uss-login:${ticket}`, errMsg: 'scanCode:ok' } as never)
  await tap(container, '.profile-scan-login')
  await waitFor(() =>
    expect(navigateTo).toHaveBeenCalledWith({
      url: `/packages/account/pages/qr-approve?ticket=${ticket}`,
    }),
  )
})

test('mini-program: a bound member unbinds WeChat after confirming and is signed out', async () => {
  process.env.TARO_ENV = 'weapp'
  signedInAs(aMember({ wechatBound: true }))
  mockedUnbind.mockResolvedValue(undefined)
  showModal.mockResolvedValueOnce({ confirm: false, cancel: true, errMsg: 'showModal:ok' })
  const { container } = await mountPage(<MePage />)

  await tap(container, '.profile-unbind')
  expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '解绑微信' }))
  expect(mockedUnbind).not.toHaveBeenCalled()
  expect(useSession.getState().session).not.toBeNull()

  showModal.mockResolvedValueOnce({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  await tap(container, '.profile-unbind')
  await waitFor(() => expect(useSession.getState().session).toBeNull())
  expect(mockedUnbind).toHaveBeenCalledTimes(1)
})

test('mini-program: no unbinding for a member without a bound WeChat', async () => {
  process.env.TARO_ENV = 'weapp'
  signedInAs(aMember({ wechatBound: false }))
  const { container } = await mountPage(<MePage />)
  expect(container.querySelector('.profile-unbind')).toBeNull()
  expect(screen.getByText('未绑定')).toBeTruthy()
})

test('stays signed in when the member cancels', async () => {
  signedInAs(aMember())
  showModal.mockResolvedValue({ confirm: false, cancel: true, errMsg: 'showModal:ok' })
  const { container } = await mountPage(<MePage />)

  await tap(container, '.profile-signout')

  expect(showModal).toHaveBeenCalled()
  expect(useSession.getState().session).not.toBeNull()
  expect(reLaunch).not.toHaveBeenCalled()
})

test('staff tools are closed to plain members', async () => {
  signedInAs(aMember({ roles: ['member'] }))
  await mountPage(<StaffPage />)
  expect(screen.getByText('仅工会干部可用')).toBeTruthy()
  expect(screen.queryByText('积分发放')).toBeNull()
})

test('staff see their tools; only admins see organisation management', async () => {
  signedInAs(aMember({ roles: ['member', 'staff'] }))
  const { unmount } = await mountPage(<StaffPage />)
  expect(screen.getByText('发放积分')).toBeTruthy()
  expect(screen.getByText('会员账号')).toBeTruthy()
  expect(screen.queryByText('组织与会员管理')).toBeNull()
  unmount()

  signedInAs(aMember({ roles: ['admin'] }))
  await mountPage(<StaffPage />)
  expect(screen.getByText('组织与会员管理')).toBeTruthy()
})
