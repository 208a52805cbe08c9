import assert from 'node:assert/strict'
import { test } from 'node:test'
import { signToken, verifyToken } from '../../server/lib/tokens'

const now = 1_800_000_000

test('a signed token verifies until it expires', () => {
  const token = signToken('s3cret', { sub: 42, exp: now + 60 })
  assert.deepEqual(verifyToken('s3cret', token, now), { sub: 42, exp: now + 60 })
  assert.equal(verifyToken('s3cret', token, now + 60), null)
  assert.equal(verifyToken('s3cret', token, now + 61), null)
})

test('a token signed with another secret or altered claims is refused', () => {
  const token = signToken('s3cret', { sub: 42, exp: now + 60 })
  assert.equal(verifyToken('other', token, now), null)
  const [v, , sig] = token.split('.')
  const forgedClaims = Buffer.from(JSON.stringify({ sub: 1, exp: now + 60 })).toString('base64url')
  assert.equal(verifyToken('s3cret', `${v}.${forgedClaims}.${sig}`, now), null)
  assert.equal(verifyToken('s3cret', 'not-a-token', now), null)
  assert.equal(verifyToken('s3cret', `${v}.${forgedClaims}`, now), null)
})
