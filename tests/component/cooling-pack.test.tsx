import Taro from '@tarojs/taro'
import { act, screen, waitFor } from '@testing-library/react'
import CoolingPage from '@/packages/cooling/pages/index'
import { CampaignView } from '@/features/cooling/components/campaign-view'
import { usePackStore } from '@/features/cooling/pack-store'
import { useCampaignsStore } from '@/features/cooling/store'
import { ApiError } from '@/services/http'
import {
  confirmPackReceived,
  getCoolingPack,
  listCoolingCampaigns,
  listCoolingSites,
  saveCoolingPack,
} from '@/services/cooling'
import { aMember, mountPage, signedInAs, tap, typeInto } from './render'
import { aCampaign, aPack, sites } from './cooling-fixtures'

jest.mock('@/services/cooling')
const mockedCampaigns = jest.mocked(listCoolingCampaigns)
const mockedPack = jest.mocked(getCoolingPack)
const mockedSites = jest.mocked(listCoolingSites)
const mockedSave = jest.mocked(saveCoolingPack)
const mockedReceive = jest.mocked(confirmPackReceived)

let showModal: jest.SpyInstance

beforeEach(() => {
  useCampaignsStore.setState({ campaigns: [], status: 'idle', error: null })
  usePackStore.setState({ campaignId: null, campaign: null, pack: null, status: 'idle' })
  for (const m of [mockedCampaigns, mockedPack, mockedSites, mockedSave, mockedReceive]) {
    m.mockReset()
  }
  mockedSites.mockResolvedValue(sites)
  mockedPack.mockResolvedValue(null)
  showModal = jest.spyOn(Taro, 'showModal')
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  signedInAs(aMember({ name: '王建军', memberNo: 'M0004', unionName: '帕克国际工会' }))
})

afterEach(() => {
  jest.useRealTimers()
  jest.restoreAllMocks()
})

/** The row of the item named `name`. */
function row(container: HTMLElement, name: string): HTMLElement {
  const found = Array.from(container.querySelectorAll<HTMLElement>('.cooling-item')).find(
    (r) => r.querySelector('.cooling-item-name')?.textContent === name,
  )
  if (!found) throw new Error(`no row ${name}`)
  return found
}

async function more(container: HTMLElement, name: string, times = 1) {
  for (let i = 0; i < times; i++) {
    await act(async () => {
      row(container, name).querySelector<HTMLElement>('.stepper-more')?.click()
    })
  }
}

function quantity(container: HTMLElement, name: string): string | null | undefined {
  return row(container, name).querySelector('.stepper-value')?.textContent
}

function notice(container: HTMLElement): string {
  return container.querySelector('.quota-notice')?.textContent?.trim() ?? ''
}

async function openCampaign(campaign = aCampaign()) {
  mockedCampaigns.mockResolvedValue([campaign])
  const result = await mountPage(<CampaignView campaignId={campaign.id} />)
  await screen.findByText('清凉物资')
  return result
}

test('the list counts down to the closing time, minute by minute, in Asia/Shanghai', async () => {
  jest.useFakeTimers({ doNotFake: ['requestAnimationFrame', 'queueMicrotask', 'nextTick'] })
  jest.setSystemTime(new Date('2026-07-01T02:00:30.000Z'))
  mockedCampaigns.mockResolvedValue([
    aCampaign({ closesAt: '2026-07-04T06:01:00.000Z', packStatus: 'submitted' }),
    aCampaign({
      id: 8,
      title: '2025 夏送清凉',
      status: 'closed',
      closesAt: '2025-08-31T15:59:00.000Z',
      closedAt: '2025-08-31T15:59:00.000Z',
      packStatus: 'received',
    }),
  ])
  await mountPage(<CoolingPage />)

  expect(await screen.findByText('距截止还有 3 天 4 小时')).toBeTruthy()
  expect(screen.getByText('截止时间：2026年7月4日 14:01')).toBeTruthy()
  expect(screen.getByText('我的礼包：已提交')).toBeTruthy()
  expect(screen.getByText('已于 8月31日 截止')).toBeTruthy()
  expect(screen.getByText('我的礼包：已签收')).toBeTruthy()

  // 3 d 4 h 0 min 30 s were left; a minute later the countdown has moved on by itself.
  await act(async () => {
    jest.advanceTimersByTime(60_000)
  })
  expect(screen.getByText('距截止还有 3 天 3 小时')).toBeTruthy()
  expect(screen.queryByText('距截止还有 3 天 4 小时')).toBeNull()
})

