import Taro from '@tarojs/taro'
import { act, screen, waitFor } from '@testing-library/react'
import { getPageInstance, HOOKS_APP_ID } from '@tarojs/runtime'
import ItemsPage from '@/packages/staff/pages/items'
import MembersPage from '@/packages/staff/pages/members'
import { useStaffItemsStore } from '@/features/mall/staff/items-store'
import { listStaffItems } from '@/services/mall'
import { getStaffMember, searchMembers } from '@/services/org'
import { aMember, mountPage, signedInAs, tap } from './render'
import { anItem } from './mall-fixtures'

jest.mock('@/services/mall')
jest.mock('@/services/org')
const mockedItems = jest.mocked(listStaffItems)
const mockedSearch = jest.mocked(searchMembers)
const mockedMember = jest.mocked(getStaffMember)

const staff = aMember({ roles: ['member', 'staff'], staffUnionId: 2 })
const staffItem = (name: string, stock: number) => ({
  ...anItem({ id: 7, unionId: 2, name, pointsCost: 20, stock }),
  awaitingPickupQuantity: 0,
  fulfilledQuantity: 0,
})

/** Pulls the page down the way Taro does: runs the page's `onPullDownRefresh` callbacks. */
async function pullDown(): Promise<void> {
  const hooks = (getPageInstance(HOOKS_APP_ID) ?? {}) as { onPullDownRefresh?: unknown }
  const pulls = hooks.onPullDownRefresh
  const callbacks = (Array.isArray(pulls) ? pulls : [pulls]).filter(
    (f): f is () => void => typeof f === 'function',
  )
  expect(callbacks.length).toBeGreaterThan(0)
  await act(async () => {
    for (const pull of callbacks) pull()
  })
}

let stop: jest.SpyInstance
beforeEach(() => {
  useStaffItemsStore.setState({ items: [], status: 'idle', error: null })
  for (const m of [mockedItems, mockedSearch, mockedMember]) m.mockReset()
  stop = jest.spyOn(Taro, 'stopPullDownRefresh').mockImplementation(() => undefined as never)
})

afterEach(() => {
  jest.restoreAllMocks()
})

test('the staff list pages turn pull-down refresh on', () => {
  // Page configs call the build's global definePageConfig.
  Object.assign(globalThis, { definePageConfig: (config: object) => config })
  for (const page of ['items', 'events', 'cooling', 'legal', 'members']) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const config = require(`@/packages/staff/pages/${page}.config`) as { default: object }
    expect(config.default).toMatchObject({ enablePullDownRefresh: true })
  }
})

test('pulling the goods list down loads it again and then stops the spinner', async () => {
  signedInAs(staff)
  mockedItems.mockResolvedValueOnce([staffItem('酸梅汤', 300)])
  await mountPage(<ItemsPage />)
  expect(await screen.findByText('酸梅汤')).toBeTruthy()
  expect(stop).not.toHaveBeenCalled()

  mockedItems.mockResolvedValueOnce([staffItem('绿豆汤', 120)])
  await pullDown()
  expect(await screen.findByText('绿豆汤')).toBeTruthy()
  expect(mockedItems).toHaveBeenCalledTimes(2)
  await waitFor(() => expect(stop).toHaveBeenCalledTimes(1))
})

test('a failed reload still stops the spinner', async () => {
  signedInAs(staff)
  mockedItems.mockResolvedValueOnce([staffItem('酸梅汤', 300)])
  await mountPage(<ItemsPage />)
  await screen.findByText('酸梅汤')
  mockedItems.mockRejectedValueOnce(new Error('网络不可用'))
  await pullDown()
  await waitFor(() => expect(stop).toHaveBeenCalledTimes(1))
})

test('on 会员账号 a pull runs the search shown again; before any search it asks nothing', async () => {
  signedInAs(staff)
  const { container } = await mountPage(<MembersPage />)
  await pullDown()
  expect(mockedSearch).not.toHaveBeenCalled()
  await waitFor(() => expect(stop).toHaveBeenCalledTimes(1))

  const hit = { id: 5, memberNo: 'M0005', name: '王芳', unionId: 2, unionName: '中关村科学城工会' }
  mockedSearch.mockResolvedValue([hit] as Awaited<ReturnType<typeof searchMembers>>)
  await tap(container, '.member-search-go')
  await screen.findByText(/王芳/)
  await pullDown()
  await waitFor(() => expect(mockedSearch).toHaveBeenCalledTimes(2))
  await waitFor(() => expect(stop).toHaveBeenCalledTimes(2))
})
