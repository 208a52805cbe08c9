import Taro from '@tarojs/taro'
import { screen, waitFor } from '@testing-library/react'
import { ItemView } from '@/features/mall/components/item-view'
import { MallView } from '@/features/mall/components/mall-view'
import { useRedeemStore } from '@/features/mall/redeem-store'
import { ApiError } from '@/services/http'
import { listMallItems, redeemItem } from '@/services/mall'
import { getPoints } from '@/services/points'
import { aMember, mountPage, signedInAs, tap } from './render'
import { anItem, anOrder } from './mall-fixtures'

jest.mock('@/services/mall')
jest.mock('@/services/points')
const mockedItems = jest.mocked(listMallItems)
const mockedRedeem = jest.mocked(redeemItem)
const mockedPoints = jest.mocked(getPoints)

let showToast: jest.SpyInstance

function balance(points: number) {
  mockedPoints.mockResolvedValue({ balance: points, expiring: [] })
}

/** The text of the stepper's value. */
function quantityShown(container: HTMLElement): string | undefined {
  return container.querySelector('.stepper-value')?.textContent ?? undefined
}

beforeEach(() => {
  useRedeemStore.getState().reset()
  useRedeemStore.setState({ canRetry: false, key: null, keyFor: null })
  mockedItems.mockReset()
  mockedRedeem.mockReset()
  mockedPoints.mockReset()
  showToast = jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  signedInAs(aMember({ name: '张伟' }))
})

afterEach(() => {
  jest.restoreAllMocks()
})

test('the list shows cost, stock, limit and disables sold-out and not-yet-on-sale items', async () => {
  balance(250)
  mockedItems.mockResolvedValue([
    anItem({ id: 1, name: '酸梅汤' }),
    anItem({ id: 2, name: '防晒冰袖', stock: 0, soldOut: true, pointsCost: 60 }),
    anItem({
      id: 3,
      name: '工会定制保温杯',
      onSale: false,
      // 2099-07-04 00:00 in Shanghai (the test device is in Los Angeles).
      saleStartsAt: '2099-07-03T16:00:00.000Z',
    }),
  ])

  const { container } = await mountPage(<MallView />)

  expect(await screen.findByText('酸梅汤')).toBeTruthy()
  expect(screen.getByText('250')).toBeTruthy()
  expect(screen.getAllByText('20 积分').length).toBeGreaterThan(0)
  expect(screen.getAllByText('剩余 300 件 · 每人限兑 4 件').length).toBeGreaterThan(0)
  expect(screen.getByText('已兑完')).toBeTruthy()
  expect(screen.getByText('7月4日 开售')).toBeTruthy()
  const cards = Array.from(container.querySelectorAll('.mall-item'))
  expect(cards.map((c) => c.classList.contains('is-unavailable'))).toEqual([false, true, true])
  // No picture: a tile with the first character.
  expect(cards[1].querySelector('.item-picture-char')?.textContent).toBe('防')
})

test('the sheet limits the quantity to stock and the remaining per-member limit', async () => {
  balance(1000)
  mockedItems.mockResolvedValue([anItem({ perMemberLimit: 4, redeemedQuantity: 1, stock: 300 })])
  const { container } = await mountPage(<ItemView itemId={1} />)

  await tap(container, '.item-redeem')
  expect(screen.getByText('确认兑换', { selector: '.sheet-title' })).toBeTruthy()
  expect(quantityShown(container)).toBe('1')
  expect(screen.getByText('共需')).toBeTruthy()
  expect(screen.getByText('20 积分', { selector: '.sheet-total' })).toBeTruthy()
  expect(screen.getByText('兑换后剩余 980 积分')).toBeTruthy()

  // 4 per member, 1 already held: at most 3.
  for (let i = 0; i < 5; i++) await tap(container, '.stepper-more')
  expect(quantityShown(container)).toBe('3')
  expect(screen.getByText('最多可兑 3 件（每人限兑 4 件，你已兑换 1 件）')).toBeTruthy()
  expect(screen.getByText('兑换后剩余 940 积分')).toBeTruthy()

  for (let i = 0; i < 5; i++) await tap(container, '.stepper-less')
  expect(quantityShown(container)).toBe('1')
})

test('the sheet stops at the stock left when it is below the limit', async () => {
  balance(1000)
  mockedItems.mockResolvedValue([anItem({ stock: 2, perMemberLimit: 4 })])
  const { container } = await mountPage(<ItemView itemId={1} />)

  await tap(container, '.item-redeem')
  for (let i = 0; i < 4; i++) await tap(container, '.stepper-more')
  expect(quantityShown(container)).toBe('2')
  expect(screen.getByText('最多可兑 2 件（仅剩 2 件）')).toBeTruthy()
})

