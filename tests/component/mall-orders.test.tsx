import Taro from '@tarojs/taro'
import { screen, waitFor } from '@testing-library/react'
import MallOrdersPage from '@/packages/mall/pages/orders'
import { useOrdersStore } from '@/features/mall/orders-store'
import { ApiError } from '@/services/http'
import { cancelOrder, listOrders } from '@/services/mall'
import { aMember, mountPage, signedInAs, tap } from './render'
import { anOrder } from './mall-fixtures'

jest.mock('@/services/mall')
const mockedOrders = jest.mocked(listOrders)
const mockedCancel = jest.mocked(cancelOrder)

let showModal: jest.SpyInstance
let showToast: jest.SpyInstance

const open = anOrder({ id: 11, itemName: '酸梅汤', quantity: 2, pickupCode: 'AB3DK7MN' })
const fulfilled = anOrder({
  id: 12,
  itemName: '八宝茶',
  quantity: 1,
  pointsSpent: 30,
  pickupCode: 'QW8ERT5Y',
  status: 'fulfilled',
  closedAt: '2026-07-02T06:30:00.000Z',
})
const cancelled = anOrder({ id: 13, itemName: '矿泉水', status: 'cancelled', pointsSpent: 10 })
const expired = anOrder({ id: 14, itemName: '凉茶', status: 'expired', pointsSpent: 25 })

beforeEach(() => {
  useOrdersStore.setState({ orders: [], status: 'idle', error: null, cancellingId: null })
  mockedOrders.mockReset()
  mockedCancel.mockReset()
  showModal = jest.spyOn(Taro, 'showModal')
  showToast = jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  signedInAs(aMember())
})

afterEach(() => {
  jest.restoreAllMocks()
})

function card(container: HTMLElement, id: number): HTMLElement {
  const index = useOrdersStore.getState().orders.findIndex((o) => o.id === id)
  return container.querySelectorAll<HTMLElement>('.order')[index]
}

test('lists orders with their state in Chinese; only open ones show the code and 取消', async () => {
  mockedOrders.mockResolvedValue([open, fulfilled, cancelled, expired])
  const { container } = await mountPage(<MallOrdersPage />)

  expect(await screen.findByText('待领取')).toBeTruthy()
  expect(screen.getByText('已领取')).toBeTruthy()
  expect(screen.getByText('已取消')).toBeTruthy()
  expect(screen.getByText('已过期')).toBeTruthy()
  expect(screen.getByText('2026年7月2日 14:30 已领取')).toBeTruthy()
  expect(screen.getByText('未在期限内领取，25 积分已退回')).toBeTruthy()

  expect(card(container, 11).textContent).toContain('AB3D K7MN')
  expect(card(container, 11).querySelector('.qr-code')).not.toBeNull()
  expect(card(container, 11).querySelector('.order-cancel')).not.toBeNull()
  for (const id of [12, 13, 14]) {
    expect(card(container, id).querySelector('.order-cancel')).toBeNull()
    expect(card(container, id).querySelector('.qr-code')).toBeNull()
  }
  expect(screen.queryByText('QW8E RT5Y')).toBeNull()
})

test('cancels after the member confirms, and shows 已取消', async () => {
  mockedOrders.mockResolvedValue([open])
  showModal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  mockedCancel.mockResolvedValue({ ...open, status: 'cancelled', closedAt: open.createdAt })
  const { container } = await mountPage(<MallOrdersPage />)
  await screen.findByText('待领取')

  await tap(container, '.order-cancel')

  expect(showModal).toHaveBeenCalledWith(
    expect.objectContaining({ content: expect.stringContaining('取消后积分和库存将退回') }),
  )
  await waitFor(() => expect(mockedCancel).toHaveBeenCalledWith(11))
  expect(await screen.findByText('已取消')).toBeTruthy()
  expect(screen.queryByText('待领取')).toBeNull()
  expect(container.querySelector('.order-cancel')).toBeNull()
})

test('does nothing when the member does not confirm', async () => {
  mockedOrders.mockResolvedValue([open])
  showModal.mockResolvedValue({ confirm: false, cancel: true, errMsg: 'showModal:ok' })
  const { container } = await mountPage(<MallOrdersPage />)
  await screen.findByText('待领取')

  await tap(container, '.order-cancel')

  expect(showModal).toHaveBeenCalled()
  expect(mockedCancel).not.toHaveBeenCalled()
  expect(screen.getByText('待领取')).toBeTruthy()
})

test('NOT_CANCELLABLE shows the server message and reloads the orders', async () => {
  mockedOrders.mockResolvedValueOnce([open])
  showModal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  mockedCancel.mockRejectedValue(new ApiError('NOT_CANCELLABLE', '该订单已领取，不能取消', 409))
  mockedOrders.mockResolvedValueOnce([{ ...open, status: 'fulfilled' }])
  const { container } = await mountPage(<MallOrdersPage />)
  await screen.findByText('待领取')

  await tap(container, '.order-cancel')

  await waitFor(() =>
    expect(showToast).toHaveBeenCalledWith(
      expect.objectContaining({ title: '该订单已领取，不能取消' }),
    ),
  )
  expect(await screen.findByText('已领取')).toBeTruthy()
  expect(mockedOrders).toHaveBeenCalledTimes(2)
})

test('shows an error with 重新加载', async () => {
  mockedOrders.mockRejectedValueOnce(new ApiError('NETWORK', '网络不给力，请检查网络后重试'))
  mockedOrders.mockResolvedValueOnce([])
  const { container } = await mountPage(<MallOrdersPage />)

  expect(await screen.findByText('网络不给力，请检查网络后重试')).toBeTruthy()
  await tap(container, '.state-retry')
  expect(await screen.findByText('还没有兑换记录')).toBeTruthy()
})
