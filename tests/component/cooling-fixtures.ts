import type {
  CoolingCampaign,
  CoolingItem,
  CoolingPack,
  CoolingSite,
  StaffCoolingCampaign,
} from '@/contract/cooling'

const HOUR = 3600_000

/** A supply as GET /cooling/campaigns answers it. */
export function anItem(overrides: Partial<CoolingItem> = {}): CoolingItem {
  return {
    id: 1,
    name: '喷雾运动水壶',
    imageUrl: null,
    quotaCost: 40,
    maxPerPack: 1,
    stockLeft: 12,
    defaultQuantity: 0,
    ...overrides,
  }
}

/**
 * An open campaign (quota 100, no piece limit) of 帕克国际工会: 水壶 40 (max 1), 帽子 30 (max 1),
 * 凉茶 15 (max 3, only 1 left), 风油精 10 (max 2), 湿巾 5 (max 4).
 */
export function aCampaign(overrides: Partial<CoolingCampaign> = {}): CoolingCampaign {
  return {
    id: 7,
    unionId: 14,
    unionName: '帕克国际工会',
    title: '夏送清凉 · 清凉大礼包私人定制',
    opensAt: new Date(Date.now() - 72 * HOUR).toISOString(),
    closesAt: new Date(Date.now() + 14 * 24 * HOUR).toISOString(),
    quota: 100,
    maxItems: null,
    status: 'open',
    closedAt: null,
    packStatus: null,
    items: [
      anItem({ id: 1, name: '喷雾运动水壶', quotaCost: 40, maxPerPack: 1, stockLeft: 12 }),
      anItem({ id: 2, name: '防晒棒球帽', quotaCost: 30, maxPerPack: 1, stockLeft: 20 }),
      anItem({ id: 3, name: '凉茶', quotaCost: 15, maxPerPack: 3, stockLeft: 1 }),
      anItem({ id: 4, name: '风油精', quotaCost: 10, maxPerPack: 2, stockLeft: 60 }),
      anItem({ id: 5, name: '清洁湿巾', quotaCost: 5, maxPerPack: 4, stockLeft: 120 }),
    ],
    ...overrides,
  }
}

/** The work sites of 帕克国际工会. */
export const sites: CoolingSite[] = [
  {
    id: 21,
    unionId: 14,
    unionName: '帕克国际工会',
    name: '朝阳总部',
    address: '北京市朝阳区望京街 10 号',
    recipient: null,
  },
  {
    id: 22,
    unionId: 14,
    unionName: '帕克国际工会',
    name: '格尔木项目部（高原）',
    address: '青海省海西蒙古族藏族自治州格尔木市 储能电站项目部',
    recipient: '马建军',
  },
]

/** A submitted pack: a 水壶 and two 风油精, picked up at the union. */
export function aPack(overrides: Partial<CoolingPack> = {}): CoolingPack {
  return {
    id: 31,
    campaignId: 7,
    items: [
      { itemId: 1, name: '喷雾运动水壶', quotaCost: 40, quantity: 1 },
      { itemId: 4, name: '风油精', quotaCost: 10, quantity: 2 },
    ],
    quotaUsed: 60,
    delivery: { kind: 'pickup' },
    status: 'submitted',
    isDefault: false,
    createdAt: '2026-07-01T02:00:00.000Z',
    updatedAt: '2026-07-01T02:00:00.000Z',
    shippedAt: null,
    receivedAt: null,
    ...overrides,
  }
}

/** A campaign as staff see it, with counts. */
export function aStaffCampaign(
  overrides: Partial<StaffCoolingCampaign> = {},
): StaffCoolingCampaign {
  const { items, packStatus: _packStatus, ...campaign } = aCampaign()
  return {
    ...campaign,
    items: items.map((i) => ({ ...i, stock: i.stockLeft + 5 })),
    counts: { members: 140, chosen: 20, default: 0, notChosen: 120, shipped: 0, received: 0 },
    close: { status: 'none', total: 0, done: 0 },
    ...overrides,
  }
}
