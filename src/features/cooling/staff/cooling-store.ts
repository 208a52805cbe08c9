import Taro from '@tarojs/taro'
import { create } from 'zustand'
import type { CloseCampaignResponse, CoolingSite, StaffCoolingCampaign } from '@/contract/cooling'
import { errorMessage } from '@/services/http'
import {
  closeCoolingCampaign,
  listStaffCoolingCampaigns,
  listStaffCoolingSites,
} from '@/services/cooling'
import { makeLoader, upsertById, type Loadable } from '@/services/loadable'
import { registerReset } from '@/services/store-reset'

interface StaffCoolingState extends Loadable {
  campaigns: StaffCoolingCampaign[]
  /** The campaign being closed right now. */
  closingId: number | null
  /** What the last close did, shown on its campaign's card. */
  closed: { campaignId: number; result: CloseCampaignResponse } | null
  load: () => Promise<void>
  /** Closes a campaign (the page asks first) and reloads the counts. */
  close: (campaignId: number) => Promise<void>
  /** Puts a created campaign in the list at once. */
  upsert: (campaign: StaffCoolingCampaign) => void
}

/** 夏送清凉 (staff): the campaigns of the unions the staff member manages. */
export const useStaffCoolingStore = create<StaffCoolingState>()((set, get) => ({
  campaigns: [],
  status: 'idle',
  error: null,
  closingId: null,
  closed: null,
  load: makeLoader(set, get, async () => ({ campaigns: await listStaffCoolingCampaigns() })),
  close: async (campaignId) => {
    if (get().closingId !== null) return
    set({ closingId: campaignId })
    try {
      const result = await closeCoolingCampaign(campaignId)
      // Fresh counts first, so the result never shows beside a stale 结束活动 button.
      await get().load()
      set({ closingId: null, closed: { campaignId, result } })
    } catch (e) {
      set({ closingId: null })
      Taro.showToast({ title: errorMessage(e), icon: 'none', duration: 3000 }).catch(
        () => undefined,
      )
    }
  },
  upsert: (campaign) => set({ campaigns: upsertById(get().campaigns, campaign) }),
}))

interface StaffSitesState extends Loadable {
  sites: CoolingSite[]
  load: () => Promise<void>
  add: (site: CoolingSite) => void
}

/** 收货地点 (staff): work sites of the enterprises the staff member manages. */
export const useStaffSitesStore = create<StaffSitesState>()((set, get) => ({
  sites: [],
  status: 'idle',
  error: null,
  load: makeLoader(set, get, async () => ({ sites: await listStaffCoolingSites() })),
  add: (site) => set({ sites: [...get().sites.filter((s) => s.id !== site.id), site] }),
}))

registerReset(useStaffCoolingStore)
registerReset(useStaffSitesStore)
