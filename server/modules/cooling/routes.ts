import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { CoolingSiteResponse, StaffCampaignResponse } from '../../../src/contract/cooling'
import { routes } from '../../../src/contract/routes'
import { first, pgConstraint, pgErrorCode } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'
import { checkKey, claimKey, storeResponse } from '../../lib/idempotency'
import { handle } from '../../lib/route'
import { staffScope, subtreeIds } from '../org/union-tree'
import {
  campaignForStaff,
  closeCampaign,
  closeDueCampaigns,
  createCampaign,
  isClosed,
  memberCampaigns,
  staffCampaigns,
  type CampaignHead,
} from './campaigns'
import { attachmentDisposition } from './csv'
import { packingList, packingListCsv } from './packing-list'
import { findPackById, memberPack, receivePack, savePack, shipPacks } from './packs'
import { createSite, sitesOf, unionSites } from './sites'

const staffRoles = { roles: ['staff', 'admin'] as Array<'staff' | 'admin'> }

function assertShippable(c: CampaignHead, now: Date) {
  if (!isClosed(c, now)) {
    throw new AppError('CAMPAIGN_NOT_CLOSED', 409)
  }
}

/** The database's backstop for stock (`CHECK stock_left >= 0`) reads as out of stock. */
function translatePackError(err: unknown): unknown {
  if (pgErrorCode(err) === '23514' && pgConstraint(err) === 'cooling_items_stock_left_range') {
    return new AppError('OUT_OF_STOCK', 409)
  }
  return err
}