test('refuses when the balance is short and says why', async () => {
  balance(50)
  mockedItems.mockResolvedValue([anItem({ pointsCost: 20 })])
  const { container } = await mountPage(<ItemView itemId={1} />)

  await tap(container, '.item-redeem')
  expect(screen.getByText('兑换后剩余 30 积分')).toBeTruthy()
  await tap(container, '.stepper-more')
  await tap(container, '.stepper-more')

  expect(screen.getByText('积分不足：需要 60 积分，你现有 50 积分，还差 10 积分')).toBeTruthy()
  expect(screen.queryByText(/兑换后剩余/)).toBeNull()
  expect(container.querySelector('.redeem-confirm')?.classList.contains('is-disabled')).toBe(true)
  await tap(container, '.redeem-confirm')
  expect(mockedRedeem).not.toHaveBeenCalled()
})

test('a retry after a network error reuses the idempotency key; a new quantity gets a new key', async () => {
  balance(250)
  mockedItems.mockResolvedValue([anItem()])
  mockedRedeem
    .mockRejectedValueOnce(new ApiError('NETWORK', '网络不给力，请检查网络后重试'))
    .mockRejectedValueOnce(new ApiError('NETWORK', '网络不给力，请检查网络后重试'))
    .mockRejectedValueOnce(new ApiError('NETWORK', '网络不给力，请检查网络后重试'))
    .mockResolvedValueOnce(anOrder({ quantity: 2, pointsSpent: 40, pickupCode: 'AB3DK7MN' }))
  const { container } = await mountPage(<ItemView itemId={1} />)

  await tap(container, '.item-redeem')
  await tap(container, '.redeem-confirm')
  expect(await screen.findByText('网络不给力，请检查网络后重试')).toBeTruthy()
  expect(screen.getByText('重试')).toBeTruthy()

  await tap(container, '.redeem-confirm')
  // Closing and reopening the sheet keeps the unanswered attempt's key too.
  await tap(container, '.redeem-cancel')
  await tap(container, '.item-redeem')
  await tap(container, '.redeem-confirm')
  const keys = mockedRedeem.mock.calls.map(([, options]) => options.idempotencyKey)
  expect(keys).toHaveLength(3)
  expect(keys[0]).toMatch(/\S{8,}/)
  expect(keys[1]).toBe(keys[0])
  expect(keys[2]).toBe(keys[0])
  expect(mockedRedeem.mock.calls[0][0]).toEqual({ itemId: 1, quantity: 1 })

  // Another quantity is another redemption.
  await tap(container, '.stepper-more')
  await tap(container, '.redeem-confirm')
  const last = mockedRedeem.mock.calls[3]
  expect(last[0]).toEqual({ itemId: 1, quantity: 2 })
  expect(last[1].idempotencyKey).not.toBe(keys[0])

  // The result: the code in groups of four, its QR, where and until when.
  expect(await screen.findByText('兑换成功')).toBeTruthy()
  expect(screen.getByText('AB3D K7MN')).toBeTruthy()
  expect(container.querySelectorAll('.qr-code-row').length).toBeGreaterThanOrEqual(21)
  expect(container.querySelectorAll('.qr-code-run.is-dark').length).toBeGreaterThan(50)
  expect(screen.getByText('中关村科学城工会')).toBeTruthy()
  expect(screen.getByText('2026年7月8日 23:59 前')).toBeTruthy()
})

test('OUT_OF_STOCK shows the server message and refreshes stock and balance', async () => {
  balance(250)
  mockedItems.mockResolvedValueOnce([anItem({ stock: 3 })])
  mockedRedeem.mockRejectedValueOnce(new ApiError('OUT_OF_STOCK', '库存不足，仅剩 1 件', 409))
  const { container } = await mountPage(<ItemView itemId={1} />)
  expect(await screen.findByText('3 件')).toBeTruthy()

  await tap(container, '.item-redeem')
  await tap(container, '.stepper-more')
  await tap(container, '.stepper-more')
  expect(quantityShown(container)).toBe('3')

  mockedItems.mockResolvedValueOnce([anItem({ stock: 1 })])
  balance(250)
  await tap(container, '.redeem-confirm')

  expect(await screen.findByText('库存不足，仅剩 1 件')).toBeTruthy()
  expect(showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '库存不足，仅剩 1 件' }))
  await waitFor(() => expect(mockedItems).toHaveBeenCalledTimes(2))
  expect(mockedPoints).toHaveBeenCalledTimes(2)
  // Fresh stock on the page and in the sheet: the quantity comes down to what is left.
  expect(await screen.findByText('1 件')).toBeTruthy()
  expect(quantityShown(container)).toBe('1')
  // A refused attempt created nothing: the next one is a new redemption with a new key.
  mockedRedeem.mockResolvedValueOnce(anOrder({ quantity: 1 }))
  await tap(container, '.redeem-confirm')
  const [first, second] = mockedRedeem.mock.calls.map(([, o]) => o.idempotencyKey)
  expect(second).not.toBe(first)
})

test('an item over the per-member limit cannot be opened', async () => {
  balance(250)
  mockedItems.mockResolvedValue([anItem({ perMemberLimit: 2, redeemedQuantity: 2 })])
  const { container } = await mountPage(<ItemView itemId={1} />)

  expect(await screen.findByText('已达兑换上限')).toBeTruthy()
  await tap(container, '.item-redeem')
  expect(container.querySelector('.redeem-sheet')).toBeNull()
})
