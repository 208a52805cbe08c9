import Taro from '@tarojs/taro'
import { create } from 'zustand'
import { z } from 'zod'
import { mallOrder, type MallOrder } from '@/contract/mall'
import { readDraft, saveDraft } from '@/services/device-keep'
import { ApiError, errorMessage, newIdempotencyKey } from '@/services/http'
import { redeemItem } from '@/services/mall'
import { requestSubscriptions } from '@/services/notifications'
import { registerReset } from '@/services/store-reset'
import { maxQuantity } from '@/features/mall/format'
import { useMallStore } from '@/features/mall/store'

interface RedeemState {
  /** The item in the open confirm sheet; null when the sheet is closed. */
  itemId: number | null
  /** The item `key` was made for. */
  keyFor: number | null
  quantity: number
  /**
   * The Idempotency-Key of this redemption: made when the sheet opens, kept for every retry
   * (so a dropped connection never makes a second order), renewed when the quantity changes or
   * after an answer that certainly created nothing.
   */
  key: string | null
  busy: boolean
  /** Why the last attempt failed, in Chinese. */
  error: string | null
  /** The last attempt got no answer: the order may exist, so a retry must reuse the key. */
  canRetry: boolean
  /** The order made by the last successful redemption (the result screen). */
  order: MallOrder | null
  open: (itemId: number) => void
  setQuantity: (quantity: number) => void
  close: () => void
  /** Sends the redemption with the sheet's key; refreshes stock and balance afterwards. */
  confirm: () => Promise<void>
  /** Forgets the sheet and the result (leaving the item page); an unanswered attempt's key stays. */
  reset: () => void
  /**
   * Opening the item page: puts back what this device kept of this item (after a reload or a
   * killed app): the pickup code last shown, or an attempt without an answer with its key.
   */
  resume: (itemId: number) => void
}

/**
 * Kept on the device: the result screen (its pickup code) and an attempt that got no answer (its
 * key, so the retry replays it instead of ordering twice).
 */
const DRAFT = 'mall-redeem'
const redeemDraft = z.object({
  keyFor: z.number().nullable(),
  quantity: z.number().int().positive(),
  key: z.string().nullable(),
  canRetry: z.boolean(),
  order: mallOrder.nullable(),
})

const initial = {
  itemId: null,
  keyFor: null,
  quantity: 1,
  key: null,
  busy: false,
  error: null,
  canRetry: false,
  order: null,
}

/** The redemption in progress on the item page: confirm sheet, retries and result. */
export const useRedeemStore = create<RedeemState>()((set, get) => ({
  ...initial,
  open: (itemId) => {
    const { canRetry, keyFor } = get()
    // An unanswered attempt of this item may have made an order: reopen it with its key.
    if (canRetry && keyFor === itemId) set({ itemId })
    else {
      const key = newIdempotencyKey()
      set({ itemId, keyFor: itemId, quantity: 1, key, error: null, canRetry: false })
    }
  },
  setQuantity: (quantity) => {
    if (get().busy || quantity === get().quantity) return
    set({ quantity, key: newIdempotencyKey(), error: null, canRetry: false })
  },
  close: () => {
    if (get().busy) return
    set({ itemId: null })
  },
  confirm: async () => {
    const { itemId, quantity, busy } = get()
    if (itemId === null || busy) return
    // Inside the tap, as WeChat requires; the redemption does not wait for the answer.
    void requestSubscriptions(['pickup_expiring'])
    const key = get().key ?? newIdempotencyKey()
    set({ busy: true, key, error: null, canRetry: false })
    try {
      const order = await redeemItem({ itemId, quantity }, { idempotencyKey: key })
      set({ ...initial, order })
      // One refetch of stock and balance; home, the mall and 积分 all read that balance.
      void useMallStore.getState().load()
    } catch (e) {
      const message = errorMessage(e)
      // A 4xx answer is final and created nothing: the next try is a new redemption. Without an
      // answer (or on a 5xx) the order may exist, so the retry keeps the key.
      const final = e instanceof ApiError && e.status >= 400 && e.status < 500
      set({ busy: false, error: message, canRetry: !final, key: final ? null : key })
      if (final) {
        Taro.showToast({ title: message, icon: 'none', duration: 3000 }).catch(() => undefined)
        await useMallStore.getState().load()
        // Fresh stock or limit may allow fewer now.
        const item = useMallStore.getState().items.find((i) => i.id === itemId)
        if (item) {
          const max = Math.max(1, maxQuantity(item))
          if (get().quantity > max) set({ quantity: max })
        }
      }
    }
  },
  reset: () => {
    if (get().canRetry) set({ itemId: null, order: null, busy: false })
    else set({ ...initial })
  },
  resume: (itemId) => {
    const state = get()
    if (state.busy || state.order || state.canRetry) return
    const draft = readDraft(DRAFT, redeemDraft)
    if (draft?.order && draft.order.itemId === itemId) set({ order: draft.order })
    else if (draft?.canRetry && draft.keyFor === itemId && draft.key) {
      set({
        itemId,
        keyFor: itemId,
        quantity: draft.quantity,
        key: draft.key,
        canRetry: true,
        error: '上次兑换没有收到结果，请点“重试”确认（不会重复兑换）',
      })
    }
  },
}))

useRedeemStore.subscribe((state, previous) => {
  const { keyFor, quantity, key, canRetry, order } = state
  if (
    order === previous.order &&
    canRetry === previous.canRetry &&
    key === previous.key &&
    quantity === previous.quantity
  ) {
    return
  }
  saveDraft(DRAFT, order || canRetry ? { keyFor, quantity, key, canRetry, order } : null)
})

registerReset(useRedeemStore)
