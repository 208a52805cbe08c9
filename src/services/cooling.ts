import { coolingRoutes as routes } from '@/contract/routes/cooling'
import type {
  CampaignCloseResponse,
  CloseCampaignResponse,
  CoolingCampaign,
  CoolingPack,
  CoolingSite,
  CreateCampaignBody,
  CreateSiteBody,
  PackingListResponse,
  PatchSiteBody,
  SavePackBody,
  StaffCoolingCampaign,
} from '@/contract/cooling'
import { call, callText, fileRequest, type CallOptions } from '@/services/http'
import { openSpreadsheet, XLSX_MEDIA_TYPE, type SavedFile } from '@/services/download'

/** Campaigns of the member's union and its ancestors, open ones first, with their pack status. */
export async function listCoolingCampaigns(): Promise<CoolingCampaign[]> {
  const { campaigns } = await call(routes.coolingCampaigns)
  return campaigns
}

/** The work sites of the member's enterprise, where a pack can be shipped. */
export async function listCoolingSites(): Promise<CoolingSite[]> {
  const { sites } = await call(routes.coolingSites)
  return sites
}

/** The member's pack of a campaign (after closing: the default pack if they never chose), or null. */
export async function getCoolingPack(campaignId: number): Promise<CoolingPack | null> {
  const { pack } = await call(routes.coolingPack, { params: { id: campaignId } })
  return pack
}

/**
 * Submits or changes the member's pack. The server decides: `OVER_QUOTA`, `OVER_ITEM_MAX`,
 * `OUT_OF_STOCK`, `CAMPAIGN_CLOSED`, `EMPTY_PACK`, `UNKNOWN_SITE`.
 */
export async function saveCoolingPack(
  campaignId: number,
  body: SavePackBody,
): Promise<CoolingPack> {
  const { pack } = await call(routes.saveCoolingPack, { params: { id: campaignId }, body })
  return pack
}

/** The member confirms receipt of a shipped pack (`PACK_NOT_SHIPPED` before that). */
export async function confirmPackReceived(packId: number): Promise<CoolingPack> {
  const { pack } = await call(routes.receiveCoolingPack, { params: { id: packId } })
  return pack
}

/** Campaigns of the unions the staff member manages, with their counts (staff). */
export async function listStaffCoolingCampaigns(): Promise<StaffCoolingCampaign[]> {
  const { campaigns } = await call(routes.staffCoolingCampaigns)
  return campaigns
}

/** Creates a campaign with its items and default pack (staff). */
export async function createCoolingCampaign(
  body: CreateCampaignBody,
  options?: CallOptions,
): Promise<StaffCoolingCampaign> {
  const { campaign } = await call(routes.createCoolingCampaign, { body }, options)
  return campaign
}

/**
 * Closes a campaign now (or confirms it closed): default packs for everyone without one (staff).
 * With many members without a pack it answers with the running close (`{close}`), followed with
 * `getCampaignClose`.
 */
export async function closeCoolingCampaign(
  campaignId: number,
): Promise<CloseCampaignResponse | CampaignCloseResponse> {
  return call(routes.closeCoolingCampaign, { params: { id: campaignId } }) as Promise<
    CloseCampaignResponse | CampaignCloseResponse
  >
}

/** A campaign's close run as it stands (staff). */
export async function getCampaignClose(campaignId: number): Promise<CampaignCloseResponse> {
  return call(routes.coolingCampaignClose, { params: { id: campaignId } })
}

/**
 * A page of the packing list: every destination with its totals, and up to `limit` packs from
 * `cursor` on (one destination with `site`); `next` continues it (staff).
 */
export async function getPackingList(
  campaignId: number,
  page: { site?: number | 'pickup'; cursor?: string; limit?: number } = {},
): Promise<PackingListResponse> {
  return call(routes.coolingPackingList, { params: { id: campaignId }, query: page })
}

/** The packing list as a CSV file (UTF-8 with BOM), for another system to import (staff). */
export async function getPackingListCsv(campaignId: number): Promise<string> {
  return callText(
    routes.coolingPackingList,
    { params: { id: campaignId }, query: {} },
    { accept: 'text/csv' },
  )
}

/**
 * The packing list as an .xlsx (the CSV's rows, a bold header): downloaded on H5, opened in
 * WeChat's document viewer on weapp, whence staff forward it to a PC (staff).
 */
export async function openPackingListXlsx(campaignId: number, title: string): Promise<SavedFile> {
  const request = fileRequest(
    routes.coolingPackingList,
    { params: { id: campaignId }, query: { format: 'xlsx' } },
    XLSX_MEDIA_TYPE,
  )
  return openSpreadsheet({ ...request, fileName: `${title}-装箱单.xlsx` })
}

/** Marks every not yet shipped pack of one destination shipped; `pickup` for the pickup group. */
export async function shipPackingGroup(
  campaignId: number,
  siteId: number | 'pickup',
): Promise<number> {
  const { shipped } = await call(routes.shipCoolingGroup, { params: { id: campaignId, siteId } })
  return shipped
}

/** Marks one pack shipped (staff). */
export async function shipCoolingPack(packId: number): Promise<CoolingPack> {
  const { pack } = await call(routes.shipCoolingPack, { params: { id: packId } })
  return pack
}

/** Work sites of the unions the staff member manages, optionally of one union (staff). */
export async function listStaffCoolingSites(unionId?: number): Promise<CoolingSite[]> {
  const { sites } = await call(routes.staffCoolingSites, { query: { unionId } })
  return sites
}

/** Adds a work site to an enterprise union (staff); `SITE_EXISTS` when the name is taken. */
export async function createCoolingSite(
  body: CreateSiteBody,
  options?: CallOptions,
): Promise<CoolingSite> {
  const { site } = await call(routes.createCoolingSite, { body }, options)
  return site
}

/**
 * Renames a site or changes its address (staff). Packs already shipped keep the address they went
 * to; the ones not yet shipped go to the new one. `SITE_EXISTS` for a name in use.
 */
export async function patchCoolingSite(id: number, body: PatchSiteBody): Promise<CoolingSite> {
  const { site } = await call(routes.patchCoolingSite, { params: { id }, body })
  return site
}
