import Taro from '@tarojs/taro'
import { create } from 'zustand'
import { z } from 'zod'
import {
  coolingCampaign,
  coolingPack,
  coolingSite,
  deliveryInput,
  type CoolingCampaign,
  type CoolingPack,
  type CoolingSite,
  type DeliveryInput,
} from '@/contract/cooling'
import { dropDraft, readDraft, saveDraft } from '@/services/device-keep'
import { ApiError, errorMessage } from '@/services/http'
import { fetchKept } from '@/services/loadable'
import { requestSubscriptions } from '@/services/notifications'
import {
  confirmPackReceived,
  getCoolingPack,
  listCoolingCampaigns,
  listCoolingSites,
  saveCoolingPack,
} from '@/services/cooling'
import { useSession } from '@/services/session'
import { registerReset } from '@/services/store-reset'
import { validate, type FieldErrors } from '@/services/validation'
import {
  addBlock,
  packLines,
  packProblem,
  quantitiesOf,
  type Quantities,
} from '@/features/cooling/rules'
import { useCampaignsStore } from '@/features/cooling/store'

/** The delivery as the member fills it in. */
export interface DeliveryDraft {
  kind: 'pickup' | 'site'
  siteId: number | null
  recipient: string
  phone: string
}

interface PackState {
  campaignId: number | null
  campaign: CoolingCampaign | null
  /** The member's saved pack (the default pack after closing if they never chose), or null. */
  pack: CoolingPack | null
  /** Work sites of the member's enterprise. */
  sites: CoolingSite[]
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
  /** Set when what is shown is the device's copy (no network): when it was loaded. */
  keptAt: number | null
  /** The choice being composed; starts as the saved pack (or the unsaved choice kept on the device). */
  quantities: Quantities
  delivery: DeliveryDraft
  /** Why the last tap on ＋ did nothing, or what the server said about the pack. */
  notice: string | null
  /** Messages next to the delivery fields (recipient, phone, siteId). */
  fieldErrors: FieldErrors
  saving: boolean
  /** The server's refusal of the last submit, in Chinese. */
  saveError: string | null
  receiving: boolean
  /** Loads the campaign, the member's pack and the sites; resets the draft to the saved pack. */
  load: (campaignId: number) => Promise<void>
  /** One more (`+1`) or one less (`-1`) of an item, within every limit; explains a refusal. */
  step: (itemId: number, by: 1 | -1) => void
  setDelivery: (patch: Partial<DeliveryDraft>) => void
  /** Checks the draft and submits it (PUT pack); the server's verdict is final. */
  submit: () => Promise<boolean>
  /** 确认收货 of a shipped pack. */
  confirmReceived: () => Promise<void>
}

function draftOf(pack: CoolingPack | null): DeliveryDraft {
  const name = useSession.getState().session?.member.name ?? ''
  if (pack?.delivery.kind === 'site') {
    const d = pack.delivery
    return { kind: 'site', siteId: d.siteId, recipient: d.recipient, phone: d.phone }
  }
  return { kind: 'pickup', siteId: null, recipient: name, phone: '' }
}

/** What the campaign page loads, as kept on the device for a load without a network. */
const keptPage = z.object({
  campaign: coolingCampaign,
  pack: coolingPack.nullable(),
  sites: z.array(coolingSite),
})

/** The unsaved choice of one campaign, kept on the device until it is submitted. */
const packDraft = z.object({
  quantities: z.record(z.string(), z.number().int().nonnegative()),
  delivery: z.object({
    kind: z.enum(['pickup', 'site']),
    siteId: z.number().nullable(),
    recipient: z.string(),
    phone: z.string(),
  }),
})
const draftName = (campaignId: number) => `cooling-pack:${campaignId}`

/** The choice in a form that compares equal when it means the same. */
function choiceText(quantities: Quantities, delivery: DeliveryDraft): string {
  const lines = Object.entries(quantities)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => Number(a) - Number(b))
  const where = delivery.kind === 'pickup' ? { kind: 'pickup' } : delivery
  return JSON.stringify([lines, where])
}

