import Taro from '@tarojs/taro'
import { screen, waitFor } from '@testing-library/react'
import type { MemberImport } from '@/contract/org'
import { MemberImportPanel } from '@/features/org/components/member-import'
import { saveTextFile } from '@/services/download'
import { getMemberImportRejectsCsv, startMemberImport } from '@/services/org'
import { aMember, mountPage, signedInAs, tap } from './render'

// The xlsx runs for real down to Taro (downloadFile/openDocument on weapp, fetch on H5).
jest.mock('@/services/org', () => {
  const actual = jest.requireActual<typeof import('@/services/org')>('@/services/org')
  return {
    ...jest.createMockFromModule<object>('@/services/org'),
    openMemberImportRejectsXlsx: actual.openMemberImportRejectsXlsx,
    rosterFileType: actual.rosterFileType,
  }
})
jest.mock('@/services/download', () => {
  const actual = jest.requireActual<typeof import('@/services/download')>('@/services/download')
  return {
    ...jest.createMockFromModule<object>('@/services/download'),
    openSpreadsheet: actual.openSpreadsheet,
    XLSX_MEDIA_TYPE: actual.XLSX_MEDIA_TYPE,
  }
})
const mockedStart = jest.mocked(startMemberImport)
const mockedCsv = jest.mocked(getMemberImportRejectsCsv)
const mockedSave = jest.mocked(saveTextFile)

const done: MemberImport = {
  id: 12,
  status: 'done',
  total: 5,
  done: 5,
  created: 2,
  updated: 1,
  rejected: 2,
  error: null,
}
const XLSX_URL = '/api/v1/admin/members/imports/12/rejected?format=xlsx'
const env = process.env.TARO_ENV
const taro = Taro as unknown as Record<string, unknown>

/**
 * Picks `roster.csv`: in the browser's file dialog (the hidden `<input type="file">`) on H5, from
 * a chat (`chooseMessageFile`) on weapp.
 */
function pickRosterOnClick(): void {
  Object.assign(taro, {
    chooseMessageFile: async () => ({
      tempFiles: [{ name: 'roster.csv', path: 'wxfile://tmp/roster.csv' }],
    }),
    getFileSystemManager: () => ({
      readFile: (o: { success: (r: { data: ArrayBuffer }) => void }) =>
        o.success({ data: new ArrayBuffer(8) }),
    }),
  })
  jest.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(function (
    this: HTMLInputElement,
  ) {
    const file = new File(['会员号,姓名\nM1,甲\n'], 'roster.csv', { type: 'text/csv' })
    Object.defineProperty(file, 'arrayBuffer', { value: async () => new ArrayBuffer(8) })
    Object.defineProperty(this, 'files', { value: [file], configurable: true })
    this.onchange?.(new Event('change'))
  })
}

async function importWithRejects(): Promise<HTMLElement> {
  signedInAs(aMember({ roles: ['member', 'staff'], staffUnionId: 2 }))
  mockedStart.mockResolvedValue(done)
  pickRosterOnClick()
  const { container } = await mountPage(<MemberImportPanel />)
  await tap(container, '.member-import-choose')
  await screen.findByText('未导入 2')
  return container
}

beforeEach(() => {
  for (const m of [mockedStart, mockedCsv, mockedSave]) m.mockReset()
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'ok' })
})

afterEach(() => {
  process.env.TARO_ENV = env
  jest.restoreAllMocks()
})

test('on H5 the refused rows download as Excel with the token; CSV stays for other systems', async () => {
  const fetchMock = jest.fn(async (_url: string, _init?: RequestInit) => ({
    ok: true,
    status: 200,
    blob: async () => new Blob(['PK']),
  }))
  const clicked: string[] = []
  Object.assign(globalThis, { fetch: fetchMock })
  Object.assign(URL, { createObjectURL: () => 'blob:rejects', revokeObjectURL: () => undefined })
  jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    clicked.push(`${this.download} ${this.href}`)
  })
  const container = await importWithRejects()
  expect(container.querySelector('.member-import-rejects')?.textContent).toBe(
    '下载未导入的行（Excel）',
  )
  expect(container.querySelector('.member-import-rejects-csv')?.textContent).toBe(
    '下载 CSV（供其他系统导入）',
  )
  await tap(container, '.member-import-rejects')
  await waitFor(() => expect(clicked).toEqual(['导入会员-12-未导入.xlsx blob:rejects']))
  expect(fetchMock.mock.calls[0]![0]).toBe(XLSX_URL)
  expect(fetchMock.mock.calls[0]![1]?.headers).toMatchObject({
    Accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  })
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已开始下载' }))
  expect(mockedCsv).not.toHaveBeenCalled()

  mockedCsv.mockResolvedValue('\ufeff行号,原因\n2,手机号格式不正确\n')
  mockedSave.mockResolvedValue({ kind: 'downloaded', fileName: 'x.csv' })
  await tap(container, '.member-import-rejects-csv')
  await waitFor(() => expect(mockedSave).toHaveBeenCalledTimes(1))
  expect(mockedSave.mock.calls[0]![0]).toBe('导入会员-12-未导入.csv')
})

test('on weapp it is downloaded and opened to forward; no CSV button (it would open nowhere)', async () => {
  process.env.TARO_ENV = 'weapp'
  const downloadFile = jest.fn((o: Taro.downloadFile.Option) => {
    o.success?.({
      statusCode: 200,
      tempFilePath: 'wxfile://tmp/rejects.xlsx',
      filePath: '',
      errMsg: 'ok',
    })
  })
  const openDocument = jest.fn(async (_o: Taro.openDocument.Option) => ({ errMsg: 'ok' }))
  Object.assign(taro, { downloadFile, openDocument })
  const container = await importWithRejects()
  expect(container.querySelector('.member-import-rejects-csv')).toBeNull()
  expect(container.querySelector('.member-import-rejects')?.textContent).toBe(
    '打开未导入的行（Excel，可转发到电脑）',
  )
  await tap(container, '.member-import-rejects')
  await waitFor(() => expect(openDocument).toHaveBeenCalledTimes(1))
  expect(downloadFile.mock.calls[0]![0].url.endsWith(XLSX_URL)).toBe(true)
  expect(openDocument.mock.calls[0]![0]).toEqual({
    filePath: 'wxfile://tmp/rejects.xlsx',
    fileType: 'xlsx',
    showMenu: true,
  })
})

test('a refused download says why under the form', async () => {
  process.env.TARO_ENV = 'weapp'
  const downloadFile = jest.fn((o: Taro.downloadFile.Option) => {
    o.success?.({ statusCode: 403, tempFilePath: 'wxfile://tmp/x', filePath: '', errMsg: 'ok' })
  })
  const openDocument = jest.fn()
  Object.assign(taro, { downloadFile, openDocument })
  const container = await importWithRejects()
  await tap(container, '.member-import-rejects')
  await waitFor(() => expect(container.querySelector('.member-import-error')).toBeTruthy())
  expect(openDocument).not.toHaveBeenCalled()
})
