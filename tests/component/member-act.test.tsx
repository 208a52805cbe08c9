import { screen } from '@testing-library/react'
import type { OnBehalfResponse } from '@/contract/on-behalf'
import { MemberAct } from '@/features/staff/components/member-act'
import { ApiError } from '@/services/http'
import {
  bookFor,
  getOnBehalf,
  listMemberSlots,
  redeemFor,
  savePackFor,
  signUpFor,
} from '@/services/on-behalf'
import { searchMembers } from '@/services/org'
import { aCampaign, aPack, sites } from './cooling-fixtures'
import { anEvent } from './events-fixtures'
import { aSlot, lawyers, points, topics } from './legal-fixtures'
import { anItem, anOrder } from './mall-fixtures'
import { aMember, mountPage, signedInAs, tap, typeInto } from './render'

jest.mock('@/services/org')
jest.mock('@/services/on-behalf')

const staff = aMember({
  name: '赵敏',
  memberNo: 'S0001',
  roles: ['member', 'staff'],
  staffUnionId: 1,
})
const wang = { id: 7, memberNo: 'M0007', name: '王强', unionId: 11, unionName: '小米工会' }

function overview(overrides: Partial<OnBehalfResponse> = {}): OnBehalfResponse {
  return {
    member: wang,
    events: [anEvent({ id: 7, title: '运河联谊', signupOpen: true })],
    campaigns: [aCampaign({ id: 5, title: '夏送清凉' })],
    sites,
    items: [anItem({ id: 1, name: '酸梅汤', pointsCost: 20, perMemberLimit: 4 })],
    topics,
    lawyers,
    servicePoints: points,
    ...overrides,
  }
}

beforeEach(() => {
  jest.resetAllMocks()
  signedInAs(staff)
  jest.mocked(getOnBehalf).mockResolvedValue(overview())
})

test('finds a member, then signs them up with the profile they dictate and says what it did', async () => {
  jest.mocked(searchMembers).mockResolvedValue([wang])
  jest.mocked(signUpFor).mockResolvedValue({
    id: 90,
    attendeeId: 'A1B2',
    memberId: 7,
    memberNo: 'M0007',
    memberName: '王强',
    unionName: '小米工会',
    nickname: '强子',
    gender: 'male',
    birthYear: 1990,
    intro: '',
    status: 'confirmed',
    checkedIn: false,
    checkedInAt: null,
    signedUpAt: '2026-07-02T02:00:00.000Z',
  })
  const { container } = await mountPage(<MemberAct />)

  typeInto(container, '.act-search', '王强')
  await tap(container, '.act-search-go')
  expect(searchMembers).toHaveBeenCalledWith({ q: '王强', limit: 20 })
  await tap(container, '.act-found')
  expect(await screen.findByText('代办会员：王强（M0007）')).toBeTruthy()
  expect(getOnBehalf).toHaveBeenCalledWith(7)

  // Nothing chosen: the member's rules are said, nothing is sent.
  await tap(container, '.act-submit')
  expect(screen.getByText('请选择活动')).toBeTruthy()
  await tap(container, '.act-events .act-choice')
  typeInto(container, '.act-nickname', '强子')
  await tap(container, '.act-gender .act-choice')
  typeInto(container, '.act-birth-year', '1990')
  await tap(container, '.act-submit')

  expect(signUpFor).toHaveBeenCalledWith(
    7,
    {
      memberId: 7,
      profile: { nickname: '强子', gender: 'male', birthYear: 1990, intro: '', showDetails: false },
    },
    { idempotencyKey: expect.any(String) },
  )
  expect(await screen.findByText(/已为王强报名「运河联谊」：报名成功/)).toBeTruthy()
  expect(getOnBehalf).toHaveBeenCalledTimes(2)
})

