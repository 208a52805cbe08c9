import Taro from '@tarojs/taro'
import { create } from 'zustand'
import type { MallOrder } from '@/contract/mall'
import { errorMessage } from '@/services/http'
import { cancelOrder, listOrders } from '@/services/mall'
import { useSession } from '@/services/session'
import { useMallStore } from '@/features/mall/store'

interface OrdersState {
  orders: MallOrder[]
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
  /** The order being cancelled, to disable its button meanwhile. */
  cancellingId: number | null
  load: () => Promise<void>
  /** Cancels an order (the page asks for confirmation first); reloads after a refusal. */
  cancel: (id: number) => Promise<void>
}

let inFlight: Promise<void> | null = null

/** 我的兑换: the member's orders. */
export const useOrdersStore = create<OrdersState>()((set, get) => ({
  orders: [],
  status: 'idle',
  error: null,
  cancellingId: null,
  load: () => {
    if (inFlight) return inFlight
    if (get().status !== 'ready') set({ status: 'loading', error: null })
    inFlight = (async () => {
      try {
        const token = useSession.getState().session?.token
        const orders = await listOrders()
        if (useSession.getState().session?.token !== token) return
        set({ orders, status: 'ready', error: null })
      } catch (e) {
        const message = errorMessage(e)
        if (get().status === 'ready') {
          Taro.showToast({ title: message, icon: 'none' }).catch(() => undefined)
        } else set({ status: 'error', error: message })
      } finally {
        inFlight = null
      }
    })()
    return inFlight
  },
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
      // Points and stock came back (or the order changed meanwhile): the mall shows fresh numbers.
      if (useMallStore.getState().status === 'ready') void useMallStore.getState().load()
    }
  },
}))

useSession.subscribe((state, previous) => {
  if (state.session?.token !== previous.session?.token) {
    useOrdersStore.setState({ orders: [], status: 'idle', error: null, cancellingId: null })
  }
})
