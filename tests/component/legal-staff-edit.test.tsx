import Taro from '@tarojs/taro'
import { act, fireEvent, screen } from '@testing-library/react'
import type { AvailabilityRule, Closure } from '@/contract/legal'
import { LegalAvailabilityAdmin } from '@/features/legal/staff/availability-admin'
import { LegalClosuresAdmin } from '@/features/legal/staff/closures-admin'
import { LegalLawyersAdmin } from '@/features/legal/staff/lawyers-admin'
import { LegalPointsAdmin } from '@/features/legal/staff/points-admin'
import { listUnions } from '@/services/org'
import { ApiError } from '@/services/http'
import {
  createClosure,
  listAvailability,
  listClosures,
  listStaffLawyers,
  listStaffServicePoints,
  patchAvailability,
  patchLawyer,
  patchServicePoint,
  retireAvailability,
  retireClosure,
  retireLawyer,
} from '@/services/legal'
import { aMember, mountPage, signedInAs, tap, typeInto } from './render'
import { lawyers, points } from './legal-fixtures'

jest.mock('@/services/legal')
jest.mock('@/services/org')
const mocked = {
  unions: jest.mocked(listUnions),
  patchLawyer: jest.mocked(patchLawyer),
  retireLawyer: jest.mocked(retireLawyer),
  patchPoint: jest.mocked(patchServicePoint),
  lawyers: jest.mocked(listStaffLawyers),
  points: jest.mocked(listStaffServicePoints),
  rules: jest.mocked(listAvailability),
  closures: jest.mocked(listClosures),
  patchRule: jest.mocked(patchAvailability),
  retireRule: jest.mocked(retireAvailability),
  createClosure: jest.mocked(createClosure),
  retireClosure: jest.mocked(retireClosure),
}

function aRule(overrides: Partial<AvailabilityRule> = {}): AvailabilityRule {
  return {
    id: 1,
    lawyerId: 1,
    lawyerName: '韩律明',
    servicePointId: 1,
    servicePointName: '石景山区 万达广场 写字楼劳动关系工作站',
    weekday: 2,
    start: '14:00',
    end: '17:00',
    slotMinutes: 30,
    validFrom: '2026-11-01',
    validTo: null,
    retiredAt: null,
    ...overrides,
  }
}

const refusal =
  '修改该排班会影响 1 个已预约的咨询，未保存：#12 12月1日（周二）16:30 韩律明律师 · 会员王*军。请先联系这些会员取消或改约，再来修改。'

let showModal: jest.SpyInstance
const staffMember = aMember({ memberNo: 'S0101', roles: ['member', 'staff'], staffUnionId: 2 })

beforeEach(() => {
  jest.resetAllMocks()
  // 石景山 staff: the closure form must not start on 全部服务点 (the city federation's only).
  signedInAs(staffMember)
  mocked.unions.mockResolvedValue([
    { id: 1, name: '北京市总工会', parentId: null },
    { id: 2, name: '石景山区总工会', parentId: 1 },
  ])
  mocked.lawyers.mockResolvedValue(lawyers)
  mocked.points.mockResolvedValue([points[0]])
  mocked.rules.mockResolvedValue([aRule()])
  mocked.closures.mockResolvedValue([])
  showModal = jest.spyOn(Taro, 'showModal').mockResolvedValue({
    confirm: true,
    cancel: false,
    errMsg: 'showModal:ok',
  })
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
})

afterEach(() => {
  jest.restoreAllMocks()
})

async function pick(container: HTMLElement, selector: string, value: string) {
  const picker = container.querySelector(selector)?.closest('taro-picker-core')
  if (!picker) throw new Error(`no picker around ${selector}`)
  await act(async () => {
    fireEvent(picker, new CustomEvent('change', { detail: { value } }))
  })
}

/** The picker whose shown value is `text` (the form's pickers have no classes of their own). */
function pickerShowing(container: HTMLElement, text: string): HTMLElement {
  const found = Array.from(container.querySelectorAll<HTMLElement>('.picker-value')).find(
    (p) => p.textContent === text,
  )
  if (!found) throw new Error(`no picker showing ${text}`)
  return found
}

async function pickIn(element: HTMLElement, value: string) {
  const picker = element.closest('taro-picker-core')
  if (!picker) throw new Error('no picker')
  await act(async () => {
    fireEvent(picker, new CustomEvent('change', { detail: { value } }))
  })
}

