import { screen } from '@testing-library/react'
import PointsPage from '@/pages/points/index'
import { getLedger, getPoints } from '@/services/points'
import { usePointsStore } from '@/features/points/store'
import { aMember, mountPage, signedInAs } from './render'

jest.mock('@/services/points')
const mockedGetPoints = jest.mocked(getPoints)
const mockedGetLedger = jest.mocked(getLedger)

beforeEach(() => {
  usePointsStore.setState({
    summary: null,
    entries: [],
    nextCursor: null,
    status: 'idle',
    error: null,
    loadingMore: false,
    moreError: null,
  })
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