export async function coolingRoutes(app: FastifyInstance) {
  const db = () => app.db.db

  handle(app, routes.coolingCampaigns, {}, async ({ caller }) => ({
    campaigns: await memberCampaigns(db(), caller, new Date()),
  }))

  handle(app, routes.coolingSites, {}, async ({ caller }) => ({
    sites: await unionSites(db(), caller.unionId),
  }))

  handle(app, routes.coolingPack, {}, async ({ caller, params }) => ({
    pack: await memberPack(db(), caller, params.id),
  }))

  handle(app, routes.saveCoolingPack, {}, async ({ caller, params, body }) => {
    try {
      const pack = await db().transaction((tx) =>
        savePack(tx, {
          campaignId: params.id,
          member: caller,
          items: body.items,
          delivery: body.delivery,
          now: new Date(),
        }),
      )
      return { pack }
    } catch (err) {
      throw translatePackError(err)
    }
  })

  handle(app, routes.receiveCoolingPack, {}, async ({ caller, params }) => ({
    pack: await db().transaction((tx) => receivePack(tx, caller.id, params.id, new Date())),
  }))

  handle(app, routes.staffCoolingCampaigns, staffRoles, async ({ caller }) => ({
    campaigns: await staffCampaigns(db(), await staffScope(db(), caller), new Date()),
  }))

  handle(
    app,
    routes.createCoolingCampaign,
    staffRoles,
    async ({ caller, body, idempotencyKey }) => {
      const key = checkKey(idempotencyKey, false)
      return db().transaction(async (tx) => {
        if (key) {
          const prior = await claimKey<StaffCampaignResponse>(
            tx,
            caller.id,
            key,
            'createCoolingCampaign',
            body,
          )
          if (prior.replayed) return prior.response
        }
        const response = { campaign: await createCampaign(tx, caller, body, new Date()) }
        if (key) await storeResponse(tx, caller.id, key, 201, response)
        return response
      })
    },
  )

  handle(app, routes.closeCoolingCampaign, staffRoles, async ({ caller, params }) => {
    await campaignForStaff(db(), caller, params.id)
    return closeCampaign(db(), { campaignId: params.id, actorId: caller.id, now: new Date() })
  })

  handle(
    app,
    routes.coolingPackingList,
    staffRoles,
    async ({ caller, params, query, req, reply }) => {
      const c = await campaignForStaff(db(), caller, params.id)
      const union = await first<{ name: string }>(
        db(),
        sql`SELECT name FROM unions WHERE id = ${c.union_id}`,
      )
      const now = new Date()
      const list = await packingList(
        db(),
        { id: c.id, title: c.title, unionName: union?.name ?? '', closed_at: c.closed_at },
        now,
        new Date(c.closes_at),
      )
      reply.header('vary', 'Accept')
      const wantsCsv =
        query.format === 'csv' ||
        (query.format === undefined && /\btext\/csv\b/i.test(req.headers.accept ?? ''))
      if (!wantsCsv) return list
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          attachmentDisposition(`cooling-packing-list-${c.id}.csv`, `${c.title}-装箱单.csv`),
        )
        .header('cache-control', 'no-store')
      // A string with a non-JSON content type goes out as it is, past the JSON serializer.
      return packingListCsv(list) as never
    },
  )

  handle(app, routes.shipCoolingPack, staffRoles, async ({ caller, params }) => {
    const now = new Date()
    return db().transaction(async (tx) => {
      const found = await first<{ campaign_id: number }>(
        tx,
        sql`SELECT campaign_id FROM cooling_packs WHERE id = ${params.id}`,
      )
      if (!found) throw new AppError('NOT_FOUND', 404, '礼包不存在')
      const c = await campaignForStaff(tx, caller, found.campaign_id)
      assertShippable(c, now)
      const moved = await shipPacks(tx, sql`p.id = ${params.id}`, caller.id, now)
      const pack = await findPackById(tx, params.id)
      if (!pack) throw new AppError('INTERNAL', 500)
      if (moved.length === 0) {
        throw new AppError(
          'PACK_ALREADY_SHIPPED',
          409,
          pack.status === 'received' ? '该礼包已签收' : '该礼包已发货',
        )
      }
      await audit(tx, {
        actorId: caller.id,
        action: 'cooling_pack.ship',
        entity: 'cooling_pack',
        entityId: params.id,
        before: { status: 'submitted' },
        after: { status: 'shipped' },
      })
      const { memberId: _memberId, ...view } = pack
      return { pack: view }
    })
  })

  handle(app, routes.shipCoolingGroup, staffRoles, async ({ caller, params }) => {
    const now = new Date()
    return db().transaction(async (tx) => {
      const c = await campaignForStaff(tx, caller, params.id)
      assertShippable(c, now)
      let where
      if (params.siteId === 'pickup') {
        where = sql`p.campaign_id = ${c.id} AND p.site_id IS NULL`
      } else {
        const site = await first<{ id: number }>(
          tx,
          sql`SELECT id FROM cooling_sites WHERE id = ${params.siteId}`,
        )
        if (!site) throw new AppError('NOT_FOUND', 404, '收货地点不存在')
        where = sql`p.campaign_id = ${c.id} AND p.site_id = ${params.siteId}`
      }
      const moved = await shipPacks(tx, where, caller.id, now)
      if (moved.length > 0) {
        await audit(tx, {
          actorId: caller.id,
          action: 'cooling_pack.ship_group',
          entity: 'cooling_campaign',
          entityId: c.id,
          after: { siteId: params.siteId, shipped: moved.length, packIds: moved },
        })
      }
      return { shipped: moved.length }
    })
  })

  handle(app, routes.staffCoolingSites, staffRoles, async ({ caller, query }) => {
    let scope = await staffScope(db(), caller)
    if (query.unionId !== undefined) {
      const wanted = new Set(await subtreeIds(db(), query.unionId))
      scope = scope.filter((id) => wanted.has(id))
    }
    return { sites: await sitesOf(db(), scope) }
  })

  handle(app, routes.createCoolingSite, staffRoles, async ({ caller, body, idempotencyKey }) => {
    const key = checkKey(idempotencyKey, false)
    return db().transaction(async (tx) => {
      if (key) {
        const prior = await claimKey<CoolingSiteResponse>(
          tx,
          caller.id,
          key,
          'createCoolingSite',
          body,
        )
        if (prior.replayed) return prior.response
      }
      const response = { site: await createSite(tx, caller, body) }
      if (key) await storeResponse(tx, caller.id, key, 201, response)
      return response
    })
  })

  scheduleCoolingClose(app, app.config.expiryJobIntervalMs)
}

/**
 * Closes campaigns past their closing time when the server is ready and then every
 * `intervalMs` (0: never), so default packs appear even if no staff member closes one.
 */
function scheduleCoolingClose(app: FastifyInstance, intervalMs: number): void {
  if (intervalMs <= 0) return
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | null = null
  const tick = (): Promise<void> => {
    running ??= closeDueCampaigns(app.db.db, new Date())
      .then((n) => {
        if (n > 0) app.log.info({ campaigns: n }, 'cooling campaigns closed')
      })
      .catch((err: unknown) => app.log.error({ err }, 'closing cooling campaigns failed'))
      .finally(() => {
        running = null
      })
    return running
  }
  app.addHook('onReady', async () => {
    await tick()
    timer = setInterval(() => void tick(), intervalMs)
    timer.unref()
  })
  app.addHook('onClose', async () => {
    clearInterval(timer)
    await running
  })
}
