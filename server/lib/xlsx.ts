// Spreadsheets staff can open: an .xlsx written row by row with exceljs's streaming writer.
import { PassThrough, type Readable } from 'node:stream'
import ExcelJS from 'exceljs'

/** The media type of an .xlsx workbook. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** One cell: text stays text (never a formula), numbers stay numbers, null is an empty cell. */
export type SheetCell = string | number | null

/** One row of a sheet; `bold` for headers, subtotals and totals. */
export interface SheetRow {
  cells: ReadonlyArray<SheetCell>
  bold?: boolean
}

/** How a sheet is laid out: its name, and widths (in characters) by header text. */
export interface SheetOptions {
  name: string
  /** A column's width by its header text; others get the width of their header, at least 8. */
  widths?: Readonly<Record<string, number>>
}

/** Bytes the reader may leave unread before the writer waits for it. */
const HIGH_WATER = 1 << 20

/** Resolves when `out` drains or closes (a reader that hung up never drains). */
function drained(out: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done)
      out.off('close', done)
      resolve()
    }
    out.on('drain', done)
    out.on('close', done)
  })
}

/** Width of text on screen in characters: CJK and other wide characters count two. */
export function displayWidth(text: string): number {
  let n = 0
  for (const ch of text) n += ch.codePointAt(0)! > 0x2e7f ? 2 : 1
  return n
}

/**
 * A one-sheet workbook as a stream. The first row `rows` gives is the header: bold, frozen, with
 * an autofilter; the column widths follow it. Rows are written a batch at a time (`rows` may be
 * an async iterable, read as it goes) and the writer waits while the reader lags more than about
 * 1 MB behind, so memory stays flat however long the sheet is. An error of `rows` destroys the
 * stream with it.
 */
export function xlsxStream(
  sheet: SheetOptions,
  rows: AsyncIterable<ReadonlyArray<SheetRow>> | Iterable<ReadonlyArray<SheetRow>>,
): Readable {
  const out = new PassThrough({ highWaterMark: HIGH_WATER })
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  })
  const write = async () => {
    let ws: ExcelJS.Worksheet | null = null
    let columns = 0
    for await (const batch of rows) {
      for (const row of batch) {
        if (!ws) {
          columns = row.cells.length
          ws = book.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] })
          ws.columns = row.cells.map((c) => {
            const text = String(c ?? '')
            return { width: sheet.widths?.[text] ?? Math.max(8, displayWidth(text) + 2) }
          })
          ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns } }
        }
        const added = ws.addRow(row.cells.map((c) => (c === '' ? null : c)))
        if (row.bold) added.font = { bold: true }
        added.commit()
      }
      if (out.writableNeedDrain) await drained(out)
      // The reader went away (the client hung up): stop reading rows.
      if (out.destroyed) return
    }
    if (!ws) ws = book.addWorksheet(sheet.name)
    ws.commit()
    await book.commit()
  }
  write().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))))
  return out
}