/** The saved pack's quantities: what the member's stock reservation already holds. */
export function savedQuantities(pack: CoolingPack | null): Quantities {
  return pack && pack.status === 'submitted' ? quantitiesOf(pack) : {}
}

async function fetchCampaign(campaignId: number): Promise<CoolingCampaign> {
  const campaign = (await listCoolingCampaigns()).find((c) => c.id === campaignId)
  if (!campaign) throw new ApiError('NOT_FOUND', '活动不存在或你所在的工会不参加', 404)
  return campaign
}

/** The delivery to send, or the messages of its fields. */
export function checkDelivery(
  draft: DeliveryDraft,
): { ok: true; delivery: DeliveryInput } | { ok: false; errors: FieldErrors } {
  if (draft.kind === 'pickup') return { ok: true, delivery: { kind: 'pickup' } }
  const checked = validate(deliveryInput, {
    kind: 'site',
    siteId: draft.siteId ?? undefined,
    recipient: draft.recipient,
    phone: draft.phone,
  })
  const errors: FieldErrors = checked.ok ? {} : { ...checked.errors }
  if (draft.siteId === null) errors.siteId = '请选择收货的工作地点'
  else if (errors.siteId) errors.siteId = '请选择收货的工作地点'
  if (!checked.ok || Object.keys(errors).length) return { ok: false, errors }
  return { ok: true, delivery: checked.data }
}

const initial = {
  campaignId: null,
  campaign: null,
  pack: null,
  sites: [],
  status: 'idle' as const,
  error: null,
  keptAt: null,
  quantities: {},
  delivery: { kind: 'pickup' as const, siteId: null, recipient: '', phone: '' },
  notice: null,
  fieldErrors: {},
  saving: false,
  saveError: null,
  receiving: false,
}

