import Taro from '@tarojs/taro'
import { act, render } from '@testing-library/react'
import HomePage from '@/pages/home/index'
import PointsPage from '@/pages/points/index'
import { ItemView } from '@/features/mall/components/item-view'
import { MallView } from '@/features/mall/components/mall-view'
import { me } from '@/services/auth'
import { listMallItems, redeemItem } from '@/services/mall'
import { getLedger, getPoints } from '@/services/points'
import { aMember, mountPage, showPage, signedInAs, tap } from './render'
import { anItem, anOrder } from './mall-fixtures'

jest.mock('@/services/auth')
jest.mock('@/services/mall')
jest.mock('@/services/points')
// The home screen's reminders (H5): none.
// The home screen's 待办: none.
jest.mock('@/services/todo', () => ({ listTodos: jest.fn(() => Promise.resolve([])) }))
jest.mock('@/services/notifications', () => ({
  listReminders: jest.fn(() => Promise.resolve([])),
  requestSubscriptions: jest.fn(() => Promise.resolve(null)),
}))
const mockedMe = jest.mocked(me)
const mockedItems = jest.mocked(listMallItems)
const mockedRedeem = jest.mocked(redeemItem)
const mockedPoints = jest.mocked(getPoints)
const mockedLedger = jest.mocked(getLedger)

const member = aMember({ name: '张伟' })

beforeEach(() => {
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  mockedMe.mockResolvedValue({ member })
  mockedItems.mockResolvedValue([anItem({ id: 1, name: '酸梅汤', pointsCost: 20 })])
  mockedPoints.mockResolvedValue({ balance: 250, expiring: [] })
  mockedLedger.mockResolvedValue({ entries: [], nextCursor: null })
  signedInAs(member)
})

afterEach(() => {
  jest.restoreAllMocks()
  mockedPoints.mockReset()
})

/** The balance each tab page shows (home, 积分 and the mall's list), '' where none is shown. */
function balances(container: HTMLElement) {
  const text = (selector: string) => container.querySelector(selector)?.textContent ?? ''
  return {
    home: text('.home-balance-value'),
    points: text('.points-balance-value'),
    mall: text('.mall-balance-value'),
  }
}

test('after a redemption home, 积分 and the mall show the new balance without a refresh', async () => {
  // The tab pages stay mounted (as tab pages do) while the member redeems on the item page.
  const { container } = await mountPage(
    <>
      <HomePage />
      <PointsPage />
      <MallView />
    </>,
  )
  await showPage()
  expect(balances(container)).toEqual({ home: '250', points: '250', mall: '250' })

  const item = render(<ItemView itemId={1} />)
  await act(async () => undefined)
  expect(item.container.querySelector('.mall-balance-value')?.textContent).toBe('250')
  await tap(item.container, '.item-redeem')
  // The confirm sheet's balance after the redemption uses the same balance.
  expect(item.container.querySelector('.sheet-after')?.textContent).toBe('兑换后剩余 230 积分')

  const calls = mockedPoints.mock.calls.length
  mockedPoints.mockResolvedValue({ balance: 230, expiring: [] })
  mockedRedeem.mockResolvedValueOnce(anOrder({ quantity: 1, pointsSpent: 20 }))
  await tap(item.container, '.redeem-confirm')

  expect(mockedRedeem).toHaveBeenCalledTimes(1)
  // One refetch of the balance after the redemption, and no show or pull-down anywhere.
  expect(mockedPoints).toHaveBeenCalledTimes(calls + 1)
  expect(balances(container)).toEqual({ home: '230', points: '230', mall: '230' })
})
