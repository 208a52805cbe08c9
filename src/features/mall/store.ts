import { create } from 'zustand'
import type { MemberMallItem } from '@/contract/mall'
import { makeLoader, type Loadable } from '@/services/loadable'
import { listMallItems } from '@/services/mall'
import { getPoints } from '@/services/points'
import { usePointsBalance } from '@/services/points-balance'
import { registerReset } from '@/services/store-reset'

interface MallState extends Loadable {
  items: MemberMallItem[]
  /**
   * Loads the items (fresh stock) and the points balance (into the one balance the app shares);
   * concurrent calls share one request.
   */
  load: () => Promise<void>
}

/** 积分商城: the items the member may redeem; the balance lives in `usePointsBalance`. */
export const useMallStore = create<MallState>()((set, get) => ({
  items: [],
  status: 'idle',
  error: null,
  load: makeLoader(set, get, async (current) => {
    const [items, points] = await Promise.all([listMallItems(), getPoints()])
    if (current()) usePointsBalance.getState().put(points)
    return { items }
  }),
}))

registerReset(useMallStore)
