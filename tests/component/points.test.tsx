import Taro from '@tarojs/taro'
import { screen, waitFor } from '@testing-library/react'
import PointsPage from '@/pages/points/index'
import { getLedger, getPoints } from '@/services/points'
import { aMember, mountPage, signedInAs, tap } from './render'

jest.mock('@/services/points')
const mockedGetPoints = jest.mocked(getPoints)
const mockedGetLedger = jest.mocked(getLedger)

beforeEach(() => {
  mockedGetPoints.mockReset()
  mockedGetLedger.mockReset()
  signedInAs(aMember())
})

test('shows balance, expiring points and the ledger in Asia/Shanghai time', async () => {
  // setup-env.js runs the tests in America/Los_Angeles: the dates must not follow the device zone.
  mockedGetPoints.mockResolvedValue({
    balance: 85,
    expiring: [{ amount: 30, expiresAt: '2026-06-30T16:00:00.000Z' }],
  })
  mockedGetLedger.mockResolvedValue({
    entries: [
      {
        id: 2,
        kind: 'redeem',
        amount: -15,
        balanceAfter: 85,
        reason: '兑换 酸梅汤',
        createdAt: '2026-05-31T17:30:00.000Z',
      },
      {
        id: 1,
        kind: 'grant',
        amount: 100,
        balanceAfter: 100,
        reason: '夏季慰问',
        createdAt: '2026-05-01T02:00:00.000Z',
      },
    ],
    nextCursor: null,
  })

  await mountPage(<PointsPage />)

  expect(await screen.findByText('85')).toBeTruthy()
  expect(screen.getByText('30 分')).toBeTruthy()
  expect(screen.getByText('2026年7月1日 到期')).toBeTruthy()
  expect(screen.getByText('兑换')).toBeTruthy()
  expect(screen.getByText('-15')).toBeTruthy()
  expect(screen.getByText('余额 85')).toBeTruthy()
  expect(screen.getByText('2026年6月1日 01:30')).toBeTruthy()
  expect(screen.getByText('发放')).toBeTruthy()
  expect(screen.getByText('+100')).toBeTruthy()
  expect(screen.getByText('没有更多了')).toBeTruthy()
})

test('says so when there is no ledger entry yet', async () => {
  mockedGetPoints.mockResolvedValue({ balance: 0, expiring: [] })
  mockedGetLedger.mockResolvedValue({ entries: [], nextCursor: null })

  await mountPage(<PointsPage />)

  expect(await screen.findByText('还没有积分记录')).toBeTruthy()
  expect(screen.queryByText('即将到期')).toBeNull()
})

function entry(id: number, reason: string) {
  return {
    id,
    kind: 'grant' as const,
    amount: 10,
    balanceAfter: id * 10,
    reason,
    createdAt: '2026-05-01T02:00:00.000Z',
  }
}

test('loads the next page by cursor at the bottom and ends with 没有更多了', async () => {
  mockedGetPoints.mockResolvedValue({ balance: 30, expiring: [] })
  mockedGetLedger
    .mockResolvedValueOnce({ entries: [entry(3, '第三笔'), entry(2, '第二笔')], nextCursor: '2' })
    .mockResolvedValueOnce({ entries: [entry(1, '第一笔')], nextCursor: null })
  const { container } = await mountPage(<PointsPage />)

  expect(await screen.findByText('第三笔')).toBeTruthy()
  expect(screen.queryByText('没有更多了')).toBeNull()
  expect(screen.queryByText('第一笔')).toBeNull()

  await tap(container, '.points-footer')

  expect(await screen.findByText('第一笔')).toBeTruthy()
  expect(mockedGetLedger).toHaveBeenLastCalledWith({ limit: 20, cursor: '2' })
  expect(screen.getByText('没有更多了')).toBeTruthy()
  expect(container.querySelectorAll('.ledger-row')).toHaveLength(3)
})

test('a failed next page offers 重新加载 and keeps what is shown', async () => {
  mockedGetPoints.mockResolvedValue({ balance: 30, expiring: [] })
  mockedGetLedger
    .mockResolvedValueOnce({ entries: [entry(3, '第三笔')], nextCursor: '3' })
    .mockRejectedValueOnce(new Error('offline'))
    .mockResolvedValueOnce({ entries: [entry(2, '第二笔')], nextCursor: null })
  const { container } = await mountPage(<PointsPage />)
  await screen.findByText('第三笔')

  await tap(container, '.points-footer')
  expect(await screen.findByText('网络不给力，请检查网络后重试')).toBeTruthy()
  expect(screen.getByText('第三笔')).toBeTruthy()

  await tap(container, '.state .btn-ghost')
  expect(await screen.findByText('第二笔')).toBeTruthy()
  expect(screen.getByText('没有更多了')).toBeTruthy()
})

test('去积分商城兑换 opens the mall', async () => {
  const navigateTo = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'ok' })
  mockedGetPoints.mockResolvedValue({ balance: 30, expiring: [] })
  mockedGetLedger.mockResolvedValue({ entries: [], nextCursor: null })
  const { container } = await mountPage(<PointsPage />)
  await screen.findByText('去积分商城兑换')

  await tap(container, '.points-to-mall')

  await waitFor(() =>
    expect(navigateTo).toHaveBeenCalledWith({ url: '/packages/mall/pages/index' }),
  )
  navigateTo.mockRestore()
})
