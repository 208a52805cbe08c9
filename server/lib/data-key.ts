import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/** The file the demo keeps its generated data key in (inside the data directory, never the database). */
export const DATA_KEY_FILE = 'data.key'

/** Decodes `DATA_KEY`: 32 bytes as base64/base64url or as 64 hex digits. */
export function parseDataKey(value: string): Buffer {
  const v = value.trim()
  const key = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64')
  if (key.length !== 32) {
    throw new Error('DATA_KEY 应为 32 字节密钥的 base64 或 64 位十六进制')
  }
  return key
}

/**
 * The key that encrypts confidential text: `DATA_KEY` when given; otherwise (the demo) one
 * generated once into `<dataDir>/data.key`; for an in-memory database a fresh one per process.
 */
export function loadDataKey(opts: { dataKey?: string; dataDir: string }): Buffer {
  if (opts.dataKey) return parseDataKey(opts.dataKey)
  if (opts.dataDir.startsWith('memory://')) return crypto.randomBytes(32)
  const file = path.join(opts.dataDir, DATA_KEY_FILE)
  fs.mkdirSync(opts.dataDir, { recursive: true })
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64') + '\n', {
      flag: 'wx',
      mode: 0o600,
    })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  return parseDataKey(fs.readFileSync(file, 'utf8'))
}
