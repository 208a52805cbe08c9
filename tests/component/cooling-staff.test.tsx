import type { PackingListResponse } from '@/contract/cooling'
import Taro from '@tarojs/taro'
import { act, screen, waitFor } from '@testing-library/react'
import StaffPage from '@/packages/staff/pages/index'
import StaffCoolingPage from '@/packages/staff/pages/cooling'
import { CoolingCampaignForm } from '@/features/cooling/staff/cooling-campaign-form'
import { PackingListView } from '@/features/cooling/staff/packing-list-view'
import { useStaffCoolingStore } from '@/features/cooling/staff/cooling-store'
import { useUnionsStore } from '@/components/form/unions-store'
import { ApiError } from '@/services/http'
import {
  closeCoolingCampaign,
  getCampaignClose,
  createCoolingCampaign,
  getPackingList,
  getPackingListCsv,
  listStaffCoolingCampaigns,
  shipPackingGroup,
} from '@/services/cooling'
import { saveTextFile } from '@/services/download'
import { listUnions } from '@/services/org'
import { aMember, mountPage, signedInAs, tap, typeInto } from './render'
import { aStaffCampaign } from './cooling-fixtures'

// The xlsx download runs for real down to Taro (downloadFile/openDocument, or fetch on H5).
jest.mock('@/services/cooling', () => ({
  ...jest.createMockFromModule<object>('@/services/cooling'),
  openPackingListXlsx:
    jest.requireActual<typeof import('@/services/cooling')>('@/services/cooling')
      .openPackingListXlsx,
}))
jest.mock('@/services/org')
jest.mock('@/services/download', () => {
  const actual = jest.requireActual<typeof import('@/services/download')>('@/services/download')
  return {
    ...jest.createMockFromModule<object>('@/services/download'),
    openSpreadsheet: actual.openSpreadsheet,
    XLSX_MEDIA_TYPE: actual.XLSX_MEDIA_TYPE,
  }
})
const mockedCampaigns = jest.mocked(listStaffCoolingCampaigns)
const mockedClose = jest.mocked(closeCoolingCampaign)
const mockedCreate = jest.mocked(createCoolingCampaign)
const mockedFollow = jest.mocked(getCampaignClose)
const mockedList = jest.mocked(getPackingList)
const mockedCsv = jest.mocked(getPackingListCsv)
const mockedShip = jest.mocked(shipPackingGroup)
const mockedSave = jest.mocked(saveTextFile)
const mockedUnions = jest.mocked(listUnions)

const staff = aMember({ memberNo: 'S0101', roles: ['member', 'staff'], staffUnionId: 4 })
let showModal: jest.SpyInstance

beforeEach(() => {
  useStaffCoolingStore.setState({
    campaigns: [],
    status: 'idle',
    error: null,
    closingId: null,
    closed: null,
    progress: null,
  })
  useUnionsStore.setState({ unions: [], status: 'idle', error: null })
  for (const m of [
    mockedCampaigns,
    mockedClose,
    mockedFollow,
    mockedCreate,
    mockedList,
    mockedCsv,
    mockedShip,
    mockedSave,
    mockedUnions,
  ]) {
    m.mockReset()
  }
  mockedUnions.mockResolvedValue([
    { id: 1, name: '北京市总工会', parentId: null },
    { id: 4, name: '石景山区总工会', parentId: 1 },
    { id: 13, name: '四方继保工会', parentId: 4 },
  ])
  showModal = jest.spyOn(Taro, 'showModal')
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  jest.spyOn(Taro, 'navigateBack').mockResolvedValue({ errMsg: 'navigateBack:ok' })
  signedInAs(staff)
})

afterEach(() => {
  jest.restoreAllMocks()
})

test('the staff tools list the cooling tools', async () => {
  await mountPage(<StaffPage />)
  expect(screen.getByText('夏送清凉')).toBeTruthy()
  expect(screen.getByText('收货地点')).toBeTruthy()
})

