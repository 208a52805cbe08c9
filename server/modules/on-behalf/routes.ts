import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { Role } from '../../../src/contract/auth'
import { routes } from '../../../src/contract/routes'
import type { Tx } from '../../db/client'
import { first, pgConstraint, pgErrorCode } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'
import { handle, type Caller } from '../../lib/route'
import { memberCampaigns } from '../cooling/campaigns'
import { savePack } from '../cooling/packs'
import { unionSites } from '../cooling/sites'
import { isDuplicateSignup, signUp } from '../events/registrations'
import { memberEvents, staffRegistrations } from '../events/views'
import { bookSlot, staffBookingById } from '../legal/bookings'
import { lawyers, listSlots, servicePointsOf, topics } from '../legal/catalogue'
import { memberItems } from '../mall/items'
import { redeemItemByStaff } from '../mall/redeem'
import { ancestorIds, mayActOnUnion } from '../org/union-tree'

const staffRoles = { roles: ['staff', 'admin'] as Array<'staff' | 'admin'> }

/**
 * The member staff act for, as the member's own routes see their caller. 404 when there is no such
 * member, 403 when the member belongs to a union outside the caller's (admins: anywhere); staff
 * do not act for themselves (their own pages do that).
 */
async function memberToActFor(tx: Tx, caller: Caller, memberId: number): Promise<Caller> {
  const m = await first<{
    id: number
    member_no: string
    name: string
    union_id: number
    union_name: string
    roles: Role[]
    staff_union_id: number | null
  }>(
    tx,
    sql`SELECT m.id, m.member_no, m.name, m.union_id, u.name AS union_name, m.roles,
               m.staff_union_id
        FROM members m JOIN unions u ON u.id = m.union_id WHERE m.id = ${memberId}`,
  )
  if (!m) throw new AppError('NOT_FOUND', '会员不存在，请核对后重新查找')
  if (!(await mayActOnUnion(tx, caller, m.union_id))) {
    throw new AppError('FORBIDDEN', '只能为本工会及下级工会的会员代办')
  }
  if (m.id === caller.id) {
    throw new AppError('BAD_REQUEST', '不能为自己代办：请在首页的服务中自己办理')
  }
  return {
    id: m.id,
    memberNo: m.member_no,
    name: m.name,
    unionId: m.union_id,
    unionName: m.union_name,
    roles: m.roles,
    staffUnionId: m.staff_union_id,
  }
}

/** The database's backstop for stock (`CHECK stock_left >= 0`) reads as out of stock. */
function translatePackError(err: unknown): unknown {
  if (pgErrorCode(err) === '23514' && pgConstraint(err) === 'cooling_items_stock_left_range') {
    return new AppError('OUT_OF_STOCK')
  }
  return err
}

/**
 * 代办: union staff act for a member, through the member's own functions (the same rules, errors
 * and locks), recording who acted on the row and in the audit log.
 */
export async function onBehalfRoutes(app: FastifyInstance) {
  const db = () => app.db.db
  const sealer = app.sealer

  handle(app, routes.staffOnBehalf, staffRoles, async ({ caller, params }) => {
    const member = await memberToActFor(db(), caller, params.id)
    const now = new Date()
    return {
      member: {
        id: member.id,
        memberNo: member.memberNo,
        name: member.name,
        unionId: member.unionId,
        unionName: member.unionName,
      },
      events: await memberEvents(db(), member, now),
      campaigns: await memberCampaigns(db(), member, now),
      sites: await unionSites(db(), member.unionId),
      items: await memberItems(db(), member.id, member.unionId, now),
      topics: await topics(db()),
      lawyers: await lawyers(db()),
      servicePoints: await servicePointsOf(db(), await ancestorIds(db(), member.unionId)),
    }
  })

  handle(app, routes.staffMemberLegalSlots, staffRoles, async ({ caller, params, query }) => {
    const member = await memberToActFor(db(), caller, params.id)
    return { slots: await listSlots(db(), member.unionId, query, new Date()) }
  })

  handle(app, routes.staffSignup, staffRoles, async ({ caller, params, body, tx }) => {
    const member = await memberToActFor(tx, caller, body.memberId)
    try {
      const registration = await signUp(tx, {
        eventId: params.id,
        memberId: member.id,
        unionId: member.unionId,
        profile: body.profile,
        actedBy: caller.id,
      })
      await audit(tx, {
        actorId: caller.id,
        action: 'event_registration.create_on_behalf',
        entity: 'event_registration',
        entityId: registration.id,
        after: { eventId: params.id, memberId: member.id, status: registration.status },
      })
      const [view] = await staffRegistrations(tx, params.id, sql`r.id = ${registration.id}`)
      if (!view) throw new AppError('INTERNAL')
      return { registration: view }
    } catch (err) {
      if (isDuplicateSignup(err)) throw new AppError('ALREADY_SIGNED_UP')
      throw err
    }
  })

  handle(app, routes.staffSaveCoolingPack, staffRoles, async ({ caller, params, body }) => {
    try {
      const pack = await db().transaction(async (tx) => {
        const member = await memberToActFor(tx, caller, params.memberId)
        const saved = await savePack(tx, {
          campaignId: params.id,
          member,
          items: body.items,
          delivery: body.delivery,
          now: new Date(),
          actedBy: caller.id,
        })
        // What was chosen and where it goes; never the recipient's phone.
        await audit(tx, {
          actorId: caller.id,
          action: 'cooling_pack.save_on_behalf',
          entity: 'cooling_pack',
          entityId: saved.id,
          after: {
            campaignId: params.id,
            memberId: member.id,
            items: saved.items.map((l) => ({ itemId: l.itemId, quantity: l.quantity })),
            delivery: saved.delivery.kind,
            siteId: saved.delivery.kind === 'site' ? saved.delivery.siteId : null,
          },
        })
        return saved
      })
      return { pack }
    } catch (err) {
      throw translatePackError(err)
    }
  })

  // The helper claims the staff member's key first (a retry replays the first answer, which holds
  // neither the description nor the phone); bookSlot takes the member's locks and seals the
  // description as the member's own — readable by the member and the lawyer only.
  handle(app, routes.staffCreateLegalBooking, staffRoles, async ({ caller, body, tx }) => {
    const { memberId, ...booking } = body
    const member = await memberToActFor(tx, caller, memberId)
    const made = await bookSlot(tx, sealer, member, booking, new Date(), caller.id)
    await audit(tx, {
      actorId: caller.id,
      action: 'legal_booking.create_on_behalf',
      entity: 'legal_booking',
      entityId: made.id,
      after: { memberId: member.id, slotId: made.slotId, topicId: made.topicId },
    })
    return { booking: await staffBookingById(tx, made.id) }
  })

  // One call of a database function, as the member's own redemption: it claims the staff
  // member's key, redeems for the member, records who acted and writes the audit row.
  handle(
    app,
    routes.staffCreateOrder,
    { ...staffRoles, ownIdempotency: true },
    async ({ caller, body, idempotencyKey }) => {
      const member = await memberToActFor(db(), caller, body.memberId)
      return redeemItemByStaff(app.db, {
        staffId: caller.id,
        memberId: member.id,
        unionId: member.unionId,
        itemId: body.itemId,
        quantity: body.quantity,
        // The contract requires the key: the helper refused a request without one.
        idempotencyKey: idempotencyKey as string,
      })
    },
  )
}
