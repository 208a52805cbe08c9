import Taro from '@tarojs/taro'
import { screen } from '@testing-library/react'
import MePage from '@/pages/me/index'
import StaffPage from '@/packages/staff/pages/index'
import { aMember, mountPage, signedInAs, tap } from './render'

jest.mock('@/services/auth')

let navigateTo: jest.SpyInstance

beforeEach(() => {
  navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
})

afterEach(() => {
  navigateTo.mockRestore()
})

test('我的 leads to 我的兑换, 我的礼包, 我的活动 and 我的预约', async () => {
  signedInAs(aMember())
  const { container } = await mountPage(<MePage />)

  const pages = {
    orders: ['我的兑换', '/packages/mall/pages/orders'],
    packs: ['我的礼包', '/packages/cooling/pages/index'],
    events: ['我的活动', '/packages/events/pages/index'],
    legal: ['我的预约', '/packages/legal/pages/mine'],
  } as const
  for (const [key, [title, url]] of Object.entries(pages)) {
    expect(screen.getByText(title)).toBeTruthy()
    await tap(container, `.my-service-${key}`)
    expect(navigateTo).toHaveBeenLastCalledWith({ url })
  }
})

test('the staff tools lead to 为会员代办', async () => {
  signedInAs(aMember({ roles: ['member', 'staff'], staffUnionId: 1 }))
  await mountPage(<StaffPage />)

  expect(screen.getByText('为会员代办')).toBeTruthy()
  expect(screen.getByText('替没有手机的会员报名、选礼包、预约律师、兑换')).toBeTruthy()
})
