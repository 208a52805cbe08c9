import { act, fireEvent, screen } from '@testing-library/react'
import type { AuditEntry } from '@/contract/audit'
import { AuditLog } from '@/features/audit/audit-log'
import { listAudit } from '@/services/audit'
import { aMember, mountPage, signedInAs, tap } from './render'

jest.mock('@/services/audit')
const mockedAudit = jest.mocked(listAudit)

function anEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: 90,
    at: '2026-11-26T02:05:00.000Z',
    actorId: 7,
    actorNo: 'S0101',
    actorName: '石景山干部',
    actorUnionName: '石景山区总工会',
    action: 'legal_closure.create',
    entity: 'legal_closure',
    entityId: '4',
    details: 'date: 2026-12-08；reason: 工作站装修',
    ...overrides,
  }
}

beforeEach(() => {
  jest.resetAllMocks()
  signedInAs(aMember({ memberNo: 'S0101', roles: ['member', 'staff'], staffUnionId: 2 }))
})

async function pickIn(element: Element | null, value: string) {
  const picker = element?.closest('taro-picker-core')
  if (!picker) throw new Error('no picker')
  await act(async () => {
    fireEvent(picker, new CustomEvent('change', { detail: { value } }))
  })
}

test('操作记录: entries in words, filters by area and person, older pages on demand', async () => {
  mockedAudit.mockResolvedValueOnce({
    entries: [
      anEntry(),
      anEntry({
        id: 89,
        actorId: 30,
        actorNo: 'L0001',
        actorName: '韩律明',
        action: 'legal.description.read',
        entity: 'legal_booking',
        entityId: '12',
        details: 'bookingIds: [12]；via: lawyer.day',
      }),
    ],
    next: '89',
  })
  const { container } = await mountPage(<AuditLog />)
  await screen.findByText('设置停诊日')
  expect(mockedAudit).toHaveBeenLastCalledWith({})
  expect(screen.getByText('查看了咨询问题描述')).toBeTruthy()
  expect(screen.getByText('bookingIds: [12]；via: lawyer.day')).toBeTruthy()
  expect(screen.getByText('韩律明（L0001）· 石景山区总工会')).toBeTruthy()

  // Older entries, appended.
  mockedAudit.mockResolvedValueOnce({
    entries: [anEntry({ id: 40, action: 'cooling_site.update', details: 'address: 旧 → 新' })],
    next: null,
  })
  await tap(container, '.audit-more')
  expect(mockedAudit).toHaveBeenLastCalledWith({ cursor: '89' })
  expect(screen.getByText('修改收货地点')).toBeTruthy()
  expect(screen.getByText('没有更早的记录了')).toBeTruthy()

  // One area only: 法律咨询 (the first area after 全部操作).
  mockedAudit.mockResolvedValueOnce({ entries: [anEntry()], next: null })
  await pickIn(container.querySelector('.audit-area'), '1')
  expect(mockedAudit).toHaveBeenLastCalledWith({ action: 'legal' })
  expect(screen.queryByText('修改收货地点')).toBeNull()

  // Tapping a person keeps only their entries.
  mockedAudit.mockResolvedValueOnce({ entries: [anEntry()], next: null })
  await tap(container, '.audit-actor')
  expect(mockedAudit).toHaveBeenLastCalledWith({ action: 'legal', actorId: 7 })
  expect(screen.getByText('只看：石景山干部')).toBeTruthy()

  mockedAudit.mockResolvedValueOnce({ entries: [], next: null })
  await pickIn(container.querySelector('.audit-from'), '2026-12-01')
  expect(mockedAudit).toHaveBeenLastCalledWith({ action: 'legal', actorId: 7, from: '2026-12-01' })
  expect(screen.getByText('没有符合条件的操作记录')).toBeTruthy()
})