test('the steppers stop at the stock, the per-pack maximum and the quota, and say why', async () => {
  const { container } = await openCampaign()
  expect(container.querySelector('.quota-meter-value')?.textContent).toBe('0 / 100')
  expect(screen.getByText('已选 0 件')).toBeTruthy()

  await more(container, '喷雾运动水壶', 2)
  expect(quantity(container, '喷雾运动水壶')).toBe('1')
  expect(notice(container)).toBe('喷雾运动水壶每份最多 1 件')

  await more(container, '防晒棒球帽')
  await more(container, '凉茶', 2)
  expect(quantity(container, '凉茶')).toBe('1')
  expect(notice(container)).toBe('库存不足：凉茶仅剩 1 件')

  await more(container, '清洁湿巾', 2)
  expect(container.querySelector('.quota-meter-value')?.textContent).toBe('95 / 100')
  expect(screen.getByText('还剩 5')).toBeTruthy()
  await more(container, '风油精')
  expect(quantity(container, '风油精')).toBe('0')
  expect(notice(container)).toBe('额度不足：还剩 5，风油精需要 10')
  expect(row(container, '风油精').querySelector('.stepper-more')?.classList).toContain(
    'is-disabled',
  )

  // One more 湿巾 fits (5); then the quota is used up exactly.
  await more(container, '清洁湿巾')
  expect(container.querySelector('.quota-meter-value')?.textContent).toBe('100 / 100')
  expect(screen.getByText('已选 6 件')).toBeTruthy()

  mockedSave.mockResolvedValue(aPack())
  await tap(container, '.pack-submit')
  expect(mockedSave).toHaveBeenCalledWith(7, {
    items: [
      { itemId: 1, quantity: 1 },
      { itemId: 2, quantity: 1 },
      { itemId: 3, quantity: 1 },
      { itemId: 5, quantity: 3 },
    ],
    delivery: { kind: 'pickup' },
  })
})

test('a piece limit shows items count / maxItems and stops there', async () => {
  const { container } = await openCampaign(aCampaign({ maxItems: 2 }))
  expect(screen.getByText('已选 0 / 2 件')).toBeTruthy()
  await more(container, '清洁湿巾', 3)
  expect(quantity(container, '清洁湿巾')).toBe('2')
  expect(screen.getByText('已选 2 / 2 件')).toBeTruthy()
  expect(notice(container)).toBe('整份礼包最多 2 件，已选满')
})

test('nothing chosen is refused before sending', async () => {
  const { container } = await openCampaign()
  await tap(container, '.pack-submit')
  expect(screen.getAllByText('请至少选择一件物品').length).toBeGreaterThan(0)
  expect(mockedSave).not.toHaveBeenCalled()
})

test('site delivery needs a site, a recipient and a mainland mobile number', async () => {
  const { container } = await openCampaign()
  await more(container, '风油精')
  await tap(container, '.delivery-kind-site')
  expect(screen.getByText('格尔木项目部（高原）')).toBeTruthy()
  // The recipient starts as the member's own name.
  await waitFor(() =>
    expect(container.querySelector<HTMLInputElement>('.delivery-recipient input')?.value).toBe(
      '王建军',
    ),
  )
  typeInto(container, '.delivery-recipient', '  ')
  typeInto(container, '.delivery-phone', '12345678901')
  await tap(container, '.pack-submit')

  expect(screen.getByText('请选择收货的工作地点')).toBeTruthy()
  expect(screen.getByText('请填写收件人姓名')).toBeTruthy()
  expect(screen.getByText('请填写正确的 11 位手机号码（1 开头，第二位 3–9）')).toBeTruthy()
  expect(mockedSave).not.toHaveBeenCalled()

  await act(async () => {
    screen.getByText('格尔木项目部（高原）').click()
  })
  typeInto(container, '.delivery-recipient', '马晓东')
  typeInto(container, '.delivery-phone', '15209791234')
  mockedSave.mockResolvedValue(aPack())
  await tap(container, '.pack-submit')

  expect(screen.queryByText('请填写收件人姓名')).toBeNull()
  expect(mockedSave).toHaveBeenCalledWith(7, {
    items: [{ itemId: 4, quantity: 1 }],
    delivery: { kind: 'site', siteId: 22, recipient: '马晓东', phone: '15209791234' },
  })
})

test('an open pack can be changed: the saved quantities count as the member’s own stock', async () => {
  const campaign = aCampaign({ packStatus: 'submitted' })
  // The last 水壶 is the member's own.
  campaign.items[0] = { ...campaign.items[0], stockLeft: 0 }
  mockedPack.mockResolvedValue(aPack())
  const { container } = await openCampaign(campaign)

  expect(screen.getByText(/礼包已提交/)).toBeTruthy()
  expect(quantity(container, '喷雾运动水壶')).toBe('1')
  expect(quantity(container, '风油精')).toBe('2')
  expect(container.querySelector('.quota-meter-value')?.textContent).toBe('60 / 100')
  expect(container.querySelector('.pack-submit')?.textContent).toBe('保存修改')

  // Put back and take again: the member's own reserved bottle is theirs to take.
  await act(async () => {
    row(container, '喷雾运动水壶').querySelector<HTMLElement>('.stepper-less')?.click()
  })
  expect(quantity(container, '喷雾运动水壶')).toBe('0')
  await more(container, '喷雾运动水壶')
  expect(quantity(container, '喷雾运动水壶')).toBe('1')
  expect(notice(container)).toBe('')
})

