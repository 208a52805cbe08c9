import Taro from '@tarojs/taro'
import { screen, waitFor } from '@testing-library/react'
import HomePage from '@/pages/home/index'
import { me } from '@/services/auth'
import { ApiError } from '@/services/http'
import { getPoints } from '@/services/points'
import { aMember, mountPage, showPage, signedInAs, signedOut, tap } from './render'

jest.mock('@/services/auth')
jest.mock('@/services/points')
// The home screen's 待办: none.
jest.mock('@/services/todo', () => ({ listTodos: jest.fn(() => Promise.resolve([])) }))
// The home screen's reminders (H5): none.
jest.mock('@/services/notifications', () => ({
  listReminders: jest.fn(() => Promise.resolve([])),
  requestSubscriptions: jest.fn(() => Promise.resolve(null)),
}))
const mockedGetPoints = jest.mocked(getPoints)
const mockedMe = jest.mocked(me)

let reLaunch: jest.SpyInstance

beforeEach(() => {
  mockedGetPoints.mockReset()
  mockedMe.mockReset()
  reLaunch = jest.spyOn(Taro, 'reLaunch').mockResolvedValue({ errMsg: 'reLaunch:ok' })
})

afterEach(() => {
  reLaunch.mockRestore()
})

test('greets the member with their union and points balance', async () => {
  const member = aMember({ name: '张三', unionName: '小米工会' })
  signedInAs(member)
  mockedGetPoints.mockResolvedValue({ balance: 1280, expiring: [] })
  mockedMe.mockResolvedValue({ member })

  await mountPage(<HomePage />)
  await showPage()

  expect(await screen.findByText('1280')).toBeTruthy()
  expect(screen.getByText('你好，张三')).toBeTruthy()
  expect(screen.getByText('小米工会')).toBeTruthy()
  for (const title of ['积分商城', '清凉大礼包', '联谊活动', '法律咨询']) {
    expect(screen.getByText(title)).toBeTruthy()
  }
  expect(screen.queryByText('工会干部')).toBeNull()
})

test('shows the staff entry to union staff', async () => {
  const member = aMember({ name: '李四', roles: ['member', 'staff'] })
  signedInAs(member)
  mockedGetPoints.mockResolvedValue({ balance: 5, expiring: [] })
  mockedMe.mockResolvedValue({ member })

  await mountPage(<HomePage />)
  await showPage()

  expect(await screen.findByText('工会干部')).toBeTruthy()
})

test('shows the error with a retry that loads again', async () => {
  const member = aMember()
  signedInAs(member)
  mockedGetPoints.mockRejectedValueOnce(new ApiError('NETWORK', '网络不给力，请检查网络后重试'))
  mockedMe.mockResolvedValue({ member })

  const { container } = await mountPage(<HomePage />)
  await showPage()

  expect(await screen.findByText('网络不给力，请检查网络后重试')).toBeTruthy()
  expect(screen.queryByText('1280')).toBeNull()

  mockedGetPoints.mockResolvedValueOnce({ balance: 1280, expiring: [] })
  await tap(container, '.state-retry')

  expect(await screen.findByText('1280')).toBeTruthy()
  expect(screen.queryByText('网络不给力，请检查网络后重试')).toBeNull()
  expect(mockedGetPoints).toHaveBeenCalledTimes(2)
})

test('sends a signed-out visitor to the sign-in page', async () => {
  signedOut()
  await mountPage(<HomePage />)
  await showPage()
  await waitFor(() => expect(reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' }))
  expect(mockedGetPoints).not.toHaveBeenCalled()
})

test('loads once per show, not again on mount', async () => {
  const member = aMember()
  signedInAs(member)
  mockedGetPoints.mockResolvedValue({ balance: 7, expiring: [] })
  mockedMe.mockResolvedValue({ member })

  await mountPage(<HomePage />)
  expect(mockedGetPoints).not.toHaveBeenCalled()

  await showPage()
  expect(await screen.findByText('7')).toBeTruthy()
  expect(mockedGetPoints).toHaveBeenCalledTimes(1)
  expect(mockedMe).toHaveBeenCalledTimes(1)

  await showPage()
  expect(mockedGetPoints).toHaveBeenCalledTimes(2)
})
