/** One tile of the home grid. */
export interface HomeEntry {
  key: string
  title: string
  /** One character shown in the tile's badge. */
  badge: string
  note: string
  url: string
  /** Tab pages must be opened with switchTab. */
  isTab?: boolean
}

/** The four services every member sees. */
export const memberEntries: HomeEntry[] = [
  {
    key: 'mall',
    title: '积分商城',
    badge: '积',
    note: '积分兑换好礼',
    url: '/packages/mall/pages/index',
  },
  {
    key: 'cooling',
    title: '清凉大礼包',
    badge: '凉',
    note: '夏送清凉 自选好物',
    url: '/packages/cooling/pages/index',
  },
  {
    key: 'events',
    title: '联谊活动',
    badge: '联',
    note: '青年职工联谊',
    url: '/packages/events/pages/index',
  },
  {
    key: 'legal',
    title: '法律咨询',
    badge: '法',
    note: '预约工会律师',
    url: '/packages/legal/pages/index',
  },
]

/** The 积分 tab, opened from the balance card. */
export const pointsEntry: HomeEntry = {
  key: 'points',
  title: '我的积分',
  badge: '积',
  note: '积分明细',
  url: '/pages/points/index',
  isTab: true,
}

/** The tools entry for union staff and admins. */
export const staffEntry: HomeEntry = {
  key: 'staff',
  title: '工会干部',
  badge: '干',
  note: '干部工作台',
  url: '/packages/staff/pages/index',
}

/** The workbench of union lawyers: their consultations by day. */
export const lawyerEntry: HomeEntry = {
  key: 'lawyer',
  title: '律师工作台',
  badge: '律',
  note: '我的咨询日程',
  url: '/packages/lawyer/pages/index',
}
