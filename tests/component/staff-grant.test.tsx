import { screen, waitFor } from '@testing-library/react'
import GrantPage from '@/packages/staff/pages/grant'
import { memberNosInFile } from '@/features/points/staff/grant-form'
import { useUnionsStore } from '@/components/form/unions-store'
import { ApiError } from '@/services/http'
import { listUnions, searchMembers } from '@/services/org'
import { grantJob, grantPoints, previewGrant } from '@/services/points'
import { aMember, mountPage, signedInAs, tap, typeInto } from './render'

jest.mock('@/services/org')
jest.mock('@/services/points')
const mockedUnions = jest.mocked(listUnions)
const mockedSearch = jest.mocked(searchMembers)
const mockedPreview = jest.mocked(previewGrant)
const mockedGrant = jest.mocked(grantPoints)
const mockedJob = jest.mocked(grantJob)

const unions = [
  { id: 1, name: '北京市总工会', parentId: null },
  { id: 2, name: '中关村科学城工会', parentId: 1 },
  { id: 3, name: '小米工会', parentId: 2 },
  { id: 4, name: '石景山区总工会', parentId: 1 },
]
const zhangWei = { id: 101, memberNo: 'M0001', name: '张伟', unionId: 3, unionName: '小米工会' }
const liNa = { id: 102, memberNo: 'M0002', name: '李娜', unionId: 3, unionName: '小米工会' }

beforeEach(() => {
  useUnionsStore.setState({ unions: [], status: 'idle', error: null })
  for (const m of [mockedUnions, mockedSearch, mockedPreview, mockedGrant, mockedJob]) m.mockReset()
  mockedUnions.mockResolvedValue(unions)
  mockedSearch.mockImplementation(async ({ q }) =>
    [zhangWei, liNa].filter((m) => m.memberNo === q || m.name.includes(q ?? '')),
  )
})

/** Waits for the form, including the real <textarea> Taro's web component renders a frame later. */
async function formShown(container: HTMLElement) {
  await screen.findByText('发放对象')
  await waitFor(() => expect(container.querySelector('.grant-member-nos textarea')).not.toBeNull())
}

async function fillMembersGrant(container: HTMLElement) {
  await formShown(container)
  typeInto(container, '.grant-member-nos', 'm0001, M0002')
  typeInto(container, '.grant-amount', '50')
  typeInto(container, '.grant-reason', '夏季高温慰问')
}

test('shows how many members the grant reaches before sending, then sends it once', async () => {
  signedInAs(aMember({ roles: ['member', 'staff'], staffUnionId: 2 }))
  mockedPreview.mockResolvedValue({
    memberCount: 2,
    sample: [
      { id: 101, memberNo: 'M0001', name: '张伟', unionName: '小米工会' },
      { id: 102, memberNo: 'M0002', name: '李娜', unionName: '小米工会' },
    ],
    unknownMemberNos: [],
  })
  mockedGrant.mockResolvedValue({ granted: 2, grantId: 9 })
  const { container } = await mountPage(<GrantPage />)
  await fillMembersGrant(container)

  await tap(container, '.grant-next')

  expect(await screen.findByText('将向 2 名会员各发放 50 积分')).toBeTruthy()
  expect(mockedPreview).toHaveBeenCalledWith({ memberNos: ['M0001', 'M0002'] })
  expect(screen.getByText('100 积分')).toBeTruthy()
  expect(screen.getByText('张伟（M0001，小米工会）')).toBeTruthy()
  expect(mockedGrant).not.toHaveBeenCalled()

  await tap(container, '.grant-send')

  expect(mockedGrant).toHaveBeenCalledTimes(1)
  expect(mockedGrant.mock.calls[0][0]).toEqual({
    amount: 50,
    reason: '夏季高温慰问',
    expiresAt: undefined,
    memberNos: ['M0001', 'M0002'],
  })
  expect(await screen.findByText('已向 2 名会员各发放 50 积分')).toBeTruthy()
})

test('a grant to many members follows the background job until it is done', async () => {
  signedInAs(aMember({ roles: ['member', 'staff'], staffUnionId: 2 }))
  mockedPreview.mockResolvedValue({ memberCount: 2, sample: [], unknownMemberNos: [] })
  mockedGrant.mockResolvedValue({ grant: { id: 5, status: 'running', total: 8000, granted: 0 } })
  mockedJob.mockResolvedValueOnce({ grant: { id: 5, status: 'done', total: 8000, granted: 8000 } })
  const { container } = await mountPage(<GrantPage />)
  await fillMembersGrant(container)
  await tap(container, '.grant-next')
  await screen.findByText('将向 2 名会员各发放 50 积分')
  await tap(container, '.grant-send')
  expect(await screen.findByText('正在发放：已发放 0 / 8000 名会员，可以离开本页')).toBeTruthy()
  // The page asks again after 2 s and shows the final count.
  expect(
    await screen.findByText('已向 8000 名会员各发放 50 积分', undefined, { timeout: 4000 }),
  ).toBeTruthy()
  expect(mockedJob).toHaveBeenCalledTimes(1)
  expect(mockedJob).toHaveBeenCalledWith(5)
}, 10_000)

