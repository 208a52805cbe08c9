import { Readable } from 'node:stream'
import { eq, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { routes } from '../../../src/contract/routes'
import { coolingPacks, coolingSites, unions } from '../../db/schema'
import { pgConstraint, pgErrorCode } from '../../db/sql'
import { audit } from '../../lib/audit'
import { AppError } from '../../lib/errors'
import { Accepted, handle } from '../../lib/route'
import { XLSX_TYPE } from '../../lib/xlsx'
import { staffScope, subtreeIds } from '../org/union-tree'
import {
  campaignForStaff,
  closeCampaign,
  createCampaign,
  isClosed,
  memberCampaigns,
  staffCampaigns,
  type CampaignHead,
} from './campaigns'
import { campaignCloseView } from './close'
import { attachmentDisposition } from './csv'
import { packingList, packingListCsv, packingListXlsx } from './packing-list'
import { findPackById, memberPack, receivePack, savePack, shipPacks } from './packs'
import { createSite, patchSite, sitesOf, unionSites } from './sites'

const staffRoles = { roles: ['staff', 'admin'] as Array<'staff' | 'admin'> }

function assertShippable(c: CampaignHead, now: Date) {
  if (!isClosed(c, now)) {
    throw new AppError('CAMPAIGN_NOT_CLOSED')
  }
}

/** The database's backstop for stock (`CHECK stock_left >= 0`) reads as out of stock. */
function translatePackError(err: unknown): unknown {
  if (pgErrorCode(err) === '23514' && pgConstraint(err) === 'cooling_items_stock_left_range') {
    return new AppError('OUT_OF_STOCK')
  }
  return err
}

export async function coolingRoutes(app: FastifyInstance) {
  const db = () => app.db.db
  // A close that started a job kicks the queue once its answer (and so its transaction) is out.
  const startsJob = new WeakSet<object>()
  app.addHook('onResponse', async (req) => {
    if (startsJob.has(req)) void app.jobQueue.kick()
  })

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

  handle(app, routes.createCoolingCampaign, staffRoles, async ({ caller, body, tx }) => ({
    campaign: await createCampaign(tx, caller, body, new Date()),
  }))

  handle(app, routes.closeCoolingCampaign, staffRoles, async ({ caller, params, req }) => {
    await campaignForStaff(db(), caller, params.id)
    const outcome = await closeCampaign(db(), app.jobQueue, {
      campaignId: params.id,
      actorId: caller.id,
      now: new Date(),
    })
    if (outcome.kind === 'done') return outcome.response
    if (outcome.started) startsJob.add(req)
    return new Accepted({ close: outcome.close })
  })

  handle(app, routes.coolingCampaignClose, staffRoles, async ({ caller, params }) => {
    await campaignForStaff(db(), caller, params.id)
    return { close: await campaignCloseView(db(), params.id) }
  })

  handle(
    app,
    routes.coolingPackingList,
    staffRoles,
    async ({ caller, params, query, req, reply }) => {
      const c = await campaignForStaff(db(), caller, params.id)
      const [union] = await db()
        .select({ name: unions.name })
        .from(unions)
        .where(eq(unions.id, c.unionId))
      const campaign = {
        id: c.id,
        title: c.title,
        unionName: union?.name ?? '',
        closedAt: c.closedAt,
        closeDoneAt: c.closeDoneAt,
      }
      reply.header('vary', 'Accept')
      const accept = req.headers.accept ?? ''
      const format =
        query.format ??
        (/\btext\/csv\b/i.test(accept)
          ? 'csv'
          : accept.toLowerCase().includes(XLSX_TYPE)
            ? 'xlsx'
            : 'json')
      if (format === 'xlsx') {
        const body = await packingListXlsx(db(), campaign, query.site)
        body.on('error', (err) =>
          req.log.error({ err, campaign: c.id }, 'packing list xlsx failed'),
        )
        reply
          .header('content-type', XLSX_TYPE)
          .header(
            'content-disposition',
            attachmentDisposition(`cooling-packing-list-${c.id}.xlsx`, `${c.title}-装箱单.xlsx`),
          )
          .header('cache-control', 'no-store')
        return body as never
      }
      if (format !== 'csv') {
        return packingList(db(), campaign, {
          site: query.site,
          cursor: query.cursor,
          limit: query.limit,
        })
      }
      const body = Readable.from(packingListCsv(db(), campaign, query.site), {
        objectMode: false,
      })
      body.on('error', (err) => req.log.error({ err, campaign: c.id }, 'packing list CSV failed'))
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          attachmentDisposition(`cooling-packing-list-${c.id}.csv`, `${c.title}-装箱单.csv`),
        )
        .header('cache-control', 'no-store')
      // A stream goes out as it is, page by page, past the JSON serializer.
      return body as never
    },
  )

  handle(app, routes.shipCoolingPack, staffRoles, async ({ caller, params }) => {
    const now = new Date()
    return db().transaction(async (tx) => {
      const [found] = await tx
        .select({ campaignId: coolingPacks.campaignId })
        .from(coolingPacks)
        .where(eq(coolingPacks.id, params.id))
      if (!found) throw new AppError('NOT_FOUND', '礼包不存在')
      const c = await campaignForStaff(tx, caller, found.campaignId)
      assertShippable(c, now)
      const moved = await shipPacks(tx, sql`p.id = ${params.id}`, caller.id, now)
      const pack = await findPackById(tx, params.id)
      if (!pack) throw new AppError('INTERNAL')
      if (moved.length === 0) {
        throw new AppError(
          'PACK_ALREADY_SHIPPED',
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
        const [site] = await tx
          .select({ id: coolingSites.id })
          .from(coolingSites)
          .where(eq(coolingSites.id, params.siteId))
        if (!site) throw new AppError('NOT_FOUND', '收货地点不存在')
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

  handle(app, routes.createCoolingSite, staffRoles, async ({ caller, body, tx }) => ({
    site: await createSite(tx, caller, body),
  }))

  handle(app, routes.patchCoolingSite, staffRoles, async ({ caller, params, body }) => ({
    site: await db().transaction((tx) => patchSite(tx, caller, params.id, body)),
  }))
}
