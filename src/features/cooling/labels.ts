import type { PackStatus } from '@/contract/cooling'

/** Chinese names of pack states (member's pack and the staff packing list). */
export const packStatusLabels: Record<PackStatus, string> = {
  submitted: '已提交',
  shipped: '已发货',
  received: '已签收',
}

/** The states of a pack in order, for the timeline 已提交 → 已发货 → 已签收. */
export const packSteps: PackStatus[] = ['submitted', 'shipped', 'received']

/** The text shown for a pack with no picked destination: pick up at the union. */
export const PICKUP_LABEL = '到工会自取'