test('a whole union must be chosen first', async () => {
  signedInAs(aMember({ roles: ['member', 'staff'], staffUnionId: 2 }))
  const { container } = await mountPage(<GrantPage />)
  await formShown(container)

  await tap(container, '.grant-mode-union')
  typeInto(container, '.grant-amount', '20')
  typeInto(container, '.grant-reason', '劳动竞赛奖励')
  await tap(container, '.grant-next')
  // No union chosen yet.
  expect(await screen.findByText('请选择工会')).toBeTruthy()
  expect(mockedPreview).not.toHaveBeenCalled()
})

test('lists unknown member numbers before confirming; one tap drops them, then it goes on', async () => {
  signedInAs(aMember({ roles: ['member', 'staff'], staffUnionId: 2 }))
  mockedPreview.mockImplementation(async (body) => {
    const nos = 'memberNos' in body ? (body.memberNos ?? []) : []
    const known = nos.filter((no) => no === 'M0001')
    return {
      memberCount: known.length,
      sample: known.length
        ? [{ id: 101, memberNo: 'M0001', name: '张伟', unionName: '小米工会' }]
        : [],
      unknownMemberNos: nos.filter((no) => no !== 'M0001'),
    }
  })
  const { container } = await mountPage(<GrantPage />)
  await formShown(container)

  typeInto(container, '.grant-member-nos', 'M0001 M0999, x12')
  typeInto(container, '.grant-amount', '0')
  await tap(container, '.grant-next')
  expect(await screen.findByText('发放积分至少为 1')).toBeTruthy()
  expect(screen.getByText('请填写发放原因')).toBeTruthy()
  expect(mockedPreview).not.toHaveBeenCalled()

  typeInto(container, '.grant-amount', '10')
  typeInto(container, '.grant-reason', '慰问')
  await tap(container, '.grant-next')
  expect(
    await screen.findByText('有 2 个会员号找不到，或不在你管理的工会：M0999、X12'),
  ).toBeTruthy()
  // Nothing to confirm while unknown numbers are in the list.
  expect(screen.queryByText(/将向 .* 名会员/)).toBeNull()
  expect(mockedGrant).not.toHaveBeenCalled()

  await tap(container, '.grant-drop-unknown')
  expect((container.querySelector('.grant-member-nos textarea') as HTMLTextAreaElement).value).toBe(
    'M0001',
  )
  expect(screen.queryByText(/个会员号找不到/)).toBeNull()
  await tap(container, '.grant-next')
  expect(await screen.findByText('将向 1 名会员各发放 10 积分')).toBeTruthy()
  expect(mockedPreview).toHaveBeenLastCalledWith({ memberNos: ['M0001'] })
})

test('member numbers from a .csv roster export: only the numbers, added to the list', async () => {
  expect(
    memberNosInFile(
      '\uFEFF会员号,姓名,工会\r\nm0001,张伟,小米工会\r\n"M0002",李娜,小米工会\r\n\r\nM0001,张伟,小米工会\n',
    ),
  ).toEqual(['M0001', 'M0002'])
  expect(memberNosInFile('M0003\nM0004 M0005')).toEqual(['M0003', 'M0004', 'M0005'])

  signedInAs(aMember({ roles: ['member', 'staff'], staffUnionId: 2 }))
  const { container } = await mountPage(<GrantPage />)
  await formShown(container)
  typeInto(container, '.grant-member-nos', 'M0009')
  // The file picker H5 opens: a chosen file with a roster in it.
  const file = new File(['会员号,姓名\nM0001,张伟\nM0009,王五\n'], 'roster.csv', {
    type: 'text/csv',
  })
  const realCreate = document.createElement.bind(document)
  jest.spyOn(document, 'createElement').mockImplementation((tag: string) => {
    const el = realCreate(tag)
    if (tag === 'input') {
      Object.defineProperty(el, 'files', { value: [file] })
      el.click = () => (el as HTMLInputElement).onchange?.(new Event('change'))
    }
    return el
  })
  await tap(container, '.grant-import')
  await waitFor(() =>
    expect(
      (container.querySelector('.grant-member-nos textarea') as HTMLTextAreaElement).value,
    ).toBe('M0009 M0001'),
  )
})

test('a retry after a network error sends the same idempotency key', async () => {
  signedInAs(aMember({ roles: ['member', 'staff'], staffUnionId: 2 }))
  mockedPreview.mockResolvedValue({ memberCount: 2, sample: [], unknownMemberNos: [] })
  mockedGrant
    .mockRejectedValueOnce(new ApiError('NETWORK', '网络不给力，请检查网络后重试'))
    .mockResolvedValueOnce({ granted: 2, grantId: 9 })
  const { container } = await mountPage(<GrantPage />)
  await fillMembersGrant(container)
  await tap(container, '.grant-next')
  await screen.findByText('将向 2 名会员各发放 50 积分')

  await tap(container, '.grant-send')
  expect(await screen.findByText('网络不给力，请检查网络后重试')).toBeTruthy()
  expect(screen.getByText('重试')).toBeTruthy()
  await tap(container, '.grant-send')

  await waitFor(() => expect(mockedGrant).toHaveBeenCalledTimes(2))
  const [first, second] = mockedGrant.mock.calls.map(([, options]) => options?.idempotencyKey)
  expect(first).toMatch(/\S{8,}/)
  expect(second).toBe(first)
  expect(await screen.findByText('已向 2 名会员各发放 50 积分')).toBeTruthy()
})