test('排班: a rule is edited in the form; a refusal lists the bookings in the way', async () => {
  const { container } = await mountPage(<LegalAvailabilityAdmin />)
  await screen.findByText('周二 14:00–17:00（每 30 分钟）')
  expect(screen.getByText(/系统不会保存，并列出这些预约/)).toBeTruthy()

  await tap(container, '.legal-admin-action')
  expect(screen.getByText('修改排班')).toBeTruthy()
  expect(screen.getByText(/律师和服务点不能修改/)).toBeTruthy()
  // The form holds the rule: end 17:00. A shorter afternoon is refused by the server.
  await pickIn(pickerShowing(container, '17:00'), '16:00')
  mocked.patchRule.mockRejectedValueOnce(new ApiError('BOOKINGS_AFFECTED', refusal, 409))
  await tap(container, '.legal-admin-save')
  expect(mocked.patchRule).toHaveBeenCalledWith(1, {
    weekday: 2,
    start: '14:00',
    end: '16:00',
    slotMinutes: 30,
    validFrom: '2026-11-01',
    validTo: null,
  })
  expect(screen.getByText(refusal)).toBeTruthy()

  // A change that keeps the bookings is saved and shown in the list.
  mocked.patchRule.mockResolvedValueOnce(aRule({ end: '17:30' }))
  await pickIn(pickerShowing(container, '16:00'), '17:30')
  await tap(container, '.legal-admin-save')
  expect(await screen.findByText('周二 14:00–17:30（每 30 分钟）')).toBeTruthy()
  expect(container.querySelector('.legal-admin-save')?.textContent).toBe('添加排班')
}, 20_000)

test('排班: a field’s error goes as soon as the field is fixed', async () => {
  const { container } = await mountPage(<LegalAvailabilityAdmin />)
  await screen.findByText('周二 14:00–17:00（每 30 分钟）')
  // The new-rule form starts at 09:00–12:00: an end before the start is wrong.
  await pickIn(pickerShowing(container, '12:00'), '08:00')
  await tap(container, '.legal-admin-save')
  expect(screen.getByText('结束时间必须晚于开始时间')).toBeTruthy()
  await pickIn(pickerShowing(container, '08:00'), '11:00')
  expect(screen.queryByText('结束时间必须晚于开始时间')).toBeNull()
})

test('排班: retiring asks first and shows the refusal under the rule', async () => {
  const { container } = await mountPage(<LegalAvailabilityAdmin />)
  await screen.findByText('周二 14:00–17:00（每 30 分钟）')
  mocked.retireRule.mockRejectedValueOnce(new ApiError('BOOKINGS_AFFECTED', refusal, 409))
  await tap(container, '.legal-admin-action.is-danger')
  expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '停用排班' }))
  expect(container.querySelector('.legal-admin-refusal')?.textContent).toBe(refusal)

  mocked.retireRule.mockResolvedValueOnce(aRule({ retiredAt: '2026-11-26T02:00:00.000Z' }))
  await tap(container, '.legal-admin-action.is-danger')
  expect(await screen.findByText('已停用')).toBeTruthy()
  expect(container.querySelector('.legal-admin-action')).toBeNull()
})

test('停诊日: the form starts on the staff member’s own service point; a closure is lifted', async () => {
  const closure: Closure = {
    id: 4,
    date: '2026-12-08',
    reason: '工作站装修',
    servicePointId: 1,
    retiredAt: null,
  }
  mocked.closures.mockResolvedValue([closure])
  const { container } = await mountPage(<LegalClosuresAdmin />)
  await screen.findByText('2026-12-08 工作站装修')
  expect(container.querySelector('.legal-closure-point')?.textContent).toBe(points[0].name)

  mocked.createClosure.mockResolvedValueOnce({ ...closure, id: 5, reason: '元旦' })
  await act(async () => {
    await new Promise((resolve) => requestAnimationFrame(resolve))
  })
  typeInto(container, '.legal-closure-reason', '元旦')
  await tap(container, '.legal-admin-save')
  expect(mocked.createClosure).toHaveBeenCalledWith(
    expect.objectContaining({ reason: '元旦', servicePointId: 1 }),
    expect.anything(),
  )

  mocked.retireClosure.mockResolvedValueOnce({ ...closure, retiredAt: '2026-11-26T02:00:00Z' })
  await tap(container, '.legal-admin-action.is-danger')
  expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '取消停诊' }))
  expect(mocked.retireClosure).toHaveBeenCalledWith(4)
  expect(screen.queryByText('2026-12-08 工作站装修')).toBeNull()
  await pick(container, '.legal-closure-point', '0')
  expect(screen.getByText('全部服务点停诊只能由市总工会设置')).toBeTruthy()
})

