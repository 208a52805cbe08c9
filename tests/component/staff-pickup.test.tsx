import { screen, waitFor } from '@testing-library/react'
import PickupPage from '@/packages/staff/pages/pickup'
import { ApiError } from '@/services/http'
import { fulfilPickup, lookupPickup } from '@/services/mall'
import { aMember, mountPage, signedInAs, tap, typeInto } from './render'
import { aPickupOrder } from './mall-fixtures'

jest.mock('@/services/mall')
const mockedLookup = jest.mocked(lookupPickup)
const mockedFulfil = jest.mocked(fulfilPickup)

const staff = aMember({
  name: '赵敏',
  memberNo: 'S0001',
  roles: ['member', 'staff'],
  staffUnionId: 1,
})

beforeEach(() => {
  mockedLookup.mockReset()
  mockedFulfil.mockReset()
  signedInAs(staff)
})

function codeInput(container: HTMLElement): HTMLInputElement {
  return container.querySelector<HTMLInputElement>('.pickup-code-input input')!
}

test('looks a typed code up, shows whose order it is, confirms and clears for the next', async () => {
  const order = aPickupOrder({ itemName: '酸梅汤', quantity: 2, memberName: '张伟' })
  mockedLookup.mockResolvedValue(order)
  mockedFulfil.mockResolvedValue({ ...order, status: 'fulfilled' })
  const { container } = await mountPage(<PickupPage />)

  typeInto(container, '.pickup-code-input', 'ab3d k7mn')
  await tap(container, '.pickup-lookup')

  // The contract normalises the code: case and spaces do not matter.
  await waitFor(() => expect(mockedLookup).toHaveBeenCalledWith('AB3DK7MN'))
  expect(await screen.findByText('酸梅汤 × 2')).toBeTruthy()
  expect(screen.getByText('张伟（M0001）')).toBeTruthy()
  expect(screen.getByText('待领取')).toBeTruthy()
  expect(mockedFulfil).not.toHaveBeenCalled()

  await tap(container, '.pickup-fulfil')

  expect(mockedFulfil).toHaveBeenCalledWith('AB3DK7MN')
  expect(await screen.findByText('核销成功')).toBeTruthy()
  expect(screen.getByText('酸梅汤 × 2 已交给 张伟')).toBeTruthy()
  expect(container.querySelector('.pickup-fulfil')).toBeNull()
  await waitFor(() => expect(codeInput(container).value).toBe(''))
})

test('an unknown code gets the server message', async () => {
  mockedLookup.mockRejectedValue(new ApiError('UNKNOWN_CODE', '提货码不存在，请核对后重试', 404))
  const { container } = await mountPage(<PickupPage />)

  typeInto(container, '.pickup-code-input', 'ZZZZ9999')
  await tap(container, '.pickup-lookup')

  expect(await screen.findByText('提货码不存在，请核对后重试')).toBeTruthy()
  expect(container.querySelector('.pickup-fulfil')).toBeNull()
})

test('an empty code is refused before asking the server', async () => {
  const { container } = await mountPage(<PickupPage />)
  await tap(container, '.pickup-lookup')
  expect(await screen.findByText('请输入提货码')).toBeTruthy()
  expect(mockedLookup).not.toHaveBeenCalled()
})

test('fulfilled, cancelled and expired orders cannot be handed out', async () => {
  const { container } = await mountPage(<PickupPage />)

  mockedLookup.mockResolvedValueOnce(
    aPickupOrder({ status: 'fulfilled', closedAt: '2026-07-02T06:30:00.000Z' }),
  )
  typeInto(container, '.pickup-code-input', 'AB3DK7MN')
  await tap(container, '.pickup-lookup')
  expect(await screen.findByText('该提货码已于 2026年7月2日 14:30 核销，不能重复领取')).toBeTruthy()
  expect(container.querySelector('.pickup-fulfil')).toBeNull()

  mockedLookup.mockResolvedValueOnce(aPickupOrder({ status: 'cancelled' }))
  await tap(container, '.pickup-lookup')
  expect(await screen.findByText('该订单已被会员取消，不能领取')).toBeTruthy()

  mockedLookup.mockResolvedValueOnce(aPickupOrder({ status: 'expired' }))
  await tap(container, '.pickup-lookup')
  expect(await screen.findByText(/该订单已超过领取期限/)).toBeTruthy()
  expect(container.querySelector('.pickup-fulfil')).toBeNull()
})

test('ALREADY_FULFILLED at confirmation shows the message and the order as it is now', async () => {
  const order = aPickupOrder()
  mockedLookup.mockResolvedValueOnce(order)
  mockedFulfil.mockRejectedValue(
    new ApiError('ALREADY_FULFILLED', '该提货码已核销，不能重复领取', 409),
  )
  mockedLookup.mockResolvedValueOnce({ ...order, status: 'fulfilled', closedAt: order.createdAt })
  const { container } = await mountPage(<PickupPage />)

  typeInto(container, '.pickup-code-input', 'AB3DK7MN')
  await tap(container, '.pickup-lookup')
  await screen.findByText('待领取')
  await tap(container, '.pickup-fulfil')

  expect(await screen.findByText('该提货码已核销，不能重复领取')).toBeTruthy()
  expect(await screen.findByText('已领取')).toBeTruthy()
  expect(container.querySelector('.pickup-fulfil')).toBeNull()
  expect(screen.queryByText('核销成功')).toBeNull()
})

test('members who are not staff see 仅工会干部可用', async () => {
  signedInAs(aMember())
  await mountPage(<PickupPage />)
  expect(screen.getByText('仅工会干部可用')).toBeTruthy()
  expect(document.querySelector('.pickup-code-input')).toBeNull()
})
