import crypto from 'node:crypto'

/** Sealed text starts with this; anything else is legacy plain text (sealed on start). */
export const SEALED_PREFIX = 'enc1:'

/**
 * Encrypts and decrypts confidential text (legal descriptions, lawyers' notes) with AES-256-GCM.
 * `context` (optional) is bound to the ciphertext as associated data: a sealed value opens only
 * with the same context, so one copied into another row (e.g. another member's booking) fails.
 */
export interface Sealer {
  seal(plain: string, context?: string): string
  /** Plain text passes through unchanged (legacy rows); tampered or misplaced values throw. */
  open(sealed: string, context?: string): string
  /**
   * For showing a value: like `open`, but a value that does not open (tampered, or copied from
   * another row) reads as `UNREADABLE_TEXT` and is reported to `onUnreadable` (with the context,
   * never the text) instead of failing the whole page.
   */
  openForView(sealed: string, context?: string): string
  isSealed(value: string): boolean
}

/** What a sealed value that does not open reads as. */
export const UNREADABLE_TEXT = '〔此内容无法解密，请联系工会管理员〕'

/** A sealer over a 32-byte key: `enc1:<iv>.<tag>.<ciphertext>`, each base64url, a fresh IV each time. */
export function createSealer(
  key: Buffer,
  onUnreadable: (context: string | undefined) => void = () => {},
): Sealer {
  if (key.length !== 32) throw new Error('data key must be 32 bytes')
  const sealer: Sealer = {
    seal(plain, context) {
      const iv = crypto.randomBytes(12)
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv)
      if (context !== undefined) cipher.setAAD(Buffer.from(context, 'utf8'))
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      const tag = cipher.getAuthTag()
      return `${SEALED_PREFIX}${iv.toString('base64url')}.${tag.toString('base64url')}.${data.toString('base64url')}`
    },
    open(sealed, context) {
      if (!sealed.startsWith(SEALED_PREFIX)) return sealed
      const parts = sealed.slice(SEALED_PREFIX.length).split('.')
      if (parts.length !== 3) throw new Error('sealed value is malformed')
      const [iv, tag, data] = parts.map((p) => Buffer.from(p, 'base64url'))
      if (iv.length !== 12 || tag.length !== 16) throw new Error('sealed value is malformed')
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 })
      if (context !== undefined) decipher.setAAD(Buffer.from(context, 'utf8'))
      decipher.setAuthTag(tag)
      return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8')
    },
    openForView(sealed, context) {
      try {
        return sealer.open(sealed, context)
      } catch {
        onUnreadable(context)
        return UNREADABLE_TEXT
      }
    },
    isSealed: (value) => value.startsWith(SEALED_PREFIX),
  }
  return sealer
}
