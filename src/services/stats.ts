import { statsRoutes as routes } from '@/contract/routes/stats'
import type { StatsResponse } from '@/contract/stats'
import { openSpreadsheet, XLSX_MEDIA_TYPE, type SavedFile } from '@/services/download'
import { call, fileRequest } from '@/services/http'

/** Which figures: a union's subtree (default: the staff member's own union) and a period of days. */
export interface StatsFilter {
  unionId?: number
  /** `YYYY-MM-DD`, Asia/Shanghai, both included. */
  from: string
  to: string
}

const queryOf = (f: StatsFilter) => ({
  from: f.from,
  to: f.to,
  ...(f.unionId === undefined ? {} : { unionId: f.unionId }),
})

/** 数据看板: the figures of a union's subtree over a period (staff: own subtree; admins: any). */
export function getStats(filter: StatsFilter): Promise<StatsResponse> {
  return call(routes.staffStats, { query: queryOf(filter) })
}

/**
 * The same figures as an .xlsx: downloaded on H5, opened in WeChat's document viewer on weapp,
 * whence staff forward it to a PC.
 */
export function openStatsXlsx(filter: StatsFilter, unionName: string): Promise<SavedFile> {
  const request = fileRequest(
    routes.staffStats,
    { query: { ...queryOf(filter), format: 'xlsx' } },
    XLSX_MEDIA_TYPE,
  )
  return openSpreadsheet({
    ...request,
    fileName: `${unionName}-数据看板-${filter.from}至${filter.to}.xlsx`,
  })
}
