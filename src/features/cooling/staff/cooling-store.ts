import Taro from '@tarojs/taro'
import { create } from 'zustand'
import type {
  CampaignClose,
  CloseCampaignResponse,
  CoolingSite,
  StaffCoolingCampaign,
} from '@/contract/cooling'
import { errorMessage } from '@/services/http'
import {
  closeCoolingCampaign,
  getCampaignClose,
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
  /** A close going on as a job, followed while the campaigns page is shown. */
  progress: CampaignClose | null
  load: () => Promise<void>
  /** Closes a campaign (the page asks first) and reloads the counts. */
  close: (campaignId: number) => Promise<void>
  /** Follows a running close until it is over (every 2 s, while `following`). */
  follow: (campaignId: number) => Promise<void>
  /** The campaigns page is shown (true) or left (false): a close is followed only meanwhile. */
  setFollowing: (on: boolean) => void
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
  progress: null,
  load: makeLoader(set, get, async () => ({ campaigns: await listStaffCoolingCampaigns() })),
  close: async (campaignId) => {
    if (get().closingId !== null) return
    set({ closingId: campaignId })
    try {
      const answer = await closeCoolingCampaign(campaignId)
      if ('close' in answer) {
        // Many members without a pack: the close goes on in the background.
        set({ closingId: null, closed: null, progress: answer.close })
        await get().follow(campaignId)
        return
      }
      // Fresh counts first, so the result never shows beside a stale 结束活动 button.
      await get().load()
      set({ closingId: null, closed: { campaignId, result: answer } })
    } catch (e) {
      set({ closingId: null })
      Taro.showToast({ title: errorMessage(e), icon: 'none', duration: 3000 }).catch(
        () => undefined,
      )
    }
  },
  follow: async (campaignId) => {
    if (get().progress?.id !== campaignId) {
      set({ progress: (await getCampaignClose(campaignId)).close })
    }
    following = true
    try {
      let close = get().progress
      while (close && close.id === campaignId && close.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 2000))
        if (!following || get().progress?.id !== campaignId) return
        close = (await getCampaignClose(campaignId)).close
        set({ progress: close })
      }
      if (!close || close.status === 'running') return
      await get().load()
      set({
        progress: close.status === 'failed' ? close : null,
        closed:
          close.status === 'done'
            ? {
                campaignId,
                result: {
                  defaultPacksCreated: close.defaultPacksCreated,
                  notCovered: close.notCovered,
                  notCoveredMembers: close.notCoveredMembers,
                  closedAt: close.closedAt ?? new Date().toISOString(),
                  alreadyClosed: false,
                },
              }
            : get().closed,
      })
    } catch (e) {
      Taro.showToast({ title: errorMessage(e), icon: 'none', duration: 3000 }).catch(
        () => undefined,
      )
    }
  },
  setFollowing: (on) => {
    following = on
  },
  upsert: (campaign) => set({ campaigns: upsertById(get().campaigns, campaign) }),
}))

/** Whether the campaigns page is shown (a running close is followed only then). */
let following = true

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
