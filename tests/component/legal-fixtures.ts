import type {
  Lawyer,
  LawyerBooking,
  LegalSlot,
  LegalTopic,
  MemberBooking,
  ServicePoint,
} from '@/contract/legal'

/** 2026-11-26 (周四) 10:00 in Asia/Shanghai. */
export const NOW = new Date('2026-11-26T02:00:00.000Z')

export const topics: LegalTopic[] = [
  { id: 1, name: '劳动合同签订与解除' },
  { id: 2, name: '工资拖欠' },
  { id: 3, name: '工伤认定' },
]

export const points: ServicePoint[] = [
  {
    id: 1,
    name: '石景山区 万达广场 写字楼劳动关系工作站',
    kind: 'workstation',
    address: '北京市石景山区石景山路乙 18 号',
    channel: null,
    phone: '010-68881234',
    location: { latitude: 39.9057, longitude: 116.2165, address: null },
    unionId: 2,
    unionName: '石景山区总工会',
  },
  {
    id: 3,
    name: '线上法律咨询（电话）',
    kind: 'online',
    address: null,
    channel: 'phone',
    phone: null,
    location: null,
    unionId: 1,
    unionName: '北京市总工会',
  },
]

export const lawyers: Lawyer[] = [
  {
    id: 1,
    name: '韩律明',
    firm: '北京市京西律师事务所',
    specialties: ['劳动合同', '工伤认定'],
    bio: '从事劳动法律服务十二年。',
  },
  {
    id: 2,
    name: '苏婉清',
    firm: '北京市和衡律师事务所',
    specialties: ['工资拖欠'],
    bio: '擅长劳动争议调解。',
  },
]

/** A slot at the 万达 workstation; times are given in Asia/Shanghai. */
export function aSlot(day: string, time: string, overrides: Partial<LegalSlot> = {}): LegalSlot {
  const startsAt = new Date(`${day}T${time}:00+08:00`)
  return {
    id: `1-1-${day}T${time}`,
    lawyerId: 1,
    servicePointId: 1,
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 30 * 60_000).toISOString(),
    available: true,
    ...overrides,
  }
}

/** The member's booking, as GET /legal/bookings answers it. */
export function aBooking(overrides: Partial<MemberBooking> = {}): MemberBooking {
  return {
    id: 5,
    slotId: '1-1-2026-11-27T14:00',
    lawyerId: 1,
    lawyerName: '韩律明',
    servicePointId: 1,
    servicePointName: '石景山区 万达广场 写字楼劳动关系工作站',
    startsAt: '2026-11-27T06:00:00.000Z',
    endsAt: '2026-11-27T06:30:00.000Z',
    topicId: 2,
    topicName: '工资拖欠',
    status: 'booked',
    createdAt: '2026-11-20T02:00:00.000Z',
    cancelledAt: null,
    phone: '13912345678',
    description: '公司已经两个月没有发工资了，我想知道怎么办。',
    ratingStars: null,
    ratingComment: null,
    ...overrides,
  }
}

/** A booking as its lawyer sees it. */
export function aLawyerBooking(overrides: Partial<LawyerBooking> = {}): LawyerBooking {
  return {
    id: 5,
    slotId: '1-1-2026-11-26T09:00',
    lawyerId: 1,
    lawyerName: '韩律明',
    servicePointId: 1,
    servicePointName: '石景山区 万达广场 写字楼劳动关系工作站',
    startsAt: '2026-11-26T01:00:00.000Z',
    endsAt: '2026-11-26T01:30:00.000Z',
    topicId: 2,
    topicName: '工资拖欠',
    status: 'booked',
    createdAt: '2026-11-20T02:00:00.000Z',
    cancelledAt: null,
    memberId: 9,
    memberName: '王建军',
    phone: '13912345678',
    description: '公司已经两个月没有发工资了，我想知道怎么办。',
    notes: null,
    ratingStars: null,
    ...overrides,
  }
}