test('the server has the last word: OUT_OF_STOCK is shown and the stock is refreshed', async () => {
  const { container } = await openCampaign()
  await more(container, '防晒棒球帽')
  mockedSave.mockRejectedValue(
    new ApiError('OUT_OF_STOCK', '「防晒棒球帽」已被选完，请换一种', 409),
  )
  const fresh = aCampaign()
  fresh.items[1] = { ...fresh.items[1], stockLeft: 0 }
  mockedCampaigns.mockResolvedValue([fresh])

  await tap(container, '.pack-submit')

  expect(await screen.findByText('「防晒棒球帽」已被选完，请换一种')).toBeTruthy()
  await waitFor(() =>
    expect(row(container, '防晒棒球帽').textContent).toContain('每份最多 1 件 · 已被选完'),
  )
  expect(mockedCampaigns).toHaveBeenCalledTimes(2)
})

test('CAMPAIGN_CLOSED turns the page read-only', async () => {
  const { container } = await openCampaign()
  await more(container, '风油精')
  mockedSave.mockRejectedValue(
    new ApiError('CAMPAIGN_CLOSED', '活动已于 2026年7月15日 18:00 截止，不能再提交或修改', 409),
  )
  mockedCampaigns.mockResolvedValue([
    aCampaign({ status: 'closed', closedAt: new Date().toISOString() }),
  ])
  await tap(container, '.pack-submit')

  expect(
    await screen.findByText('活动已于 2026年7月15日 18:00 截止，不能再提交或修改'),
  ).toBeTruthy()
  expect(await screen.findByText('活动已截止，你没有清凉礼包')).toBeTruthy()
  expect(container.querySelector('.stepper-more')).toBeNull()
})

test('after closing the default pack is read-only, with its timeline and 确认收货 once shipped', async () => {
  mockedPack.mockResolvedValue(
    aPack({
      isDefault: true,
      status: 'shipped',
      shippedAt: '2026-07-20T01:30:00.000Z',
      delivery: {
        kind: 'site',
        siteId: 22,
        siteName: '格尔木项目部（高原）',
        address: '青海省海西蒙古族藏族自治州格尔木市 储能电站项目部',
        recipient: '马晓东',
        phone: '15209791234',
      },
    }),
  )
  mockedCampaigns.mockResolvedValue([
    aCampaign({ status: 'closed', closedAt: '2026-07-15T10:00:00.000Z', packStatus: 'shipped' }),
  ])
  const { container } = await mountPage(<CampaignView campaignId={7} />)

  expect(await screen.findByText('默认礼包')).toBeTruthy()
  expect(screen.getByText('配送到 格尔木项目部（高原）')).toBeTruthy()
  expect(screen.getByText('收件人：马晓东 15209791234')).toBeTruthy()
  expect(screen.getByText('2026年7月20日 09:30')).toBeTruthy()
  const steps = Array.from(container.querySelectorAll('.timeline-step'))
  expect(steps.map((s) => s.querySelector('.timeline-label')?.textContent)).toEqual([
    '已提交',
    '已发货',
    '已签收',
  ])
  expect(steps.map((s) => s.classList.contains('is-done'))).toEqual([true, true, false])
  expect(container.querySelector('.stepper-more')).toBeNull()
  expect(container.querySelector('.pack-submit')).toBeNull()

  showModal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  mockedReceive.mockResolvedValue(
    aPack({ isDefault: true, status: 'received', receivedAt: '2026-07-22T04:00:00.000Z' }),
  )
  await tap(container, '.pack-receive')
  await waitFor(() => expect(mockedReceive).toHaveBeenCalledWith(31))
  await waitFor(() => expect(container.querySelector('.pack-receive')).toBeNull())
  expect(container.querySelector('.pack-status')?.textContent).toBe('已签收')
})

test('a closed, submitted pack shows no 确认收货 yet', async () => {
  mockedPack.mockResolvedValue(aPack())
  mockedCampaigns.mockResolvedValue([
    aCampaign({ status: 'closed', closedAt: '2026-07-15T10:00:00.000Z', packStatus: 'submitted' }),
  ])
  const { container } = await mountPage(<CampaignView campaignId={7} />)
  expect(await screen.findByText('我的礼包')).toBeTruthy()
  expect(screen.getByText('到 帕克国际工会 自取')).toBeTruthy()
  expect(screen.queryByText('默认礼包')).toBeNull()
  expect(container.querySelector('.pack-receive')).toBeNull()
})

test('a failed load shows 重新加载', async () => {
  mockedCampaigns.mockRejectedValueOnce(new ApiError('NETWORK', '网络不给力，请检查网络后重试'))
  mockedCampaigns.mockResolvedValue([aCampaign()])
  const { container } = await mountPage(<CampaignView campaignId={7} />)
  expect(await screen.findByText('网络不给力，请检查网络后重试')).toBeTruthy()
  await tap(container, '.state-retry')
  expect(await screen.findByText('清凉物资')).toBeTruthy()
})
