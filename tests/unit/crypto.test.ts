import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { describe, test } from 'node:test'
import { createSealer, SEALED_PREFIX, UNREADABLE_TEXT } from '../../server/lib/crypto'

const key = crypto.randomBytes(32)
const sealer = createSealer(key)
const plain = '公司拖欠我三个月工资，想咨询如何申请劳动仲裁。ZEBRA-7f3a'

/** Flips one bit of the n-th base64url part of a sealed value (0: IV, 1: tag, 2: ciphertext). */
function tamper(sealed: string, part: number): string {
  const parts = sealed.slice(SEALED_PREFIX.length).split('.')
  const bytes = Buffer.from(parts[part], 'base64url')
  bytes[0] ^= 1
  parts[part] = bytes.toString('base64url')
  return SEALED_PREFIX + parts.join('.')
}

describe('sealer (AES-256-GCM)', () => {
  test('round trip: sealed text carries the prefix, none of the plain text, and opens again', () => {
    const sealed = sealer.seal(plain)
    assert.ok(sealed.startsWith(SEALED_PREFIX))
    assert.ok(sealer.isSealed(sealed))
    assert.ok(!sealed.includes('ZEBRA') && !sealed.includes('工资'))
    assert.equal(sealer.open(sealed), plain)
    assert.equal(sealer.open(sealer.seal('')), '')
    // The same key in another process (another sealer) opens it too.
    assert.equal(createSealer(Buffer.from(key)).open(sealed), plain)
  })

  test('a fresh IV each time: the same text never seals the same way', () => {
    const seen = new Set(Array.from({ length: 50 }, () => sealer.seal(plain)))
    assert.equal(seen.size, 50)
    const ivs = new Set([...seen].map((s) => s.slice(SEALED_PREFIX.length).split('.')[0]))
    assert.equal(ivs.size, 50)
  })

  test('tampering with the IV, the tag or the ciphertext is detected', () => {
    const sealed = sealer.seal(plain)
    for (const part of [0, 1, 2]) {
      assert.throws(() => sealer.open(tamper(sealed, part)), `part ${part}`)
    }
    assert.throws(() => sealer.open(`${SEALED_PREFIX}abc`))
    assert.throws(() => sealer.open(sealed.replace(/\.[^.]*$/, '')))
  })

  test('another key does not open it', () => {
    assert.throws(() => createSealer(crypto.randomBytes(32)).open(sealer.seal(plain)))
    assert.throws(() => createSealer(crypto.randomBytes(16)), /32 bytes/)
  })

  test('a context binds the value to its place: another context does not open it', () => {
    const sealed = sealer.seal(plain, 'legal_bookings.description:member=7')
    assert.equal(sealer.open(sealed, 'legal_bookings.description:member=7'), plain)
    assert.throws(() => sealer.open(sealed, 'legal_bookings.description:member=8'))
    assert.throws(() => sealer.open(sealed))
    assert.throws(() => sealer.open(sealer.seal(plain), 'legal_bookings.notes:booking=1'))
  })

  test('plain (legacy) text passes through open unchanged and is not taken for sealed', () => {
    assert.equal(sealer.open(plain), plain)
    assert.equal(sealer.isSealed(plain), false)
  })

  test('for viewing, a value that does not open reads as the placeholder and is reported', () => {
    const reported: Array<string | undefined> = []
    const viewing = createSealer(crypto.randomBytes(32), (context) => reported.push(context))
    const sealed = viewing.seal(plain, 'legal_bookings.description:member=7')
    assert.equal(viewing.openForView(sealed, 'legal_bookings.description:member=7'), plain)
    assert.deepEqual(reported, [])
    assert.equal(
      viewing.openForView(sealed, 'legal_bookings.description:member=8'),
      UNREADABLE_TEXT,
    )
    assert.equal(
      viewing.openForView(tamper(sealed, 2), 'legal_bookings.description:member=7'),
      UNREADABLE_TEXT,
    )
    assert.deepEqual(reported, [
      'legal_bookings.description:member=8',
      'legal_bookings.description:member=7',
    ])
  })
})
