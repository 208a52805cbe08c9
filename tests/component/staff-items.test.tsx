import Taro from '@tarojs/taro'
import { screen, waitFor } from '@testing-library/react'
import StaffPage from '@/packages/staff/pages/index'
import { ItemForm } from '@/features/mall/staff/item-form'
import { useUnionsStore } from '@/components/form/unions-store'
import { useStaffItemsStore } from '@/features/mall/staff/items-store'
import { manageableRows, unionTreeRows } from '@/components/form/union-tree'
import { ApiError } from '@/services/http'
import { createItem, listStaffItems, patchItem } from '@/services/mall'
import { listUnions } from '@/services/org'
import { aMember, mountPage, signedInAs, tap, typeInto } from './render'
import { anItem } from './mall-fixtures'

jest.mock('@/services/mall')
jest.mock('@/services/org')
const mockedUnions = jest.mocked(listUnions)
const mockedCreate = jest.mocked(createItem)
const mockedPatch = jest.mocked(patchItem)
const mockedItems = jest.mocked(listStaffItems)

const unions = [
  { id: 1, name: '北京市总工会', parentId: null },
  { id: 2, name: '中关村科学城工会', parentId: 1 },
  { id: 3, name: '小米工会', parentId: 2 },
  { id: 4, name: '石景山区总工会', parentId: 1 },
]
const staff = aMember({ roles: ['member', 'staff'], staffUnionId: 2 })
const staffItem = {
  ...anItem({ id: 7, unionId: 2, name: '酸梅汤', pointsCost: 20, stock: 300 }),
  awaitingPickupQuantity: 3,
  fulfilledQuantity: 5,
}

beforeEach(() => {
  useUnionsStore.setState({ unions: [], status: 'idle', error: null })
  useStaffItemsStore.setState({ items: [], status: 'idle', error: null })
  for (const m of [mockedUnions, mockedCreate, mockedPatch, mockedItems]) m.mockReset()
  mockedUnions.mockResolvedValue(unions)
  jest.spyOn(Taro, 'navigateBack').mockResolvedValue({ errMsg: 'ok' })
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'ok' })
})

afterEach(() => {
  jest.restoreAllMocks()
})

test('the staff index lists the mall tools', async () => {
  signedInAs(staff)
  await mountPage(<StaffPage />)
  for (const title of ['核销提货', '商品管理', '发放积分'])
    expect(screen.getByText(title)).toBeTruthy()
  expect(screen.queryByText('组织与会员管理')).toBeNull()
})

test('staff may pick only their union and the unions below it; admins all', () => {
  const rows = unionTreeRows(unions)
  expect(manageableRows(rows, staff).map((r) => r.union.name)).toEqual([
    '中关村科学城工会',
    '小米工会',
  ])
  expect(manageableRows(rows, aMember({ roles: ['admin'] }))).toHaveLength(4)
  expect(manageableRows(rows, aMember())).toHaveLength(0)
})

test('a new item shows the contract messages next to the fields and sends nothing', async () => {
  const admin = aMember({ roles: ['member', 'admin'] })
  signedInAs(admin)
  const { container } = await mountPage(<ItemForm member={admin} />)
  await screen.findByText('上架商品')
  await waitFor(() => expect(container.querySelector('.item-name-input input')).not.toBeNull())

  typeInto(container, '.item-pointsCost-input', '0')
  typeInto(container, '.item-stock-input', '-1')
  typeInto(container, '.item-imageUrl-input', 'ftp://x')
  await tap(container, '.item-save')

  expect(await screen.findByText('请填写商品名称')).toBeTruthy()
  expect(screen.getByText('请选择所属工会')).toBeTruthy()
  expect(screen.getByText('兑换积分至少为 1')).toBeTruthy()
  expect(screen.getByText('库存不能为负数')).toBeTruthy()
  expect(screen.getByText('图片地址应为 http(s):// 开头的网址或 / 开头的路径')).toBeTruthy()
  expect(mockedCreate).not.toHaveBeenCalled()
})

test('editing sends the changed item and shows a server refusal above the form', async () => {
  signedInAs(staff)
  useStaffItemsStore.setState({ items: [staffItem], status: 'ready', error: null })
  mockedPatch.mockRejectedValueOnce(new ApiError('FORBIDDEN', '该商品不属于你管理的工会', 403))
  const { container } = await mountPage(<ItemForm member={staff} itemId={7} />)
  await screen.findByText('保存修改')
  await waitFor(() =>
    expect(container.querySelector<HTMLInputElement>('.item-stock-input input')?.value).toBe('300'),
  )

  typeInto(container, '.item-stock-input', '250')
  await tap(container, '.item-save')

  expect(mockedPatch).toHaveBeenCalledWith(
    7,
    expect.objectContaining({ name: '酸梅汤', unionId: 2, stock: 250, pointsCost: 20 }),
  )
  expect(await screen.findByText('该商品不属于你管理的工会')).toBeTruthy()

  mockedPatch.mockResolvedValueOnce({ ...staffItem, stock: 250 })
  await tap(container, '.item-save')
  await waitFor(() => expect(Taro.navigateBack).toHaveBeenCalled())
  expect(useStaffItemsStore.getState().items[0].stock).toBe(250)
})

test('staff create an item on their own union by default, with one key across retries', async () => {
  signedInAs(staff)
  mockedCreate
    .mockRejectedValueOnce(new ApiError('NETWORK', '网络不给力，请检查网络后重试'))
    .mockResolvedValueOnce({ ...staffItem, id: 8, name: '绿豆汤' })
  const { container } = await mountPage(<ItemForm member={staff} />)
  // The picker's option list holds the same name: ask for the shown value only.
  await screen.findByText('中关村科学城工会', { selector: '.union-picker-value' })
  await waitFor(() => expect(container.querySelector('.item-name-input input')).not.toBeNull())

  typeInto(container, '.item-name-input', '绿豆汤')
  typeInto(container, '.item-pointsCost-input', '15')
  typeInto(container, '.item-stock-input', '100')
  await tap(container, '.item-save')
  expect(await screen.findByText('网络不给力，请检查网络后重试')).toBeTruthy()
  await tap(container, '.item-save')

  await waitFor(() => expect(Taro.navigateBack).toHaveBeenCalled())
  expect(mockedCreate.mock.calls[0][0]).toEqual({
    name: '绿豆汤',
    unionId: 2,
    pointsCost: 15,
    stock: 100,
    perMemberLimit: 1,
    pickupDays: 7,
  })
  const [first, second] = mockedCreate.mock.calls.map(([, o]) => o?.idempotencyKey)
  expect(first).toMatch(/\S{8,}/)
  expect(second).toBe(first)
  expect(useStaffItemsStore.getState().items.map((i) => i.name)).toEqual(['绿豆汤'])
})
