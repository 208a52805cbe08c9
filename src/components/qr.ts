import qrcode from 'qrcode-generator'

/** A stretch of same-coloured modules in one row of a QR code. */
export interface QrRun {
  dark: boolean
  length: number
}

/**
 * The QR code of `text` as rows of runs, so it renders as plain Views on weapp and H5 alike (no
 * canvas): one View per run keeps the node count low. Error correction M survives a scuffed screen.
 */
export function qrRows(text: string): QrRun[][] {
  const qr = qrcode(0, 'M')
  qr.addData(text, /^[0-9A-Z $%*+\-./:]*$/.test(text) ? 'Alphanumeric' : 'Byte')
  qr.make()
  const size = qr.getModuleCount()
  const rows: QrRun[][] = []
  for (let r = 0; r < size; r++) {
    const runs: QrRun[] = []
    for (let c = 0; c < size; c++) {
      const dark = qr.isDark(r, c)
      const last = runs[runs.length - 1]
      if (last && last.dark === dark) last.length++
      else runs.push({ dark, length: 1 })
    }
    rows.push(runs)
  }
  return rows
}
