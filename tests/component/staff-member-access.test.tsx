import Taro from '@tarojs/taro'
import { screen, waitFor } from '@testing-library/react'
import MembersPage from '@/packages/staff/pages/members'
import type { StaffMemberDetail } from '@/contract/org'
import {
  getStaffMember,
  issueActivationCode,
  revokeActivationCode,
  searchMembers,
  staffUnbindWechat,
} from '@/services/org'
import { aMember, mountPage, signedInAs, tap, typeInto } from './render'

jest.mock('@/services/org')
const mockedSearch = jest.mocked(searchMembers)
const mockedGet = jest.mocked(getStaffMember)
const mockedIssue = jest.mocked(issueActivationCode)
const mockedRevoke = jest.mocked(revokeActivationCode)
const mockedUnbind = jest.mocked(staffUnbindWechat)

const staff = aMember({
  name: '赵敏',
  memberNo: 'S0101',
  roles: ['member', 'staff'],
  staffUnionId: 1,
})

function detail(overrides: Partial<StaffMemberDetail> = {}): StaffMemberDetail {
  return {
    id: 7,
    memberNo: 'M0007',
    name: '王强',
    unionId: 11,
    unionName: '小米工会',
    wechatBound: false,
    phoneMasked: null,
    activationCodeExpiresAt: null,
    bindLockedUntil: null,
    ...overrides,
  }
}

let showModal: jest.SpyInstance

beforeEach(() => {
  jest.resetAllMocks()
  signedInAs(staff)
  showModal = jest.spyOn(Taro, 'showModal')
})

afterEach(() => {
  jest.restoreAllMocks()
})

async function openMember(member: StaffMemberDetail) {
  mockedSearch.mockResolvedValue([
    {
      id: member.id,
      memberNo: member.memberNo,
      name: member.name,
      unionId: 11,
      unionName: '小米工会',
      wechatBound: member.wechatBound,
    },
  ])
  mockedGet.mockResolvedValue(member)
  const mounted = await mountPage(<MembersPage />)
  typeInto(mounted.container, '.member-search-input', '王强')
  await tap(mounted.container, '.member-search-go')
  expect(mockedSearch).toHaveBeenCalledWith({ q: '王强', limit: 30 })
  await screen.findByText('王强（M0007）')
  await tap(mounted.container, '.member-hit')
  await waitFor(() => expect(mounted.container.querySelector('.member-account')).toBeTruthy())
  return mounted
}

test('plain members cannot open it', async () => {
  signedInAs(aMember())
  await mountPage(<MembersPage />)
  expect(screen.getByText('仅工会干部可用')).toBeTruthy()
})

test('issues a code: shown large and grouped, as QR, with its expiry, once; then revokes it', async () => {
  const { container } = await openMember(detail({ phoneMasked: '138****0007' }))
  expect(mockedGet).toHaveBeenCalledWith(7)
  expect(screen.getByText('138****0007')).toBeTruthy()
  expect(screen.getAllByText('未绑定').length).toBeGreaterThan(0)

  // 2026-07-04 10:00 in Shanghai.
  const expiresAt = '2026-07-04T02:00:00.000Z'
  mockedIssue.mockResolvedValue({ code: 'K7MN2PQR', expiresAt, qr: 'uss-activate:M0007:K7MN2PQR' })
  jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-07-01T02:00:00.000Z'))
  await tap(container, '.member-issue-code')

  expect(mockedIssue).toHaveBeenCalledWith(7)
  expect(await screen.findByText('K7MN 2PQR')).toBeTruthy()
  expect(container.querySelector('.member-code-card .qr-code')?.getAttribute('aria-label')).toBe(
    '二维码 uss-activate:M0007:K7MN2PQR',
  )
  expect(screen.getByText('有效至 2026年7月4日 10:00')).toBeTruthy()
  expect(screen.getByText(/激活码只显示这一次/)).toBeTruthy()
  expect(screen.getByText('有效，至 2026年7月4日 10:00')).toBeTruthy()

  mockedRevoke.mockResolvedValue(detail({ phoneMasked: '138****0007' }))
  await tap(container, '.member-revoke-code')
  expect(mockedRevoke).toHaveBeenCalledWith(7)
  expect(await screen.findByText('激活码已撤销')).toBeTruthy()
  expect(screen.queryByText('K7MN 2PQR')).toBeNull()
  expect(container.querySelector('.member-revoke-code')).toBeNull()
})

test('shows a live code and a lock; reissuing asks first', async () => {
  jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-07-01T02:00:00.000Z'))
  const { container } = await openMember(
    detail({
      activationCodeExpiresAt: '2026-07-03T02:00:00.000Z',
      bindLockedUntil: '2026-07-01T02:10:00.000Z',
    }),
  )
  expect(screen.getByText('有效，至 2026年7月3日 10:00')).toBeTruthy()
  expect(screen.getByText('激活码错误次数过多，绑定已锁定至 2026年7月1日 10:10')).toBeTruthy()

  showModal.mockResolvedValueOnce({ confirm: false, cancel: true, errMsg: 'showModal:ok' })
  await tap(container, '.member-issue-code')
  expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '重新发放激活码' }))
  expect(mockedIssue).not.toHaveBeenCalled()
})

test('unbinds a bound WeChat after confirming', async () => {
  const { container } = await openMember(detail({ wechatBound: true }))
  expect(container.querySelector('.member-issue-code')).toBeNull()

  showModal.mockResolvedValueOnce({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  mockedUnbind.mockResolvedValue(detail({ wechatBound: false }))
  await tap(container, '.member-unbind')

  expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '解绑微信' }))
  expect(mockedUnbind).toHaveBeenCalledWith(7)
  expect(await screen.findByText('已解绑微信')).toBeTruthy()
  await waitFor(() => expect(container.querySelector('.member-issue-code')).toBeTruthy())
})