test('members without a staff role do not get the cooling admin', async () => {
  signedInAs(aMember())
  await mountPage(<StaffCoolingPage />)
  expect(screen.getByText('仅工会干部可用')).toBeTruthy()
  expect(mockedCampaigns).not.toHaveBeenCalled()
})

test('closing asks first, then shows the default packs created and who is not covered', async () => {
  mockedCampaigns.mockResolvedValueOnce([aStaffCampaign()])
  mockedCampaigns.mockResolvedValueOnce([
    aStaffCampaign({
      status: 'closed',
      closedAt: new Date().toISOString(),
      counts: { members: 140, chosen: 20, default: 117, notChosen: 3, shipped: 0, received: 0 },
    }),
  ])
  const { container } = await mountPage(<StaffCoolingPage />)
  await screen.findByText('夏送清凉 · 清凉大礼包私人定制')
  expect(container.querySelector('.cooling-count-not-chosen')?.textContent).toBe('120未选择')

  showModal.mockResolvedValueOnce({ confirm: false, cancel: true, errMsg: 'showModal:ok' })
  await tap(container, '.cooling-close')
  expect(showModal).toHaveBeenCalledWith(
    expect.objectContaining({
      title: '提前结束活动',
      content: expect.stringContaining('还没有选择的 120 位会员将获得默认礼包'),
    }),
  )
  expect(mockedClose).not.toHaveBeenCalled()

  showModal.mockResolvedValueOnce({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  mockedClose.mockResolvedValue({
    defaultPacksCreated: 117,
    notCovered: 3,
    notCoveredMembers: [
      { memberId: 91, memberNo: 'M0123', name: '刘洋', unionName: '四方继保工会' },
      { memberId: 92, memberNo: 'M0128', name: '陈静', unionName: '四方继保工会' },
      { memberId: 93, memberNo: 'M0133', name: '赵磊', unionName: '四方继保工会' },
    ],
    closedAt: new Date().toISOString(),
    alreadyClosed: false,
  })
  await tap(container, '.cooling-close')

  await waitFor(() => expect(mockedClose).toHaveBeenCalledWith(7))
  expect(await screen.findByText('活动已结束，已为 117 位未选择的会员生成默认礼包')).toBeTruthy()
  expect(screen.getByText('库存不足：3 位会员未能获得默认礼包')).toBeTruthy()
  expect(screen.getByText(/刘洋（M0123）、陈静（M0128）、赵磊（M0133）/)).toBeTruthy()
  await waitFor(() =>
    expect(container.querySelector('.cooling-count-default')?.textContent).toBe('117默认礼包'),
  )
  expect(container.querySelector('.cooling-close')).toBeNull()
})

test('a close that covered everyone says so without a shortage line', async () => {
  mockedCampaigns.mockResolvedValue([aStaffCampaign()])
  showModal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  mockedClose.mockResolvedValue({
    defaultPacksCreated: 120,
    notCovered: 0,
    notCoveredMembers: [],
    closedAt: new Date().toISOString(),
    alreadyClosed: false,
  })
  const { container } = await mountPage(<StaffCoolingPage />)
  await screen.findByText('夏送清凉 · 清凉大礼包私人定制')
  await tap(container, '.cooling-close')
  expect(await screen.findByText('活动已结束，已为 120 位未选择的会员生成默认礼包')).toBeTruthy()
  expect(screen.queryByText(/库存不足/)).toBeNull()
})

test('a close of many members goes on as a job: its progress shows on the card', async () => {
  mockedCampaigns.mockResolvedValue([aStaffCampaign()])
  showModal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  const running = {
    id: aStaffCampaign().id,
    status: 'running' as const,
    total: 2600,
    done: 0,
    defaultPacksCreated: 0,
    notCovered: 0,
    notCoveredMembers: [],
    closedAt: new Date().toISOString(),
    error: null,
  }
  mockedClose.mockResolvedValue({ close: running })
  mockedFollow.mockResolvedValue({ close: { ...running, status: 'done', done: 2600 } })
  const { container, unmount } = await mountPage(<StaffCoolingPage />)
  await screen.findByText('夏送清凉 · 清凉大礼包私人定制')
  await tap(container, '.cooling-close')
  expect(
    await screen.findByText('正在生成默认礼包：已处理 0 / 2600 名会员，可以离开本页'),
  ).toBeTruthy()
  expect(container.querySelector('.cooling-close')?.textContent).toBe('生成中…')
  unmount()
})

test('the campaign form shows the contract messages per row and sends nothing', async () => {
  const { container } = await mountPage(<CoolingCampaignForm member={staff} />)
  await screen.findByText('创建活动')
  await waitFor(() => expect(container.querySelector('.cooling-title-input input')).not.toBeNull())

  typeInto(container, '.cooling-quota-input', '0')
  await tap(container, '.cooling-save')

  expect(screen.getByText('请填写活动名称')).toBeTruthy()
  expect(screen.getByText('每人额度至少为 1')).toBeTruthy()
  expect(screen.getByText('请填写物品名称')).toBeTruthy()
  expect(screen.getByText('请填写额度消耗')).toBeTruthy()
  expect(screen.getByText('请填写库存')).toBeTruthy()
  expect(screen.getByText('请设置默认礼包')).toBeTruthy()
  expect(mockedCreate).not.toHaveBeenCalled()
})

test('staff create a campaign with two item rows and a default pack', async () => {
  mockedCreate.mockResolvedValue(aStaffCampaign({ id: 9, title: '2026 夏送清凉' }))
  const { container } = await mountPage(<CoolingCampaignForm member={staff} />)
  await screen.findByText('创建活动')
  await waitFor(() => expect(container.querySelector('.cooling-title-input input')).not.toBeNull())
  expect(screen.getByText('石景山区总工会', { selector: '.picker-value' })).toBeTruthy()

  typeInto(container, '.cooling-title-input', '2026 夏送清凉')
  typeInto(container, '.cooling-maxItems-input', '5')
  await tap(container, '.cooling-item-add')
  await tap(container, '.cooling-item-add')
  expect(container.querySelectorAll('.cooling-item-row')).toHaveLength(3)
  // Remove the middle row again.
  await act(async () => {
    container.querySelectorAll<HTMLElement>('.cooling-item-remove')[1].click()
  })
  expect(container.querySelectorAll('.cooling-item-row')).toHaveLength(2)

  const rows = container.querySelectorAll<HTMLElement>('.cooling-item-row')
  const fill = (i: number, field: string, value: string) => {
    const input = rows[i].querySelector<HTMLInputElement>(`.cooling-item-${field}-input input`)
    if (!input) throw new Error(field)
    input.value = value
    input.dispatchEvent(new Event('input', { bubbles: true }))
  }
  await act(async () => {
    fill(0, 'name', '凉茶')
    fill(0, 'quotaCost', '15')
    fill(0, 'maxPerPack', '3')
    fill(0, 'stock', '120')
    fill(0, 'defaultQuantity', '2')
  })
  await act(async () => {
    fill(1, 'name', '风油精')
    fill(1, 'quotaCost', '5')
    fill(1, 'maxPerPack', '2')
    fill(1, 'stock', '60')
    fill(1, 'defaultQuantity', '3')
  })
  await tap(container, '.cooling-save')
  // 3 风油精 in the default pack, but at most 2 per pack.
  expect(screen.getByText('默认数量不能超过每份上限 2')).toBeTruthy()
  expect(mockedCreate).not.toHaveBeenCalled()

  await act(async () => fill(1, 'defaultQuantity', '1'))
  await tap(container, '.cooling-save')

  await waitFor(() => expect(mockedCreate).toHaveBeenCalled())
  const [body, options] = mockedCreate.mock.calls[0]
  expect(body).toMatchObject({
    unionId: 4,
    title: '2026 夏送清凉',
    quota: 100,
    maxItems: 5,
    items: [
      { name: '凉茶', quotaCost: 15, maxPerPack: 3, stock: 120 },
      { name: '风油精', quotaCost: 5, maxPerPack: 2, stock: 60 },
    ],
    defaultPack: [
      { itemIndex: 0, quantity: 2 },
      { itemIndex: 1, quantity: 1 },
    ],
  })
  expect(body.opensAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\+08:00$/)
  expect(body.closesAt).toMatch(/T18:00:00\+08:00$/)
  expect(options?.idempotencyKey).toMatch(/\S{8,}/)
  await waitFor(() => expect(Taro.navigateBack).toHaveBeenCalled())
})

test('a server refusal of the campaign appears above the form', async () => {
  mockedCreate.mockRejectedValue(
    new ApiError('OVER_QUOTA', '默认礼包：超出可选额度：已选 120，每人额度 100', 422),
  )
  const { container } = await mountPage(<CoolingCampaignForm member={staff} />)
  await screen.findByText('创建活动')
  await waitFor(() => expect(container.querySelector('.cooling-title-input input')).not.toBeNull())
  typeInto(container, '.cooling-title-input', '夏送清凉')
  typeInto(container, '.cooling-item-name-input', '凉茶')
  typeInto(container, '.cooling-item-quotaCost-input', '60')
  typeInto(container, '.cooling-item-maxPerPack-input', '2')
  typeInto(container, '.cooling-item-stock-input', '10')
  typeInto(container, '.cooling-item-defaultQuantity-input', '2')
  await tap(container, '.cooling-save')
  expect(await screen.findByText('默认礼包：超出可选额度：已选 120，每人额度 100')).toBeTruthy()
})

const packingList = {
  campaign: { id: 7, title: '夏送清凉', unionName: '四方继保工会', final: true },
  items: [
    { id: 1, name: '喷雾运动水壶' },
    { id: 3, name: '凉茶' },
  ],
  groups: [
    {
      kind: 'site' as const,
      siteId: 41,
      name: '若羌光伏项目部',
      address: '新疆若羌县 光伏产业园 项目部',
      recipient: '王站长',
      unionName: '四方继保工会',
      totals: [
        { itemId: 1, name: '喷雾运动水壶', quantity: 1 },
        { itemId: 3, name: '凉茶', quantity: 4 },
      ],
      packs: [
        {
          packId: 51,
          memberId: 8,
          memberNo: 'M0008',
          memberName: '周敏',
          unionName: '四方继保工会',
          recipient: '李建国',
          phone: '13899012345',
          status: 'submitted' as const,
          isDefault: false,
          items: [
            { itemId: 1, name: '喷雾运动水壶', quantity: 1 },
            { itemId: 3, name: '凉茶', quantity: 2 },
          ],
          shippedTo: null,
        },
        {
          packId: 52,
          memberId: 9,
          memberNo: 'M0003',
          memberName: '孙丽',
          unionName: '四方继保工会',
          recipient: '孙丽',
          phone: '13912345678',
          status: 'submitted' as const,
          isDefault: true,
          items: [
            { itemId: 1, name: '喷雾运动水壶', quantity: 0 },
            { itemId: 3, name: '凉茶', quantity: 2 },
          ],
          shippedTo: null,
        },
      ],
    },
  ],
  totals: [
    { itemId: 1, name: '喷雾运动水壶', quantity: 1 },
    { itemId: 3, name: '凉茶', quantity: 4 },
  ],
  packCount: 2,
  next: null,
}
const siteHead = (() => {
  const { packs: _packs, ...head } = packingList.groups[0]
  return head
})()
Object.assign(packingList, { destinations: [{ ...siteHead, packCount: 2, waiting: 2 }] })

test('the packing list shows each site with items × quantities and recipients', async () => {
  mockedCampaigns.mockResolvedValue([aStaffCampaign()])
  mockedList.mockResolvedValue(packingList as PackingListResponse)
  const { container } = await mountPage(<PackingListView campaignId={7} />)

  expect(await screen.findByText('若羌光伏项目部')).toBeTruthy()
  expect(screen.getByText('2 份：喷雾运动水壶 × 1，凉茶 × 4')).toBeTruthy()
  expect(screen.getByText('李建国 13899012345')).toBeTruthy()
  expect(screen.getByText('孙丽（M0003） · 默认礼包')).toBeTruthy()
  await waitFor(() =>
    expect(container.querySelector('.cooling-count-chosen')?.textContent).toBe('20自选'),
  )

  mockedCsv.mockResolvedValue('\uFEFF收货地点,收件人\r\n若羌光伏项目部,李建国\r\n')
  mockedSave.mockResolvedValue({ kind: 'downloaded', fileName: '夏送清凉-装箱单.csv' })
  expect(container.querySelector('.packing-download-csv')?.textContent).toBe('CSV（给系统导入）')
  await tap(container, '.packing-download-csv')
  await waitFor(() =>
    expect(mockedSave).toHaveBeenCalledWith(
      '夏送清凉-装箱单.csv',
      '\uFEFF收货地点,收件人\r\n若羌光伏项目部,李建国\r\n',
      'text/csv;charset=utf-8',
    ),
  )
  expect(mockedCsv).toHaveBeenCalledWith(7)

  showModal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  mockedShip.mockResolvedValue(2)
  const shipped: PackingListResponse = {
    ...(packingList as PackingListResponse),
    destinations: [{ ...siteHead, packCount: 2, waiting: 0 }],
    groups: [
      {
        ...packingList.groups[0],
        // The first went before the site moved: it shows where it was shipped to.
        packs: packingList.groups[0].packs.map((p, n) => ({
          ...p,
          status: 'shipped' as const,
          shippedTo:
            n === 0
              ? { name: '若羌光伏一期', address: '新疆若羌县 光伏一期 项目部', recipient: '赵工' }
              : {
                  name: '若羌光伏项目部',
                  address: '新疆若羌县 光伏产业园 项目部',
                  recipient: '王站长',
                },
        })),
      },
    ],
  }
  mockedList.mockResolvedValue(shipped)
  expect(container.querySelector('.packing-ship')?.textContent).toBe('标记本地点 2 份已发货')
  await tap(container, '.packing-ship')
  await waitFor(() => expect(mockedShip).toHaveBeenCalledWith(7, 41))
  expect(await screen.findByText('本地点已全部发货')).toBeTruthy()
  expect(screen.getAllByText('已发货').length).toBeGreaterThan(0)
  expect(screen.getByText('现场收货人：王站长')).toBeTruthy()
  // Only the pack shipped to the old address says where it went.
  const shippedTo = container.querySelectorAll('.packing-shipped-to')
  expect(Array.from(shippedTo).map((e) => e.textContent)).toEqual([
    '已寄往：若羌光伏一期 · 新疆若羌县 光伏一期 项目部 · 收货人 赵工',
  ])
})

describe('the packing list as Excel', () => {
  const env = process.env.TARO_ENV
  const taro = Taro as unknown as Record<string, unknown>
  const url = '/api/v1/staff/cooling/campaigns/7/packing-list?format=xlsx'
  afterEach(() => {
    process.env.TARO_ENV = env
  })

  test('on weapp it is downloaded with the token and opened to forward', async () => {
    process.env.TARO_ENV = 'weapp'
    mockedCampaigns.mockResolvedValue([aStaffCampaign()])
    mockedList.mockResolvedValue(packingList as PackingListResponse)
    const downloadFile = jest.fn((o: Taro.downloadFile.Option) => {
      o.success?.({
        statusCode: 200,
        tempFilePath: 'wxfile://tmp/list.xlsx',
        filePath: '',
        errMsg: 'ok',
      })
    })
    const openDocument = jest.fn(async (_o: Taro.openDocument.Option) => ({ errMsg: 'ok' }))
    Object.assign(taro, { downloadFile, openDocument })
    const { container } = await mountPage(<PackingListView campaignId={7} />)
    await screen.findByText('若羌光伏项目部')

    expect(container.querySelector('.packing-download')?.textContent).toBe('下载装箱单（Excel）')
    await tap(container, '.packing-download')
    await waitFor(() => expect(openDocument).toHaveBeenCalledTimes(1))
    const asked = downloadFile.mock.calls[0]![0]
    expect(asked.url.endsWith('/staff/cooling/campaigns/7/packing-list?format=xlsx')).toBe(true)
    expect(asked.header).toEqual({
      Accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      Authorization: 'Bearer token-1',
    })
    expect(openDocument.mock.calls[0]![0]).toEqual({
      filePath: 'wxfile://tmp/list.xlsx',
      fileType: 'xlsx',
      showMenu: true,
    })
    expect(mockedCsv).not.toHaveBeenCalled()
  })

  test('on weapp a refused download opens nothing and says so', async () => {
    process.env.TARO_ENV = 'weapp'
    mockedCampaigns.mockResolvedValue([aStaffCampaign()])
    mockedList.mockResolvedValue(packingList as PackingListResponse)
    const downloadFile = jest.fn((o: Taro.downloadFile.Option) => {
      o.success?.({
        statusCode: 500,
        tempFilePath: 'wxfile://tmp/error',
        filePath: '',
        errMsg: 'ok',
      })
    })
    const openDocument = jest.fn()
    Object.assign(taro, { downloadFile, openDocument })
    const { container } = await mountPage(<PackingListView campaignId={7} />)
    await screen.findByText('若羌光伏项目部')
    await tap(container, '.packing-download')
    await waitFor(() =>
      expect(Taro.showToast).toHaveBeenCalledWith(
        expect.objectContaining({ title: '文件下载失败，请稍后重试' }),
      ),
    )
    expect(openDocument).not.toHaveBeenCalled()
  })

  test('on H5 it is fetched with the token and downloaded as a file', async () => {
    mockedCampaigns.mockResolvedValue([aStaffCampaign()])
    mockedList.mockResolvedValue(packingList as PackingListResponse)
    const fetchMock = jest.fn(async (_url: string, _init?: RequestInit) => ({
      ok: true,
      status: 200,
      blob: async () => new Blob(['PK']),
    }))
    const clicked: string[] = []
    Object.assign(globalThis, { fetch: fetchMock })
    Object.assign(URL, { createObjectURL: () => 'blob:list', revokeObjectURL: () => undefined })
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(`${this.download} ${this.href}`)
    })
    const { container } = await mountPage(<PackingListView campaignId={7} />)
    await screen.findByText('若羌光伏项目部')
    await tap(container, '.packing-download')
    await waitFor(() => expect(clicked).toEqual(['夏送清凉-装箱单.xlsx blob:list']))
    expect(fetchMock.mock.calls[0]![0]).toBe(url)
    expect(fetchMock.mock.calls[0]![1]?.headers).toMatchObject({ Authorization: 'Bearer token-1' })
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已开始下载' }))
  })
})

