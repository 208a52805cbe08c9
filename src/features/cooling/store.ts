import { create } from 'zustand'
import type { CoolingCampaign } from '@/contract/cooling'
import { errorMessage } from '@/services/http'
import { listCoolingCampaigns } from '@/services/cooling'
import { useSession } from '@/services/session'

interface CampaignsState {
  campaigns: CoolingCampaign[]
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
  /** Loads the campaigns; concurrent calls share one request. */
  load: () => Promise<void>
}

let inFlight: Promise<void> | null = null

/** 清凉大礼包: the campaigns the member is offered, with their own pack's status. */
export const useCampaignsStore = create<CampaignsState>()((set, get) => ({
  campaigns: [],
  status: 'idle',
  error: null,
  load: () => {
    if (inFlight) return inFlight
    if (get().status !== 'ready') set({ status: 'loading', error: null })
    inFlight = (async () => {
      try {
        const token = useSession.getState().session?.token
        const campaigns = await listCoolingCampaigns()
        if (useSession.getState().session?.token !== token) return
        set({ campaigns, status: 'ready', error: null })
      } catch (e) {
        if (get().status !== 'ready') set({ status: 'error', error: errorMessage(e) })
      } finally {
        inFlight = null
      }
    })()
    return inFlight
  },
}))

useSession.subscribe((state, previous) => {
  if (state.session?.token !== previous.session?.token) {
    useCampaignsStore.setState({ campaigns: [], status: 'idle', error: null })
  }
})
