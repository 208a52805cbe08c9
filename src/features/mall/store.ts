import { create } from 'zustand'
import { z } from 'zod'
import { memberMallItem, type MemberMallItem } from '@/contract/mall'
import { pointsSummary } from '@/contract/points'
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

const keptMall = z.object({ items: z.array(memberMallItem), points: pointsSummary })

/** 积分商城: the items the member may redeem; the balance lives in `usePointsBalance`. */
export const useMallStore = create<MallState>()((set, get) => ({
  items: [],
  status: 'idle',
  error: null,
  load: makeLoader(
    set,
    get,
    async (current) => {
      const [items, points] = await Promise.all([listMallItems(), getPoints()])
      if (current()) usePointsBalance.getState().put(points)
      return { items }
    },
    {
      keep: {
        name: 'mall',
        save: ({ items }) => ({ items, points: usePointsBalance.getState().summary }),
        restore: (saved) => {
          const kept = keptMall.safeParse(saved)
          if (!kept.success) return null
          usePointsBalance.getState().put(kept.data.points)
          return { items: kept.data.items }
        },
      },
    },
  ),
}))

registerReset(useMallStore)
