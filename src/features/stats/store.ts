import { create } from 'zustand'
import type { StatsResponse } from '@/contract/stats'
import { errorMessage } from '@/services/http'
import { getStats } from '@/services/stats'
import { registerReset } from '@/services/store-reset'
import { presetPeriod, type Period, type PeriodPreset } from './period'

interface StatsState {
  /** The union whose subtree is shown; undefined: the staff member's own (an admin's: all). */
  unionId: number | undefined
  period: Period
  /** The preset the period came from, or `custom` when picked by date. */
  preset: PeriodPreset | 'custom'
  stats: StatsResponse | null
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
  load: () => Promise<void>
  setUnion: (unionId: number | undefined) => void
  setPreset: (preset: PeriodPreset) => void
  /** Sets one end of the period by date; the other end follows if it would be on the wrong side. */
  setDay: (end: 'from' | 'to', day: string) => void
}

/** The answer of the latest request only: an older one arriving late is dropped. */
let requestNo = 0

/** 数据看板: what is chosen and the figures of that choice. */
export const useStatsStore = create<StatsState>()((set, get) => ({
  unionId: undefined,
  period: presetPeriod('year'),
  preset: 'year',
  stats: null,
  status: 'idle',
  error: null,
  load: async () => {
    const no = ++requestNo
    const { unionId, period } = get()
    set({ status: 'loading', error: null })
    try {
      const stats = await getStats({ unionId, ...period })
      if (no === requestNo) set({ stats, status: 'ready' })
    } catch (e) {
      if (no === requestNo) set({ status: 'error', error: errorMessage(e) })
    }
  },
  setUnion: (unionId) => {
    set({ unionId })
    void get().load()
  },
  setPreset: (preset) => {
    set({ preset, period: presetPeriod(preset) })
    void get().load()
  },
  setDay: (end, day) => {
    const { period } = get()
    const next =
      end === 'from'
        ? { from: day, to: period.to < day ? day : period.to }
        : { from: period.from > day ? day : period.from, to: day }
    set({ preset: 'custom', period: next })
    void get().load()
  },
}))

registerReset(useStatsStore, {
  initial: () => ({ period: presetPeriod('year') }),
  also: () => {
    requestNo++
  },
})
