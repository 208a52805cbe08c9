import { z } from 'zod'
import { id, idParams, idText, isoDateTime } from './common'
import { route } from './route-def'

/**
 * 夏送清凉 · 清凉大礼包私人定制: each member composes one pack per campaign within a quota and
 * chooses where it goes; staff close the campaign (the default pack for everyone who did not
 * choose), print the packing list per site and mark packs shipped; the member confirms receipt.
 */

const count = z.number().int().nonnegative()
const positive = z.number().int().positive()

/** `upcoming` before `opensAt`; `open` until `closesAt` (or until staff close it early); then `closed`. */
export const campaignStatuses = ['upcoming', 'open', 'closed'] as const
export const campaignStatus = z.enum(campaignStatuses)
export type CampaignStatus = z.infer<typeof campaignStatus>

/** Forward only: `submitted` → `shipped` (staff) → `received` (the member confirms). */
export const packStatuses = ['submitted', 'shipped', 'received'] as const
export const packStatus = z.enum(packStatuses)
export type PackStatus = z.infer<typeof packStatus>

/** A mainland mobile number: 11 digits starting with 13–19. */
export const mobilePhone = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, '请填写正确的 11 位手机号码（1 开头，第二位 3–9）')

export const recipientName = z
  .string()
  .trim()
  .min(1, '请填写收件人姓名')
  .max(20, '收件人姓名最多 20 个字')

/** One supply of a campaign, as members see it. */
export const coolingItem = z.object({
  id,
  name: z.string(),
  imageUrl: z.string().nullable(),
  /** Quota units one piece uses up. */
  quotaCost: count,
  /** At most this many of the item in one pack. */
  maxPerPack: positive,
  stockLeft: count,
  /** How many of it the default pack holds (0: not in it). */
  defaultQuantity: count,
})
export type CoolingItem = z.infer<typeof coolingItem>

/** A campaign as its members see it. */
export const coolingCampaign = z.object({
  id,
  unionId: id,
  unionName: z.string(),
  title: z.string(),
  opensAt: isoDateTime,
  closesAt: isoDateTime,
  /** Quota units per member. */
  quota: positive,
  /** "Pick up to N items": the pieces of a pack add up to at most this (null: no such limit). */
  maxItems: positive.nullable(),
  status: campaignStatus,
  /** When staff closed it (default packs were handed out then); null until then. */
  closedAt: isoDateTime.nullable(),
  items: z.array(coolingItem),
  /** The status of the caller's own pack, null when they have none. */
  packStatus: packStatus.nullable(),
})
export type CoolingCampaign = z.infer<typeof coolingCampaign>

/** Campaigns of the caller's union and its ancestors, open ones first. */
export const coolingCampaignsResponse = z.object({ campaigns: z.array(coolingCampaign) })
export type CoolingCampaignsResponse = z.infer<typeof coolingCampaignsResponse>

/** A place packs are shipped to: a work site of one enterprise union. */
export const coolingSite = z.object({
  id,
  unionId: id,
  unionName: z.string(),
  name: z.string(),
  address: z.string(),
  /** Who receives the packs at the site (the site contact); null when none is named. */
  recipient: z.string().nullable(),
})
export type CoolingSite = z.infer<typeof coolingSite>

export const coolingSitesResponse = z.object({ sites: z.array(coolingSite) })
export type CoolingSitesResponse = z.infer<typeof coolingSitesResponse>

export const coolingSiteResponse = z.object({ site: coolingSite })
export type CoolingSiteResponse = z.infer<typeof coolingSiteResponse>

/** Where a pack goes: picked up at the union, or shipped to a site of the member's enterprise. */
export const deliveryInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pickup') }).strict(),
  z
    .object({ kind: z.literal('site'), siteId: id, recipient: recipientName, phone: mobilePhone })
    .strict(),
])
export type DeliveryInput = z.infer<typeof deliveryInput>

export const delivery = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pickup') }),
  z.object({
    kind: z.literal('site'),
    siteId: id,
    siteName: z.string(),
    address: z.string(),
    recipient: z.string(),
    phone: z.string(),
  }),
])
export type Delivery = z.infer<typeof delivery>

export const packLine = z.object({
  itemId: id,
  name: z.string(),
  quotaCost: count,
  quantity: positive,
})
export type PackLine = z.infer<typeof packLine>

