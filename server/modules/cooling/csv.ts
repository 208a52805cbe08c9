/** The byte order mark that makes Excel read a CSV file as UTF-8 (Chinese text intact). */
export const UTF8_BOM = '\uFEFF'

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes
 * doubled. Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR at the
 * start) gets a leading apostrophe, so a recipient named `=HYPERLINK(…)` stays text.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One CSV line with its CRLF (what Excel expects). */
export function csvLine(row: ReadonlyArray<string | number | null>): string {
  return row.map(csvField).join(',') + '\r\n'
}

/** A whole CSV document: BOM, CRLF line ends (what Excel expects), a final line break. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  return UTF8_BOM + rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}

/**
 * A `Content-Disposition` for a download: an ASCII `filename` for old clients and the real
 * (Chinese) name as RFC 5987 `filename*`.
 */
export function attachmentDisposition(asciiName: string, utf8Name: string): string {
  const safe = asciiName.replace(/[^A-Za-z0-9._-]/g, '_')
  const encoded = encodeURIComponent(utf8Name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${safe}"; filename*=UTF-8''${encoded}`
}
