import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buffer } from 'node:stream/consumers'
import ExcelJS from 'exceljs'
import { displayWidth, xlsxStream, type SheetRow } from '../../server/lib/xlsx'

// server/lib/xlsx.ts: the streamed workbook staff open.

async function load(file: Buffer): Promise<ExcelJS.Worksheet> {
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(file as never)
  return book.worksheets[0]!
}

test('rows in batches: bold frozen header, widths, text stays text, numbers stay numbers', async () => {
  async function* rows(): AsyncGenerator<SheetRow[]> {
    yield [{ cells: ['会员号', '收件人', '件数'], bold: true }]
    yield [{ cells: ['M0001', '=HYPERLINK("http://x")', 3] }, { cells: ['M0002', '', null] }]
    yield [{ cells: ['合计', null, 3], bold: true }]
  }
  const ws = await load(
    await buffer(xlsxStream({ name: '装箱单', widths: { 收件人: 20 } }, rows())),
  )
  assert.equal(ws.name, '装箱单')
  assert.equal(ws.rowCount, 4)
  assert.deepEqual(
    ws.columns.map((c) => c.width),
    [8, 20, 8],
  )
  assert.equal(ws.getRow(1).getCell(1).font?.bold, true)
  assert.notEqual(ws.getRow(2).getCell(1).font?.bold, true)
  assert.equal(ws.getRow(4).getCell(3).font?.bold, true)
  assert.equal(ws.views[0]?.state, 'frozen')
  // A recipient that looks like a formula is text, not a formula.
  assert.equal(ws.getCell('B2').value, '=HYPERLINK("http://x")')
  assert.equal(ws.getCell('B2').type, ExcelJS.ValueType.String)
  assert.equal(ws.getCell('C2').value, 3)
  assert.equal(ws.getCell('B3').value, null)
  assert.equal(ws.getCell('C3').value, null)
})

test('no rows: an empty sheet that still opens', async () => {
  const ws = await load(await buffer(xlsxStream({ name: '空' }, [])))
  assert.equal(ws.name, '空')
  assert.equal(ws.rowCount, 0)
})

test('an error while reading rows ends the stream with that error', async () => {
  async function* rows(): AsyncGenerator<SheetRow[]> {
    yield [{ cells: ['a'], bold: true }]
    throw new Error('database gone')
  }
  await assert.rejects(buffer(xlsxStream({ name: 'x' }, rows())), /database gone/)
})

test('display width counts Chinese characters twice', () => {
  assert.equal(displayWidth('abc'), 3)
  assert.equal(displayWidth('收货地点'), 8)
  assert.equal(displayWidth('小计（1 份）'), 12)
})