/** A member's pack. `isDefault`: handed out at closing to a member who had not chosen. */
export const coolingPack = z.object({
  id,
  campaignId: id,
  items: z.array(packLine),
  quotaUsed: count,
  delivery,
  status: packStatus,
  isDefault: z.boolean(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  shippedAt: isoDateTime.nullable(),
  receivedAt: isoDateTime.nullable(),
  /** Done for the member by union staff (代办): the app says 由工会工作人员代办. */
  actedByStaff: z.boolean().optional(),
})
export type CoolingPack = z.infer<typeof coolingPack>

export const coolingPackResponse = z.object({ pack: coolingPack })
export type CoolingPackResponse = z.infer<typeof coolingPackResponse>

/** `{pack: null}` when the caller has not submitted one. */
export const maybePackResponse = z.object({ pack: coolingPack.nullable() })
export type MaybePackResponse = z.infer<typeof maybePackResponse>

/**
 * The pack as chosen: each item once; lines with quantity 0 are ignored. The server checks the
 * quota (422 `OVER_QUOTA`), the per-item maximum (422 `OVER_ITEM_MAX`), the stock (409
 * `OUT_OF_STOCK`) and that something was chosen (422 `EMPTY_PACK`).
 */
export const savePackBody = z
  .object({
    items: z
      .array(
        z
          .object({
            itemId: id,
            quantity: z.number().int('数量须为整数').min(0, '数量不能为负数').max(99, '数量太多'),
          })
          .strict(),
      )
      .max(50, '物品种类太多')
      .refine((lines) => new Set(lines.map((l) => l.itemId)).size === lines.length, {
        message: '同一物品请只填写一次',
      }),
    delivery: deliveryInput,
  })
  .strict()
export type SavePackBody = z.infer<typeof savePackBody>

// Staff

const title = z.string().trim().min(1, '请填写活动名称').max(60, '活动名称最多 60 个字')
const itemName = z.string().trim().min(1, '请填写物品名称').max(40, '物品名称最多 40 个字')
const imageUrl = z
  .string()
  .trim()
  .max(500, '图片地址太长')
  .regex(/^(https?:\/\/|\/)\S+$/, '图片地址应为 http(s):// 开头的网址或 / 开头的路径')

export const createCampaignBody = z
  .object({
    unionId: id,
    title,
    opensAt: isoDateTime,
    closesAt: isoDateTime,
    quota: z.number().int('额度须为整数').min(1, '每人额度至少为 1').max(100_000, '额度太大'),
    maxItems: z
      .number()
      .int('件数上限须为整数')
      .min(1, '件数上限至少为 1')
      .max(999, '件数上限最多 999')
      .optional(),
    items: z
      .array(
        z
          .object({
            name: itemName,
            imageUrl: imageUrl.optional(),
            quotaCost: z
              .number()
              .int('额度消耗须为整数')
              .min(0, '额度消耗不能为负数')
              .max(100_000, '额度消耗太大'),
            maxPerPack: z
              .number()
              .int('每份上限须为整数')
              .min(1, '每份上限至少为 1')
              .max(99, '每份上限最多 99'),
            stock: z
              .number()
              .int('库存须为整数')
              .min(0, '库存不能为负数')
              .max(1_000_000, '库存最多 1000000'),
          })
          .strict(),
      )
      .min(1, '请至少添加一种物品')
      .max(50, '物品种类最多 50 种'),
    /** The pack of members who do not choose: positions in `items` with quantities. */
    defaultPack: z
      .array(
        z
          .object({
            itemIndex: z.number().int().min(0).max(49, '物品序号超出物品列表'),
            quantity: z.number().int('数量须为整数').min(1, '数量至少为 1').max(99, '数量太多'),
          })
          .strict(),
      )
      .min(1, '请设置默认礼包'),
  })
  .strict()
  .refine((b) => Date.parse(b.closesAt) > Date.parse(b.opensAt), {
    message: '截止时间必须晚于开始时间',
    path: ['closesAt'],
  })
  .refine((b) => b.defaultPack.every((l) => l.itemIndex < b.items.length), {
    message: '默认礼包中的物品序号超出物品列表',
    path: ['defaultPack'],
  })
  .refine((b) => new Set(b.defaultPack.map((l) => l.itemIndex)).size === b.defaultPack.length, {
    message: '默认礼包中同一物品请只填写一次',
    path: ['defaultPack'],
  })
  .refine((b) => new Set(b.items.map((i) => i.name)).size === b.items.length, {
    message: '物品名称不能重复',
    path: ['items'],
  })
export type CreateCampaignBody = z.infer<typeof createCampaignBody>

/** An item as staff see it: with the stock it started with. */
export const staffCoolingItem = coolingItem.extend({ stock: count })
export type StaffCoolingItem = z.infer<typeof staffCoolingItem>

/**
 * Progress of a campaign. `members`: everyone the campaign covers (members of its union's
 * subtree); `chosen` + `default` packs; `notChosen` = members without a pack; `shipped` counts
 * packs shipped so far (received ones included), `received` those confirmed.
 */
export const campaignCounts = z.object({
  members: count,
  chosen: count,
  default: count,
  notChosen: count,
  shipped: count,
  received: count,
})
export type CampaignCounts = z.infer<typeof campaignCounts>

export const staffCoolingCampaign = coolingCampaign.omit({ items: true, packStatus: true }).extend({
  items: z.array(staffCoolingItem),
  counts: campaignCounts,
  /**
   * Its close run: `running` while default packs are handed out in batches (`done` of
   * `total` members so far; closed to pack edits, packing list not final yet).
   */
  close: z.object({
    status: z.enum(['none', 'running', 'done']),
    total: count,
    done: count,
  }),
})
export type StaffCoolingCampaign = z.infer<typeof staffCoolingCampaign>

export const staffCampaignsResponse = z.object({ campaigns: z.array(staffCoolingCampaign) })
export type StaffCampaignsResponse = z.infer<typeof staffCampaignsResponse>

export const staffCampaignResponse = z.object({ campaign: staffCoolingCampaign })
export type StaffCampaignResponse = z.infer<typeof staffCampaignResponse>

export const memberRef = z.object({
  memberId: id,
  memberNo: z.string(),
  name: z.string(),
  unionName: z.string(),
})
export type MemberRef = z.infer<typeof memberRef>

/**
 * Closing hands the default pack to every member without a pack, within stock, in member order;
 * `notCovered` members could not get one because stock ran short. Closing again creates only
 * what is still missing and possible (usually nothing).
 */
export const closeCampaignResponse = z.object({
  defaultPacksCreated: count,
  notCovered: count,
  /** Who is not covered (at most 500 listed), so staff can follow up. */
  notCoveredMembers: z.array(memberRef),
  closedAt: isoDateTime,
  /** It had been closed before this request. */
  alreadyClosed: z.boolean(),
})
export type CloseCampaignResponse = z.infer<typeof closeCampaignResponse>

/** `none`: nobody closed it yet; `running`: default packs are being handed out; then `done`. */
export const closeStatuses = ['none', 'running', 'done', 'failed'] as const

/**
 * A close run of a campaign, handing out default packs in batches: `done` of `total` members
 * without a pack handled so far (`total` is counted when the run starts and grows with members
 * who join meanwhile). Until it is `done` the campaign is closed to pack edits but its packing
 * list is not final.
 */
export const campaignClose = z.object({
  /** The campaign's id. */
  id,
  status: z.enum(closeStatuses),
  total: count,
  done: count,
  defaultPacksCreated: count,
  notCovered: count,
  /** Who is not covered (at most 500 listed) once the run is done. */
  notCoveredMembers: z.array(memberRef),
  closedAt: isoDateTime.nullable(),
  /** Why the run stopped, when it `failed`. */
  error: z.string().nullable(),
})
export type CampaignClose = z.infer<typeof campaignClose>

/** The answer `202` of a close with many members without a pack, and of its progress. */
export const campaignCloseResponse = z.object({ close: campaignClose })
export type CampaignCloseResponse = z.infer<typeof campaignCloseResponse>

/** The site contact: trimmed, ≤ 20 characters; an empty text or null names none. */
const siteRecipient = z
  .string()
  .trim()
  .max(20, '现场收货人最多 20 个字')
  .nullable()
  .transform((v) => (v === null || v === '' ? null : v))

export const createSiteBody = z
  .object({
    unionId: id,
    name: z.string().trim().min(1, '请填写地点名称').max(40, '地点名称最多 40 个字'),
    address: z.string().trim().min(1, '请填写详细地址').max(200, '地址最多 200 个字'),
    recipient: siteRecipient.optional(),
  })
  .strict()
export type CreateSiteBody = z.infer<typeof createSiteBody>

/**
 * A site's new name or address. Packs already shipped keep the name and address they went to;
 * packs not yet shipped go to the new address.
 */
export const patchSiteBody = z
  .object({
    name: z.string().trim().min(1, '请填写地点名称').max(40, '地点名称最多 40 个字').optional(),
    address: z.string().trim().min(1, '请填写详细地址').max(200, '地址最多 200 个字').optional(),
    /** null or an empty text clears the site contact. */
    recipient: siteRecipient.optional(),
  })
  .strict()
  .refine((b) => b.name !== undefined || b.address !== undefined || b.recipient !== undefined, {
    message: '没有要修改的内容',
  })
export type PatchSiteBody = z.infer<typeof patchSiteBody>

export const staffSitesQuery = z.object({ unionId: idText.optional() }).strict()

/**
 * `?format=csv` is the same as `Accept: text/csv` (the whole list, streamed, UTF-8 with BOM;
 * `site` keeps it to one destination); `?format=xlsx` the same rows as an .xlsx workbook. The JSON list comes in pages of `limit` packs (default 500) in list order:
 * pass the answer's `next` as `cursor` for the following page; `site` (a site id or `pickup`)
 * keeps the pages to one destination.
 */
export const packingListQuery = z
  .object({
    format: z.enum(['json', 'csv', 'xlsx']).optional(),
    site: z.union([z.literal('pickup'), idText]).optional(),
    cursor: z.string().min(1, '分页参数不正确').max(400, '分页参数不正确').optional(),
    limit: z.coerce
      .number()
      .int('每页数量须为整数')
      .min(1, '每页至少 1 份')
      .max(1000, '每页最多 1000 份')
      .optional(),
  })
  .strict()
export type PackingListQuery = z.infer<typeof packingListQuery>

export const itemQuantity = z.object({ itemId: id, name: z.string(), quantity: count })
export type ItemQuantity = z.infer<typeof itemQuantity>

export const packingPack = z.object({
  packId: id,
  memberId: id,
  memberNo: z.string(),
  memberName: z.string(),
  unionName: z.string(),
  /** For site delivery the recipient the member named; for pickup the member. */
  recipient: z.string(),
  phone: z.string().nullable(),
  status: packStatus,
  isDefault: z.boolean(),
  items: z.array(itemQuantity),
  /**
   * For a shipped site pack, where it went: the site's name, address and contact when it shipped
   * (a later edit of the site does not change them). Null for pickup and packs not yet shipped,
   * which go to their group's site as it is now.
   */
  shippedTo: z
    .object({ name: z.string(), address: z.string(), recipient: z.string().nullable() })
    .nullable(),
})
export type PackingPack = z.infer<typeof packingPack>

/** One delivery destination: a site, or pickup at the union (`siteId` null, "到工会自取"). */
export const packingGroup = z.object({
  kind: z.enum(['site', 'pickup']),
  siteId: id.nullable(),
  name: z.string(),
  address: z.string().nullable(),
  /** The site contact as it is now (null for pickup or when none is named). */
  recipient: z.string().nullable(),
  unionName: z.string().nullable(),
  totals: z.array(itemQuantity),
  packs: z.array(packingPack),
})
export type PackingGroup = z.infer<typeof packingGroup>

/** A destination without its packs: what the list holds for it in all. */
export const packingDestination = packingGroup
  .omit({ packs: true })
  .extend({ packCount: count, /** Packs not shipped yet. */ waiting: count })
export type PackingDestination = z.infer<typeof packingDestination>

/**
 * Everything to pack, per destination, a page at a time. `final` once the campaign is closed and
 * its default packs are all handed out (a close in batches is over).
 */
export const packingListResponse = z.object({
  campaign: z.object({ id, title: z.string(), unionName: z.string(), final: z.boolean() }),
  /** The campaign's items in order: the columns of the list. */
  items: z.array(z.object({ id, name: z.string() })),
  /** Every destination with packs, in list order (sites by union, then pickup). */
  destinations: z.array(packingDestination),
  /** This page's packs by destination (each with the destination's full totals). */
  groups: z.array(packingGroup),
  /** The whole campaign's totals and pack count. */
  totals: z.array(itemQuantity),
  packCount: count,
  /** The `cursor` of the next page; null on the last. */
  next: z.string().nullable(),
})
export type PackingListResponse = z.infer<typeof packingListResponse>

/** A group to mark shipped at once: a site id, or `pickup` for the pickup group. */
export const groupShippedParams = z
  .object({
    id: idText,
    siteId: z.union([z.literal('pickup'), idText]),
  })
  .strict()

export const groupShippedResponse = z.object({ shipped: count })
export type GroupShippedResponse = z.infer<typeof groupShippedResponse>

export const coolingRoutes = {
  coolingCampaigns: route({
    method: 'GET',
    path: '/cooling/campaigns',
    response: coolingCampaignsResponse,
    status: 200,
  }),
  /** The sites of the caller's enterprise union. */
  coolingSites: route({
    method: 'GET',
    path: '/cooling/sites',
    response: coolingSitesResponse,
    status: 200,
  }),
  coolingPack: route({
    method: 'GET',
    path: '/cooling/campaigns/:id/pack',
    params: idParams,
    response: maybePackResponse,
    status: 200,
  }),
  /** Submits or changes the caller's pack (the same body twice changes nothing). */
  saveCoolingPack: route({
    method: 'PUT',
    path: '/cooling/campaigns/:id/pack',
    params: idParams,
    body: savePackBody,
    response: coolingPackResponse,
    status: 200,
  }),
  /** The owner confirms receipt: 409 `PACK_NOT_SHIPPED` before it was shipped. */
  receiveCoolingPack: route({
    method: 'POST',
    path: '/cooling/packs/:id/received',
    params: idParams,
    response: coolingPackResponse,
    status: 200,
  }),
  staffCoolingCampaigns: route({
    method: 'GET',
    path: '/staff/cooling/campaigns',
    response: staffCampaignsResponse,
    status: 200,
  }),
  createCoolingCampaign: route({
    method: 'POST',
    path: '/staff/cooling/campaigns',
    body: createCampaignBody,
    response: staffCampaignResponse,
    status: 201,
    creates: true,
  }),
  /**
   * Closes the campaign; with more than 2,000 members without a pack it answers `202` with the
   * close run's progress (default packs go out in batches; follow it with `coolingCampaignClose`).
   */
  closeCoolingCampaign: route({
    method: 'POST',
    path: '/staff/cooling/campaigns/:id/close',
    params: idParams,
    response: closeCampaignResponse,
    status: 200,
    accepted: campaignCloseResponse,
  }),
  /** The campaign's close run as it stands (`status`: none | running | done | failed). */
  coolingCampaignClose: route({
    method: 'GET',
    path: '/staff/cooling/campaigns/:id/close',
    params: idParams,
    response: campaignCloseResponse,
    status: 200,
  }),
  /**
   * JSON per destination; CSV (UTF-8 with BOM) with `Accept: text/csv` or `?format=csv`; the same
   * rows as an .xlsx workbook with `?format=xlsx` (or the xlsx media type in `Accept`).
   */
  coolingPackingList: route({
    method: 'GET',
    path: '/staff/cooling/campaigns/:id/packing-list',
    params: idParams,
    query: packingListQuery,
    response: packingListResponse,
    status: 200,
  }),
  shipCoolingPack: route({
    method: 'POST',
    path: '/staff/cooling/packs/:id/shipped',
    params: idParams,
    response: coolingPackResponse,
    status: 200,
  }),
  /** Marks every not yet shipped pack of one destination shipped. */
  shipCoolingGroup: route({
    method: 'POST',
    path: '/staff/cooling/campaigns/:id/sites/:siteId/shipped',
    params: groupShippedParams,
    response: groupShippedResponse,
    status: 200,
  }),
  staffCoolingSites: route({
    method: 'GET',
    path: '/staff/cooling/sites',
    query: staffSitesQuery,
    response: coolingSitesResponse,
    status: 200,
  }),
  createCoolingSite: route({
    method: 'POST',
    path: '/staff/cooling/sites',
    body: createSiteBody,
    response: coolingSiteResponse,
    status: 201,
    creates: true,
  }),
  /** 409 `SITE_EXISTS` for a name the union already uses. */
  patchCoolingSite: route({
    method: 'PATCH',
    path: '/staff/cooling/sites/:id',
    params: idParams,
    body: patchSiteBody,
    response: coolingSiteResponse,
    status: 200,
  }),
} as const
