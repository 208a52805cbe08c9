import { create } from 'zustand'
import { z } from 'zod'
import { coolingCampaign, type CoolingCampaign } from '@/contract/cooling'
import { listCoolingCampaigns } from '@/services/cooling'
import { keepAs, makeLoader, type Loadable } from '@/services/loadable'
import { registerReset } from '@/services/store-reset'

interface CampaignsState extends Loadable {
  campaigns: CoolingCampaign[]
  /** Loads the campaigns; concurrent calls share one request. */
  load: () => Promise<void>
}

/** 清凉大礼包: the campaigns the member is offered, with their own pack's status. */
export const useCampaignsStore = create<CampaignsState>()((set, get) => ({
  campaigns: [],
  status: 'idle',
  error: null,
  load: makeLoader(set, get, async () => ({ campaigns: await listCoolingCampaigns() }), {
    keep: keepAs('cooling', z.object({ campaigns: z.array(coolingCampaign) })),
  }),
}))

registerReset(useCampaignsStore)
