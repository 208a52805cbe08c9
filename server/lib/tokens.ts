import crypto from 'node:crypto'

export interface TokenClaims {
  /** Member id. */
  sub: number
  /** Expiry, seconds since the epoch. */
  exp: number
}

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url')

function mac(secret: string, payload: string): string {
  return crypto.createHmac('sha256', secret).update(payload).digest('base64url')
}

/** A signed bearer token `v1.<claims>.<hmac>`. */
export function signToken(secret: string, claims: TokenClaims): string {
  const payload = `v1.${b64(JSON.stringify(claims))}`
  return `${payload}.${mac(secret, payload)}`
}

/** The token's claims when its signature holds and it has not expired; otherwise null. */
export function verifyToken(secret: string, token: string, nowSeconds: number): TokenClaims | null {
  const parts = token.split('.')
  if (parts.length !== 3 || parts[0] !== 'v1') return null
  const payload = `${parts[0]}.${parts[1]}`
  const expected = Buffer.from(mac(secret, payload))
  const given = Buffer.from(parts[2])
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return null
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as TokenClaims
    if (!Number.isInteger(claims.sub) || !Number.isInteger(claims.exp)) return null
    if (claims.exp <= nowSeconds) return null
    return claims
  } catch {
    return null
  }
}
