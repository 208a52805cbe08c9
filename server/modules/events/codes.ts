import crypto from 'node:crypto'
import { pickupCodeAlphabet } from '../../../src/contract/mall'

/** A code people read and type: no 0/O, no 1/I/L (the pickup-code alphabet). */
export function newReadableCode(length: number): string {
  let code = ''
  for (let i = 0; i < length; i++)
    code += pickupCodeAlphabet[crypto.randomInt(pickupCodeAlphabet.length)]
  return code
}

/** The event's check-in code, shown at the venue. */
export const newEventCheckinCode = () => newReadableCode(6)

/** A member's personal check-in code, shown as a QR for staff to scan. */
export const newPersonalCheckinCode = () => newReadableCode(10)

/**
 * An attendee's public id: random, so that it says nothing about the member, the sign-up order
 * or anything else, and lists ordered by it are in no meaningful order.
 */
export const newAttendeeId = () => crypto.randomBytes(9).toString('base64url')