/** One campaign's page: the pack being composed, its delivery, submit and receipt. */
export const usePackStore = create<PackState>()((set, get) => ({
  ...initial,
  load: async (campaignId) => {
    const firstShow = get().campaignId !== campaignId || get().status !== 'ready'
    if (get().campaignId !== campaignId) set({ ...initial, campaignId, status: 'loading' })
    else if (get().status !== 'ready') set({ status: 'loading', error: null })
    try {
      const { data, keptAt } = await fetchKept(draftName(campaignId), keptPage, async () => {
        const [campaign, pack, sites] = await Promise.all([
          fetchCampaign(campaignId),
          getCoolingPack(campaignId),
          listCoolingSites(),
        ])
        return { campaign, pack, sites }
      })
      if (get().campaignId !== campaignId) return
      const { campaign, pack, sites } = data
      // A choice the member had not submitted (a reload, a killed app) comes back while the
      // campaign is open; once it closed, the saved pack is what counts.
      const draft = campaign.status === 'open' ? readDraft(draftName(campaignId), packDraft) : null
      if (!draft) dropDraft(draftName(campaignId))
      const quantities = draft ? toQuantities(draft.quantities) : quantitiesOf(pack)
      const delivery = draft ? draft.delivery : draftOf(pack)
      const resumed =
        !!draft &&
        choiceText(quantities, delivery) !== choiceText(quantitiesOf(pack), draftOf(pack))
      set({
        campaign,
        pack,
        sites,
        status: 'ready',
        error: null,
        keptAt,
        quantities,
        delivery,
        notice: resumed && firstShow ? '已恢复你上次没有提交的选择，记得提交' : null,
        fieldErrors: {},
      })
    } catch (e) {
      if (get().campaignId === campaignId) set({ status: 'error', error: errorMessage(e) })
    }
  },
  step: (itemId, by) => {
    const { campaign, quantities, pack, saving } = get()
    if (!campaign || saving) return
    const item = campaign.items.find((i) => i.id === itemId)
    if (!item) return
    const have = quantities[itemId] ?? 0
    if (by < 0) {
      if (have === 0) return
      set({ quantities: { ...quantities, [itemId]: have - 1 }, notice: null, saveError: null })
      return
    }
    const block = addBlock(campaign, item, quantities, savedQuantities(pack))
    if (block) set({ notice: block })
    else set({ quantities: { ...quantities, [itemId]: have + 1 }, notice: null, saveError: null })
  },
  setDelivery: (patch) => {
    const delivery = { ...get().delivery, ...patch }
    const fieldErrors = { ...get().fieldErrors }
    for (const key of Object.keys(patch)) delete fieldErrors[key]
    set({ delivery, fieldErrors, saveError: null })
  },
  submit: async () => {
    const { campaign, quantities, pack, delivery, saving } = get()
    if (!campaign || saving) return false
    const problem = packProblem(campaign, quantities, savedQuantities(pack))
    const checked = checkDelivery(delivery)
    set({ notice: problem, fieldErrors: checked.ok ? {} : checked.errors, saveError: problem })
    if (problem || !checked.ok) return false
    // Inside the tap, as WeChat requires; the save does not wait for the answer.
    void requestSubscriptions(['pack_shipped'])
    set({ saving: true })
    try {
      const saved = await saveCoolingPack(campaign.id, {
        items: packLines(campaign, quantities),
        delivery: checked.delivery,
      })
      set({ pack: saved, saving: false, quantities: quantitiesOf(saved), notice: null })
      Taro.showToast({ title: pack ? '已保存修改' : '礼包已提交', icon: 'success' }).catch(
        () => undefined,
      )
      // Stock left changed: refresh the campaign (and the list's pack status) quietly.
      void fetchCampaign(campaign.id)
        .then((fresh) => get().campaignId === campaign.id && set({ campaign: fresh }))
        .catch(() => undefined)
      void useCampaignsStore.getState().load()
      return true
    } catch (e) {
      const message = errorMessage(e)
      set({ saving: false, saveError: message })
      Taro.showToast({ title: message, icon: 'none', duration: 3000 }).catch(() => undefined)
      const code = e instanceof ApiError ? e.code : null
      if (code === 'CAMPAIGN_CLOSED') {
        // Closed meanwhile: show the pack as it now stands, read-only.
        await get().load(campaign.id)
        set({ saveError: message })
      } else if (code === 'OUT_OF_STOCK' || code === 'OVER_QUOTA' || code === 'OVER_ITEM_MAX') {
        // Someone else took the last pieces (or the rules changed): show the fresh stock.
        try {
          const fresh = await fetchCampaign(campaign.id)
          if (get().campaignId === campaign.id) set({ campaign: fresh })
        } catch {
          // The message above already says what happened; the old numbers stay.
        }
      }
      return false
    }
  },
  confirmReceived: async () => {
    const { pack, receiving } = get()
    if (!pack || receiving) return
    set({ receiving: true, saveError: null })
    try {
      const received = await confirmPackReceived(pack.id)
      set({ pack: received, receiving: false })
      Taro.showToast({ title: '已确认收货', icon: 'success' }).catch(() => undefined)
      void useCampaignsStore.getState().load()
    } catch (e) {
      const message = errorMessage(e)
      set({ receiving: false, saveError: message })
      Taro.showToast({ title: message, icon: 'none', duration: 3000 }).catch(() => undefined)
    }
  },
}))

function toQuantities(record: Record<string, number>): Quantities {
  const q: Quantities = {}
  for (const [itemId, n] of Object.entries(record)) q[Number(itemId)] = n
  return q
}

// An unsaved change of the choice is kept on the device at once; a saved (or unchanged) one is
// dropped, so only what would otherwise be lost is kept.
usePackStore.subscribe((state, previous) => {
  const { campaignId, campaign, status, quantities, delivery, pack } = state
  if (campaignId === null || !campaign || status !== 'ready' || campaign.status !== 'open') return
  if (
    quantities === previous.quantities &&
    delivery === previous.delivery &&
    pack === previous.pack
  ) {
    return
  }
  const unsaved =
    choiceText(quantities, delivery) !== choiceText(savedQuantities(pack), draftOf(pack))
  saveDraft(draftName(campaignId), unsaved ? { quantities, delivery } : null)
})

registerReset(usePackStore)