test('redeems at the desk and shows the pickup code; a refusal keeps the form with its reason', async () => {
  jest
    .mocked(redeemFor)
    .mockRejectedValueOnce(
      new ApiError('INSUFFICIENT_POINTS', '积分不足：需要 40 积分，当前 10 积分', 409),
    )
  jest.mocked(redeemFor).mockResolvedValueOnce(anOrder({ pickupCode: 'AB3DK7MN', quantity: 2 }))
  const { container } = await mountPage(<MemberAct memberId={7} />)
  await screen.findByText('代办会员：王强（M0007）')

  await tap(container, '.act-task-redeem')
  await tap(container, '.act-items .act-choice')
  await tap(container, '.act-quantity .act-step-plus')
  await tap(container, '.act-submit')
  expect(await screen.findByText('积分不足：需要 40 积分，当前 10 积分')).toBeTruthy()
  const firstKey = jest.mocked(redeemFor).mock.calls[0][1].idempotencyKey

  await tap(container, '.act-submit')
  expect(redeemFor).toHaveBeenLastCalledWith(
    { memberId: 7, itemId: 1, quantity: 2 },
    // The retry of the same redemption keeps its key: never two orders.
    { idempotencyKey: firstKey },
  )
  expect(await screen.findByText(/已为王强兑换「酸梅汤」×2.*提货码 AB3DK7MN/)).toBeTruthy()
})

test('composes the member’s pack within the quota and submits it', async () => {
  jest.mocked(savePackFor).mockResolvedValue(
    aPack({
      items: [{ itemId: 1, name: '喷雾运动水壶', quotaCost: 40, quantity: 1 }],
      quotaUsed: 40,
    }),
  )
  const { container } = await mountPage(<MemberAct memberId={7} />)
  await screen.findByText('代办会员：王强（M0007）')

  await tap(container, '.act-task-pack')
  expect(screen.getByText('夏送清凉：额度 0/100')).toBeTruthy()
  await tap(container, '.act-item-1 .act-step-plus')
  expect(screen.getByText('夏送清凉：额度 40/100')).toBeTruthy()
  await tap(container, '.act-submit')

  expect(savePackFor).toHaveBeenCalledWith(5, 7, {
    items: [{ itemId: 1, quantity: 1 }],
    delivery: { kind: 'pickup' },
  })
  expect(await screen.findByText(/已为王强提交「夏送清凉」礼包：喷雾运动水壶×1/)).toBeTruthy()
})

test('books a lawyer with the member’s description, which the confirmation does not repeat', async () => {
  jest.mocked(listMemberSlots).mockResolvedValue([aSlot('2026-12-08', '09:00')])
  jest.mocked(bookFor).mockResolvedValue({
    id: 31,
    slotId: '1-1-2026-12-08T09:00',
    lawyerId: 1,
    lawyerName: '李律师',
    servicePointId: 1,
    servicePointName: '万达工作站',
    startsAt: '2026-12-08T01:00:00.000Z',
    endsAt: '2026-12-08T01:30:00.000Z',
    topicId: topics[0].id,
    topicName: topics[0].name,
    status: 'booked',
    createdAt: '2026-12-01T01:00:00.000Z',
    cancelledAt: null,
    memberId: 7,
    memberNo: 'M0007',
    memberName: '王强',
    unionName: '小米工会',
  })
  const { container } = await mountPage(<MemberAct memberId={7} />)
  await screen.findByText('代办会员：王强（M0007）')

  await tap(container, '.act-task-booking')
  await tap(container, '.act-load-slots')
  // Each slot says who and where.
  expect(screen.getByText('韩律明 律师 · 石景山区 万达广场 写字楼劳动关系工作站')).toBeTruthy()
  await tap(container, '.act-slots .act-choice')
  await tap(container, '.act-topics .act-choice')
  typeInto(container, '.act-phone', '13800000007')
  typeInto(container, '.act-description', '公司拖欠三个月工资，想咨询仲裁。')
  await tap(container, '.act-submit')

  expect(bookFor).toHaveBeenCalledWith(
    {
      memberId: 7,
      slotId: '1-1-2026-12-08T09:00',
      topicId: topics[0].id,
      phone: '13800000007',
      description: '公司拖欠三个月工资，想咨询仲裁。',
    },
    { idempotencyKey: expect.any(String) },
  )
  expect(await screen.findByText(/已为王强预约.*李律师.*只有律师和会员本人能看到/)).toBeTruthy()
  expect(screen.queryByText(/公司拖欠三个月工资/)).toBeNull()
})

test('a member outside the staff member’s unions: the reason, and a way back to the search', async () => {
  jest
    .mocked(getOnBehalf)
    .mockRejectedValue(new ApiError('FORBIDDEN', '只能为本工会及下级工会的会员代办', 403))
  const { container } = await mountPage(<MemberAct memberId={99} />)

  expect(await screen.findByText('只能为本工会及下级工会的会员代办')).toBeTruthy()
  await tap(container, '.act-change')
  expect(container.querySelector('.act-search')).toBeTruthy()
})