test('a long destination shows its first packs and loads the rest page by page', async () => {
  mockedCampaigns.mockResolvedValue([aStaffCampaign()])
  const [first, second] = packingList.groups[0].packs
  mockedList.mockResolvedValueOnce({
    ...(packingList as PackingListResponse),
    destinations: [{ ...siteHead, packCount: 2, waiting: 2 }],
    groups: [{ ...packingList.groups[0], packs: [first] }],
    next: 'page-2',
  })
  mockedList.mockResolvedValueOnce({
    ...(packingList as PackingListResponse),
    destinations: [{ ...siteHead, packCount: 2, waiting: 2 }],
    groups: [{ ...packingList.groups[0], packs: [second] }],
    next: null,
  })
  const { container } = await mountPage(<PackingListView campaignId={7} />)
  expect(await screen.findByText('李建国 13899012345')).toBeTruthy()
  expect(screen.queryByText('孙丽 13912345678')).toBeNull()
  expect(container.querySelector('.packing-more')?.textContent).toBe(
    '再显示礼包（已显示 1 / 2 份）',
  )
  await tap(container, '.packing-more')
  expect(await screen.findByText('孙丽 13912345678')).toBeTruthy()
  expect(mockedList).toHaveBeenLastCalledWith(7, { site: 41, limit: 200, cursor: 'page-2' })
  expect(container.querySelector('.packing-more')).toBeNull()
})
