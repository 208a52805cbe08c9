import Taro from '@tarojs/taro'
import { screen, waitFor } from '@testing-library/react'
import MePage from '@/pages/me/index'
import StaffPage from '@/packages/staff/pages/index'
import { useSession } from '@/services/session'
import { aMember, mountPage, signedInAs, tap } from './render'

let reLaunch: jest.SpyInstance
let showModal: jest.SpyInstance

beforeEach(() => {
  reLaunch = jest.spyOn(Taro, 'reLaunch').mockResolvedValue({ errMsg: 'reLaunch:ok' })
  showModal = jest.spyOn(Taro, 'showModal')
})

afterEach(() => {
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
  expect(useSession.getState().session).toBeNull()
  expect(Taro.getStorageSync('union-session')).toBeFalsy()
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
  expect(screen.queryByText('组织与会员管理')).toBeNull()
  unmount()

  signedInAs(aMember({ roles: ['admin'] }))
  await mountPage(<StaffPage />)
  expect(screen.getByText('组织与会员管理')).toBeTruthy()
})
