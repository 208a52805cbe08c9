import Taro from '@tarojs/taro'
import { act, fireEvent, screen } from '@testing-library/react'
import { CoolingSites } from '@/features/cooling/staff/cooling-sites'
import { useUnionsStore } from '@/components/form/unions-store'
import { ApiError } from '@/services/http'
import { createCoolingSite, listStaffCoolingSites, patchCoolingSite } from '@/services/cooling'
import { listUnions } from '@/services/org'
import { aMember, mountPage, signedInAs, tap, typeInto } from './render'
import { sites } from './cooling-fixtures'

jest.mock('@/services/cooling')
jest.mock('@/services/org')
const mockedSites = jest.mocked(listStaffCoolingSites)
const mockedPatch = jest.mocked(patchCoolingSite)
const mockedCreate = jest.mocked(createCoolingSite)
const mockedUnions = jest.mocked(listUnions)

// 朝阳 staff: 帕克国际工会 is theirs.
const staff = aMember({ memberNo: 'S0201', roles: ['member', 'staff'], staffUnionId: 3 })

beforeEach(() => {
  jest.resetAllMocks()
  useUnionsStore.setState({ unions: [], status: 'idle', error: null })
  signedInAs(staff)
  mockedUnions.mockResolvedValue([
    { id: 1, name: '北京市总工会', parentId: null },
    { id: 3, name: '朝阳区总工会', parentId: 1 },
    { id: 14, name: '帕克国际工会', parentId: 3 },
  ])
  mockedSites.mockResolvedValue(sites)
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
})

afterEach(() => {
  jest.restoreAllMocks()
})

test('收货地点: a site’s address is changed in place; errors clear once the field is fixed', async () => {
  const { container } = await mountPage(<CoolingSites member={staff} />)
  await screen.findByText('格尔木项目部（高原）')
  expect(screen.getByText('现场收货人：马建军')).toBeTruthy()
  const links = container.querySelectorAll<HTMLElement>('.site-edit-link')
  expect(links).toHaveLength(2)
  await act(async () => {
    fireEvent.click(links[1])
  })
  expect(screen.getByText(/已发货的礼包仍显示发货时的地址/)).toBeTruthy()
  await act(async () => {
    await new Promise((resolve) => requestAnimationFrame(resolve))
  })

  // An empty address is refused before sending, and the message goes once it is filled in.
  typeInto(container, '.site-edit-address', ' ')
  await tap(container, '.site-edit-save')
  expect(screen.getByText('请填写详细地址')).toBeTruthy()
  expect(mockedPatch).not.toHaveBeenCalled()
  typeInto(container, '.site-edit-address', '青海省格尔木市 储能电站二期项目部')
  expect(screen.queryByText('请填写详细地址')).toBeNull()

  // A name already used is the server's to refuse.
  typeInto(container, '.site-edit-name', '朝阳总部')
  mockedPatch.mockRejectedValueOnce(
    new ApiError('SITE_EXISTS', '本工会已有名为「朝阳总部」的收货地点', 409),
  )
  await tap(container, '.site-edit-save')
  expect(screen.getByText('本工会已有名为「朝阳总部」的收货地点')).toBeTruthy()

  // The site contact: too long is refused before sending; cleared, it is sent as null.
  typeInto(container, '.site-edit-recipient', '名'.repeat(21))
  await tap(container, '.site-edit-save')
  expect(screen.getByText('现场收货人最多 20 个字')).toBeTruthy()
  typeInto(container, '.site-edit-recipient', ' ')
  expect(screen.queryByText('现场收货人最多 20 个字')).toBeNull()

  typeInto(container, '.site-edit-name', '格尔木项目部（二期）')
  mockedPatch.mockResolvedValueOnce({
    ...sites[1],
    name: '格尔木项目部（二期）',
    address: '青海省格尔木市 储能电站二期项目部',
    recipient: null,
  })
  await tap(container, '.site-edit-save')
  expect(mockedPatch).toHaveBeenLastCalledWith(22, {
    name: '格尔木项目部（二期）',
    address: '青海省格尔木市 储能电站二期项目部',
    recipient: null,
  })
  expect(screen.queryByText('现场收货人：马建军')).toBeNull()
  expect(await screen.findByText('格尔木项目部（二期）')).toBeTruthy()
  expect(container.querySelector('.site-edit')).toBeNull()
})

test('收货地点: a new site with its contact; a contact too long is refused before sending', async () => {
  const { container } = await mountPage(<CoolingSites member={staff} />)
  await screen.findByText('格尔木项目部（高原）')
  await act(async () => {
    await new Promise((resolve) => requestAnimationFrame(resolve))
  })
  typeInto(container, '.site-name-input', '酒泉风电项目部')
  typeInto(container, '.site-address-input', '甘肃省酒泉市 瓜州县 风电项目部')
  typeInto(container, '.site-recipient-input', '名'.repeat(21))
  await tap(container, '.site-save')
  expect(screen.getByText('现场收货人最多 20 个字')).toBeTruthy()
  expect(mockedCreate).not.toHaveBeenCalled()

  typeInto(container, '.site-recipient-input', ' 赵海 ')
  expect(screen.queryByText('现场收货人最多 20 个字')).toBeNull()
  mockedCreate.mockResolvedValueOnce({
    id: 23,
    unionId: 14,
    unionName: '帕克国际工会',
    name: '酒泉风电项目部',
    address: '甘肃省酒泉市 瓜州县 风电项目部',
    recipient: '赵海',
  })
  await tap(container, '.site-save')
  expect(mockedCreate).toHaveBeenCalledWith(
    {
      unionId: 14,
      name: '酒泉风电项目部',
      address: '甘肃省酒泉市 瓜州县 风电项目部',
      recipient: '赵海',
    },
    expect.anything(),
  )
  expect(await screen.findByText('现场收货人：赵海')).toBeTruthy()
})
