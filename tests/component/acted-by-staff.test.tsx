import { screen } from '@testing-library/react'
import MallOrdersPage from '@/packages/mall/pages/orders'
import { useOrdersStore } from '@/features/mall/orders-store'
import { listOrders } from '@/services/mall'
import { aMember, mountPage, signedInAs } from './render'
import { anOrder } from './mall-fixtures'

jest.mock('@/services/mall')

beforeEach(() => {
  signedInAs(aMember())
})

test('an order staff redeemed for the member says 由工会工作人员代办; the member’s own does not', async () => {
  jest
    .mocked(listOrders)
    .mockResolvedValue([
      anOrder({ id: 11, itemName: '酸梅汤', actedByStaff: true }),
      anOrder({ id: 12, itemName: '绿豆汤', pickupCode: 'CD4EF8PQ' }),
    ])
  const { container } = await mountPage(<MallOrdersPage />)

  expect(await screen.findByText('由工会工作人员代办')).toBeTruthy()
  const cards = container.querySelectorAll<HTMLElement>('.order')
  const index = (id: number) => useOrdersStore.getState().orders.findIndex((o) => o.id === id)
  expect(cards[index(11)].textContent).toContain('由工会工作人员代办')
  expect(cards[index(12)].textContent).not.toContain('由工会工作人员代办')
})
