import type { FastifyInstance } from 'fastify'
import type { MemberBookingResponse } from '../../../src/contract/legal'
import { routes } from '../../../src/contract/routes'
import type { Tx } from '../../db/client'
import { AppError } from '../../lib/errors'
import { checkKey, claimKey, storeResponse } from '../../lib/idempotency'
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
  staffRules,
  topics,
} from './catalogue'
import { openStoredBooking, sealLegacyBookings, sealStoredBooking } from './confidential'
import { daysBetween, shanghaiDayBounds, shanghaiDate } from './slots'

const staffRoles = { roles: ['staff', 'admin'] as Array<'staff' | 'admin'> }
const lawyerRoles = { roles: ['lawyer'] as Array<'lawyer'> }

/** The longest range of days one slots query may ask for. */
export const MAX_SLOT_RANGE_DAYS = 31

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

  /** A staff create: an `Idempotency-Key` is optional; with one, a retry replays the answer. */
  function staffCreate<T>(
    caller: Caller,
    key: string | undefined,
    route: string,
    body: unknown,
    create: (tx: Tx) => Promise<T>,
  ): Promise<T> {
    const checked = checkKey(key, false)
    return db().transaction(async (tx) => {
      if (checked) {
        const prior = await claimKey<T>(tx, caller.id, checked, route, body)
        if (prior.replayed) return prior.response
      }
      const response = await create(tx)
      if (checked) await storeResponse(tx, caller.id, checked, 201, response)
      return response
    })
  }

  handle(app, routes.legalTopics, {}, async () => ({ topics: await topics(db()) }))

  handle(app, routes.legalLawyers, {}, async () => ({ lawyers: await lawyers(db()) }))

  handle(app, routes.legalServicePoints, {}, async ({ caller }) => ({
    servicePoints: await servicePointsOf(db(), await ancestorIds(db(), caller.unionId)),
  }))

  handle(app, routes.legalSlots, {}, async ({ caller, query }) => {
    const days = daysBetween(query.from, query.to)
    if (days < 0) throw new AppError('BAD_REQUEST', 400, '结束日期不能早于开始日期')
    if (days > MAX_SLOT_RANGE_DAYS) throw new AppError('RANGE_TOO_LONG', 400)
    const visible = await ancestorIds(db(), caller.unionId)
    return { slots: await listSlots(db(), visible, query, new Date()) }
  })

  handle(app, routes.createLegalBooking, {}, async ({ caller, body, idempotencyKey }) => {
    const key = checkKey(idempotencyKey, true) as string
    return db().transaction(async (tx) => {
      // The key first: a retry waits here for the first request and replays its answer.
      const prior = await claimKey<MemberBookingResponse>(
        tx,
        caller.id,
        key,
        'createLegalBooking',
        body,
      )
      // The kept answer holds the description and the phone sealed, never in plain text.
      if (prior.replayed) return openStoredBooking(sealer, caller.id, prior.response)
      const booking = await bookSlot(tx, sealer, caller, body, new Date())
      await logDescriptionRead(tx, caller.id, [booking.id], 'member.create')
      const response = { booking }
      await storeResponse(tx, caller.id, key, 201, sealStoredBooking(sealer, caller.id, response))
      return response
    })
  })

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

  handle(app, routes.staffLegalLawyers, staffRoles, async () => ({ lawyers: await lawyers(db()) }))

  handle(app, routes.createLegalLawyer, staffRoles, async ({ caller, body, idempotencyKey }) =>
    staffCreate(caller, idempotencyKey, 'createLegalLawyer', body, async (tx) => ({
      lawyer: await createLawyer(tx, caller, body),
    })),
  )

  handle(app, routes.staffLegalServicePoints, staffRoles, async ({ caller }) => ({
    servicePoints: await servicePointsOf(db(), await staffScope(db(), caller)),
  }))

  handle(
    app,
    routes.createLegalServicePoint,
    staffRoles,
    async ({ caller, body, idempotencyKey }) =>
      staffCreate(caller, idempotencyKey, 'createLegalServicePoint', body, async (tx) => ({
        servicePoint: await createServicePoint(tx, caller, body),
      })),
  )

  handle(app, routes.staffLegalAvailability, staffRoles, async ({ caller }) => ({
    rules: await staffRules(db(), await staffScope(db(), caller)),
  }))

  handle(
    app,
    routes.createLegalAvailability,
    staffRoles,
    async ({ caller, body, idempotencyKey }) =>
      staffCreate(caller, idempotencyKey, 'createLegalAvailability', body, async (tx) => ({
        rule: await createRule(tx, caller, body),
      })),
  )

  handle(app, routes.staffLegalClosures, staffRoles, async ({ caller }) => ({
    closures: await staffClosures(db(), await staffScope(db(), caller)),
  }))

  handle(app, routes.createLegalClosure, staffRoles, async ({ caller, body, idempotencyKey }) =>
    staffCreate(caller, idempotencyKey, 'createLegalClosure', body, async (tx) => ({
      closure: await createClosure(tx, caller, body),
    })),
  )

  handle(app, routes.staffLegalBookings, staffRoles, async ({ caller, query }) => {
    const [from, to] = query.date ? shanghaiDayBounds(query.date) : [undefined, undefined]
    return staffBookings(db(), await staffScope(db(), caller), {
      from,
      to,
      servicePointId: query.servicePointId,
    })
  })
}
