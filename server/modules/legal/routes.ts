import type { FastifyInstance } from 'fastify'
import type { MemberBookingResponse } from '../../../src/contract/legal'
import { routes } from '../../../src/contract/routes'
import { handle, type Caller } from '../../lib/route'
import { ancestorIds, staffScope } from '../org/union-tree'
import {
  bookSlot,
  callerLawyerId,
  cancelBooking,
  lawyerDay,
  logDescriptionRead,
  memberBookings,
  rateBooking,
  recordOutcome,
  saveNotes,
  staffBookings,
} from './bookings'
import {
  createClosure,
  createLawyer,
  createRule,
  createServicePoint,
  lawyers,
  listSlots,
  servicePointsOf,
  staffClosures,
  staffLawyers,
  staffRules,
  topics,
} from './catalogue'
import {
  patchClosure,
  patchLawyer,
  patchRule,
  patchServicePoint,
  retireClosure,
  retireLawyer,
  retireRule,
  retireServicePoint,
} from './operations'
import { openStoredBooking, sealLegacyBookings, sealStoredBooking } from './confidential'
import { shanghaiDayBounds, shanghaiDate } from '../../lib/time'

const staffRoles = { roles: ['staff', 'admin'] as Array<'staff' | 'admin'> }
const lawyerRoles = { roles: ['lawyer'] as Array<'lawyer'> }

