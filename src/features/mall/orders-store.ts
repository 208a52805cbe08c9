import Taro from '@tarojs/taro'
import { create } from 'zustand'
import { z } from 'zod'
import { mallOrder, type MallOrder } from '@/contract/mall'
import { errorMessage } from '@/services/http'
import { keepAs, makeLoader, type Loadable } from '@/services/loadable'
import { cancelOrder, listOrders } from '@/services/mall'
import { usePointsBalance } from '@/services/points-balance'
import { registerReset } from '@/services/store-reset'
import { useMallStore } from '@/features/mall/store'

interface OrdersState extends Loadable {
  orders: MallOrder[]
  /** The order being cancelled, to disable its button meanwhile. */
  cancellingId: number | null
  load: () => Promise<void>
  /** Cancels an order (the page asks for confirmation first); reloads after a refusal. */
  cancel: (id: number) => Promise<void>
}

/** 我的兑换: the member's orders. */
export const useOrdersStore = create<OrdersState>()((set, get) => ({
  orders: [],
  status: 'idle',
  error: null,
  cancellingId: null,
  load: makeLoader(set, get, async () => ({ orders: await listOrders() }), {
    toast: true,
    // Pickup codes stay at hand without a network.
    keep: keepAs('mall-orders', z.object({ orders: z.array(mallOrder) })),
  }),
  cancel: async (id) => {
    if (get().cancellingId !== null) return
    set({ cancellingId: id })
    try {
      const order = await cancelOrder(id)
      set({ orders: get().orders.map((o) => (o.id === order.id ? order : o)) })
      Taro.showToast({ title: '已取消', icon: 'success' }).catch(() => undefined)
    } catch (e) {
      Taro.showToast({ title: errorMessage(e), icon: 'none', duration: 3000 }).catch(
        () => undefined,
      )
      await get().load()
    } finally {
      set({ cancellingId: null })
      // Points and stock came back (or the order changed meanwhile): the mall (with the balance)
      // or else the balance alone, if shown anywhere, gets fresh numbers.
      if (useMallStore.getState().status === 'ready') void useMallStore.getState().load()
      else if (usePointsBalance.getState().status === 'ready') {
        void usePointsBalance.getState().load()
      }
    }
  },
}))

registerReset(useOrdersStore)