test('律师: the profile is edited in the form; retiring with bookings ahead is refused', async () => {
  const { container } = await mountPage(<LegalLawyersAdmin />)
  await screen.findByText('律师（2）')
  await tap(container, '.legal-admin-action')
  expect(screen.getByText('修改律师资料：韩律明')).toBeTruthy()
  await act(async () => {
    await new Promise((resolve) => requestAnimationFrame(resolve))
  })
  // A blank firm is refused on the spot; the message goes once the field is filled in.
  const firm = Array.from(container.querySelectorAll<HTMLElement>('.field')).find((f) =>
    f.textContent?.startsWith('律师事务所'),
  )!
  typeInto(firm, '.input', ' ')
  await tap(container, '.legal-admin-save')
  expect(screen.getByText('请填写律师事务所')).toBeTruthy()
  expect(mocked.patchLawyer).not.toHaveBeenCalled()
  typeInto(firm, '.input', '北京市京西（石景山）律师事务所')
  expect(screen.queryByText('请填写律师事务所')).toBeNull()
  mocked.patchLawyer.mockResolvedValueOnce({
    ...lawyers[0],
    firm: '北京市京西（石景山）律师事务所',
  })
  await tap(container, '.legal-admin-save')
  expect(mocked.patchLawyer).toHaveBeenCalledWith(1, {
    firm: '北京市京西（石景山）律师事务所',
    specialties: ['劳动合同', '工伤认定'],
    bio: '从事劳动法律服务十二年。',
  })
  expect(await screen.findByText('北京市京西（石景山）律师事务所')).toBeTruthy()

  const refused =
    '停用该律师会影响 1 个已预约的咨询，未保存：#12 12月1日（周二）16:30 韩律明律师 · 会员王*军。'
  mocked.retireLawyer.mockRejectedValueOnce(new ApiError('BOOKINGS_AFFECTED', refused, 409))
  await tap(container, '.legal-admin-action.is-danger')
  expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '停用律师' }))
  expect(container.querySelector('.legal-admin-refusal')?.textContent).toBe(refused)
})

test('服务点: renamed in place; a retired one is marked and has no actions', async () => {
  mocked.points.mockResolvedValue([points[0], { ...points[1], retiredAt: '2026-11-20T02:00:00Z' }])
  const { container } = await mountPage(<LegalPointsAdmin member={staffMember} />)
  await screen.findByText('服务点（2）')
  expect(screen.getByText('已停用')).toBeTruthy()
  expect(container.querySelectorAll('.legal-admin-actions')).toHaveLength(1)
  await tap(container, '.legal-admin-action')
  await act(async () => {
    await new Promise((resolve) => requestAnimationFrame(resolve))
  })
  typeInto(container, '.legal-point-edit-name', '万达广场 劳动关系工作站（新址）')
  mocked.patchPoint.mockResolvedValueOnce({ ...points[0], name: '万达广场 劳动关系工作站（新址）' })
  await tap(container, '.legal-point-edit-save')
  // Phone and place go as they stand (unchanged here).
  expect(mocked.patchPoint).toHaveBeenCalledWith(1, {
    name: '万达广场 劳动关系工作站（新址）',
    address: points[0].address,
    phone: '010-68881234',
    location: { latitude: 39.9057, longitude: 116.2165 },
  })
  expect(await screen.findByText('万达广场 劳动关系工作站（新址）')).toBeTruthy()
  expect(container.querySelector('.legal-point-edit')).toBeNull()
})

test('服务点: phone and place edited in place; a bad one is refused under its field; blanks clear', async () => {
  mocked.points.mockResolvedValue([points[0], points[1]])
  const { container } = await mountPage(<LegalPointsAdmin member={staffMember} />)
  await screen.findByText('服务点（2）')
  const actions = container.querySelectorAll('.legal-admin-actions')
  await tap(actions[0] as HTMLElement, '.legal-admin-action')
  await act(async () => {
    await new Promise((resolve) => requestAnimationFrame(resolve))
  })
  const value = (selector: string) =>
    (container.querySelector(`${selector} input`) as HTMLInputElement | null)?.value ??
    (container.querySelector(selector) as HTMLInputElement | null)?.value
  expect(value('.legal-point-edit-phone')).toBe('010-68881234')
  expect(value('.legal-point-edit-lat')).toBe('39.9057')

  typeInto(container, '.legal-point-edit-phone', '打电话')
  typeInto(container, '.legal-point-edit-lng', '216.2')
  await tap(container, '.legal-point-edit-save')
  expect(screen.getByText('请填写正确的电话号码，如 010-68881234 或 13800138000')).toBeTruthy()
  expect(screen.getByText('经度应在 -180 到 180 之间（北京约为 116.4）')).toBeTruthy()
  expect(mocked.patchPoint).not.toHaveBeenCalled()

  typeInto(container, '.legal-point-edit-phone', ' ')
  typeInto(container, '.legal-point-edit-lat', '')
  typeInto(container, '.legal-point-edit-lng', '')
  expect(screen.queryByText(/经度应在/)).toBeNull()
  mocked.patchPoint.mockResolvedValueOnce({ ...points[0], phone: null, location: null })
  await tap(container, '.legal-point-edit-save')
  expect(mocked.patchPoint).toHaveBeenCalledWith(1, {
    name: points[0].name,
    address: points[0].address,
    phone: null,
    location: null,
  })
  expect(container.querySelector('.legal-point-edit')).toBeNull()
})