export async function legalRoutes(app: FastifyInstance) {
  const db = () => app.db.db
  const sealer = app.sealer

  // Descriptions and notes written before encryption at rest (or by an older process) are sealed
  // once the database is there; safe when several processes start together.
  app.addHook('onReady', async () => {
    const { sealed, tooLong } = await sealLegacyBookings(db(), sealer)
    if (sealed > 0) app.log.info({ sealed }, 'legal: plain-text descriptions and notes sealed')
    if (tooLong > 0) {
      app.log.warn(
        { tooLong },
        'legal: descriptions left in plain text: their sealed form breaks legal_bookings_description_length',
      )
    }
  })

  handle(app, routes.legalTopics, {}, async () => ({ topics: await topics(db()) }))

  handle(app, routes.legalLawyers, {}, async () => ({ lawyers: await lawyers(db()) }))

  handle(app, routes.legalServicePoints, {}, async ({ caller }) => ({
    servicePoints: await servicePointsOf(db(), await ancestorIds(db(), caller.unionId)),
  }))

  // The contract holds the range (`to` not before `from`, at most slotRangeDays: RANGE_TOO_LONG).
  handle(app, routes.legalSlots, { trustedResponse: true }, async ({ caller, query }) => ({
    slots: await listSlots(db(), caller.unionId, query, new Date()),
  }))

  // The helper claims the key first in the transaction (a retry waits there and replays the first
  // answer), then bookSlot takes its locks; the kept answer holds the description and the phone
  // sealed, never in plain text.
  const sealedBooking = {
    seal: (caller: Caller, answer: MemberBookingResponse) =>
      sealStoredBooking(sealer, caller.id, answer),
    open: (caller: Caller, stored: unknown) =>
      openStoredBooking(sealer, caller.id, stored as MemberBookingResponse),
  }
  handle(
    app,
    routes.createLegalBooking,
    { storedAnswer: sealedBooking },
    async ({ caller, body, tx }) => {
      const booking = await bookSlot(tx, sealer, caller, body, new Date())
      await logDescriptionRead(tx, caller.id, [booking.id], 'member.create')
      return { booking }
    },
  )

  handle(app, routes.legalBookings, {}, async ({ caller }) => ({
    bookings: await db().transaction((tx) => memberBookings(tx, sealer, caller)),
  }))

  handle(app, routes.cancelLegalBooking, {}, async ({ caller, params }) =>
    db().transaction(async (tx) => {
      const booking = await cancelBooking(tx, sealer, caller, params.id, new Date())
      await logDescriptionRead(tx, caller.id, [booking.id], 'member.cancel')
      return { booking }
    }),
  )

  handle(app, routes.rateLegalBooking, {}, async ({ caller, params, body }) =>
    db().transaction(async (tx) => {
      const booking = await rateBooking(tx, sealer, caller, params.id, body, new Date())
      await logDescriptionRead(tx, caller.id, [booking.id], 'member.rating')
      return { booking }
    }),
  )

  handle(app, routes.lawyerBookings, lawyerRoles, async ({ caller, query }) => {
    const date = query.date ?? shanghaiDate(new Date())
    const [from, to] = shanghaiDayBounds(date)
    return db().transaction(async (tx) => {
      const lawyerId = await callerLawyerId(tx, caller)
      return { date, bookings: await lawyerDay(tx, sealer, caller, lawyerId, from, to) }
    })
  })

  handle(app, routes.lawyerBookingOutcome, lawyerRoles, async ({ caller, params, body }) =>
    db().transaction(async (tx) => {
      const lawyerId = await callerLawyerId(tx, caller)
      return {
        booking: await recordOutcome(tx, sealer, caller, lawyerId, params.id, body, new Date()),
      }
    }),
  )

  handle(app, routes.staffLegalLawyers, staffRoles, async () => ({
    lawyers: await staffLawyers(db()),
  }))

  handle(app, routes.createLegalLawyer, staffRoles, async ({ caller, body, tx }) => ({
    lawyer: await createLawyer(tx, caller, body),
  }))

  handle(app, routes.staffLegalServicePoints, staffRoles, async ({ caller }) => ({
    servicePoints: await servicePointsOf(db(), await staffScope(db(), caller), true),
  }))

  handle(app, routes.createLegalServicePoint, staffRoles, async ({ caller, body, tx }) => ({
    servicePoint: await createServicePoint(tx, caller, body),
  }))

  handle(app, routes.staffLegalAvailability, staffRoles, async ({ caller }) => ({
    rules: await staffRules(db(), await staffScope(db(), caller)),
  }))

  handle(app, routes.createLegalAvailability, staffRoles, async ({ caller, body, tx }) => ({
    rule: await createRule(tx, caller, body),
  }))

  handle(app, routes.staffLegalClosures, staffRoles, async ({ caller }) => ({
    closures: await staffClosures(db(), await staffScope(db(), caller)),
  }))

  handle(app, routes.createLegalClosure, staffRoles, async ({ caller, body, tx }) => ({
    closure: await createClosure(tx, caller, body),
  }))

  handle(app, routes.staffLegalBookings, staffRoles, async ({ caller, query }) => {
    const [from, to] = query.date ? shanghaiDayBounds(query.date) : [undefined, undefined]
    return staffBookings(db(), await staffScope(db(), caller), {
      from,
      to,
      servicePointId: query.servicePointId,
    })
  })

  handle(app, routes.lawyerBookingNotes, lawyerRoles, async ({ caller, params, body }) =>
    db().transaction(async (tx) => {
      const lawyerId = await callerLawyerId(tx, caller)
      return {
        booking: await saveNotes(tx, sealer, caller, lawyerId, params.id, body.notes, new Date()),
      }
    }),
  )

  // Staff edits and retirements (operations.ts): each in its transaction, audit-logged.
  handle(app, routes.patchLegalLawyer, staffRoles, async ({ caller, params, body }) => ({
    lawyer: await db().transaction((tx) => patchLawyer(tx, caller, params.id, body)),
  }))
  handle(app, routes.retireLegalLawyer, staffRoles, async ({ caller, params }) => ({
    lawyer: await db().transaction((tx) => retireLawyer(tx, caller, params.id, new Date())),
  }))
  handle(app, routes.patchLegalServicePoint, staffRoles, async ({ caller, params, body }) => ({
    servicePoint: await db().transaction((tx) => patchServicePoint(tx, caller, params.id, body)),
  }))
  handle(app, routes.retireLegalServicePoint, staffRoles, async ({ caller, params }) => ({
    servicePoint: await db().transaction((tx) =>
      retireServicePoint(tx, caller, params.id, new Date()),
    ),
  }))
  handle(app, routes.patchLegalAvailability, staffRoles, async ({ caller, params, body }) => ({
    rule: await db().transaction((tx) => patchRule(tx, caller, params.id, body, new Date())),
  }))
  handle(app, routes.retireLegalAvailability, staffRoles, async ({ caller, params }) => ({
    rule: await db().transaction((tx) => retireRule(tx, caller, params.id, new Date())),
  }))
  handle(app, routes.patchLegalClosure, staffRoles, async ({ caller, params, body }) => ({
    closure: await db().transaction((tx) => patchClosure(tx, caller, params.id, body, new Date())),
  }))
  handle(app, routes.retireLegalClosure, staffRoles, async ({ caller, params }) => ({
    closure: await db().transaction((tx) => retireClosure(tx, caller, params.id, new Date())),
  }))
}
