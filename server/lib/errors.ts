import { errorStatus, type ErrorCode } from '../../src/contract/errors'
import { flowersPerAttendee } from '../../src/contract/events'
import {
  cancelCutoffHours,
  maxUpcomingBookings,
  minBookingLeadHours,
  slotRangeMessages,
} from '../../src/contract/legal'

/** The Chinese message a person sees for each code, unless a route says something more precise. */
export const errorMessages: Record<ErrorCode, string> = {
  BAD_REQUEST: '请求内容不正确',
  UNAUTHENTICATED: '请先登录',
  FORBIDDEN: '没有权限进行此操作',
  NOT_FOUND: '要找的内容不存在',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  INTERNAL: '服务器开小差了，请稍后再试',
  WECHAT_LOGIN_FAILED: '微信登录失败，请重试',
  WECHAT_NOT_BOUND: '该微信还未绑定会员：请用微信绑定的手机号验证，或输入工会发放的激活码',
  WECHAT_UNAVAILABLE: '微信服务暂不可用，请稍后重试',
  DEV_LOGIN_DISABLED: '会员号登录未开启',
  PHONE_NOT_ON_ROSTER: '工会名册中没有这个手机号。请联系所在工会核对手机号，或领取激活码绑定',
  PHONE_AMBIGUOUS: '工会名册中有多位会员登记了这个手机号，无法自动绑定。请联系所在工会领取激活码',
  WECHAT_PHONE_FAILED: '手机号验证失败，请重试',
  MEMBER_ALREADY_BOUND: '该会员已绑定其他微信。如更换了微信，请联系所在工会解绑后再绑定',
  MEMBER_NOT_BOUND: '该会员还没有绑定微信',
  ACTIVATION_CODE_INVALID: '会员号或激活码不正确，或激活码已过期、已使用',
  ACTIVATION_LOCKED: '激活码错误次数过多，已暂时锁定，请稍后再试',
  QR_TICKET_NOT_FOUND: '二维码无效，请刷新网页后重新扫码',
  QR_TICKET_EXPIRED: '二维码已过期，请刷新网页后重新扫码',
  QR_TICKET_USED: '该二维码已被使用，请刷新网页后重新扫码',
  QR_APPROVE_NOT_ALLOWED: '请在微信小程序中扫码确认登录',
  MEMBER_EXISTS: '该会员号已存在',
  UNION_EXISTS: '同一上级工会下已有同名工会',
  UNION_NOT_FOUND: '所选工会不存在',
  IDEMPOTENCY_KEY_REQUIRED: '请求缺少防重复提交标识（Idempotency-Key）',
  IDEMPOTENCY_KEY_REUSED: '同一个防重复提交标识不能用于不同的请求',
  OUT_OF_STOCK: '库存不足，已被兑完',
  INSUFFICIENT_POINTS: '积分不足',
  LIMIT_EXCEEDED: '超过每人限兑数量',
  NOT_ON_SALE: '该商品不在兑换时间内',
  PRICE_CHANGED: '商品的兑换积分刚刚调整，请刷新后重试',
  NOT_CANCELLABLE: '该订单已不能取消',
  UNKNOWN_CODE: '提货码不存在，请核对后重试',
  ALREADY_FULFILLED: '该提货码已核销，不能重复领取',
  ORDER_CANCELLED: '该订单已取消，不能领取',
  ORDER_EXPIRED: '该订单已超过领取期限，不能领取',
  NO_GRANT_RECIPIENTS: '该工会及下级工会还没有会员，没有发放对象',
  OVER_QUOTA: '超出可选额度',
  OVER_ITEM_MAX: '超过该物品每份上限',
  CAMPAIGN_CLOSED: '活动已截止，不能再修改',
  CAMPAIGN_NOT_OPEN: '活动还未开始，开始后再来选择',
  CAMPAIGN_NOT_CLOSED: '活动尚未截止，截止后才能发货',
  EMPTY_PACK: '请至少选择一件物品',
  UNKNOWN_SITE: '所选收货地点不存在或不属于你所在的企业，请重新选择',
  NOT_ENTERPRISE_UNION: '收货地点只能添加在企业工会（没有下级工会的工会）下',
  SITE_EXISTS: '本工会已有同名的收货地点',
  PACK_NOT_SHIPPED: '礼包还未发货，收到后再确认',
  PACK_ALREADY_SHIPPED: '该礼包已发货',
  PACK_ALREADY_RECEIVED: '你已确认收货',
  NOT_ELIGIBLE: '不符合报名条件',
  ALREADY_SIGNED_UP: '你已经报过名了',
  SIGNUP_CLOSED: '报名已截止',
  NO_FLOWERS_LEFT: `你的 ${flowersPerAttendee} 朵花已经送完了`,
  ALREADY_SENT: '已经给 TA 送过花了',
  CANNOT_SEND_TO_SELF: '不能给自己送花',
  NOT_CHECKED_IN: '签到后才能送花',
  FLOWER_PHASE_CLOSED: '现在不能送花',
  NOT_SIGNED_UP: '你还没有报名该活动',
  NOT_CONFIRMED: '该报名还在候补中，不能签到',
  WRONG_CHECKIN_CODE: '签到码不正确，请核对后重试',
  PHASE_CHANGE_NOT_ALLOWED: '送花环节只能依次开启、结束',
  NOT_ENOUGH_ATTENDEES: '已签到的人数不足，无法分组',
  SLOT_TAKEN: '该时段已被预约，请换一个时段',
  TOO_MANY_BOOKINGS: `最多同时保留 ${maxUpcomingBookings} 个待进行的预约`,
  SLOT_IN_PAST: '该时段已过，请选择其他时段',
  TOO_LATE_TO_CANCEL: `距咨询开始不足 ${cancelCutoffHours} 小时，不能取消`,
  UNKNOWN_SLOT: '该时段不存在或已调整，请重新选择',
  NOT_RATEABLE: '咨询完成后才能评价',
  ALREADY_RATED: '你已经评价过这次咨询',
  CONSULTATION_NOT_STARTED: '咨询开始后才能记录结果',
  NOT_BOOKED: '该预约已取消或已有结果',
  LAWYER_EXISTS: '该会员已有律师资料',
  NOT_A_LAWYER: '该会员没有律师身份，请先由管理员授予律师角色',
  RANGE_TOO_LONG: slotRangeMessages.unfiltered,
  SERVICE_POINT_EXISTS: '本工会已有同名的服务点',
  CAPACITY_BELOW_CONFIRMED: '人数上限不能少于已报名成功的人数',
  CHECKIN_NOT_OPEN: '现在还不能签到',
  EVENT_NOT_STARTED: '活动开始后才能进行这一步',
  ROUND_OUT_OF_RANGE: '没有这一轮',
  UNKNOWN_MEMBER_NOS: '有会员号不存在或不在管理范围内，请核对后再发放',
  BOOKINGS_AFFECTED: '有会员已预约受影响的时段，不能直接修改。请先联系会员取消或改约',
  SLOT_TOO_SOON: `距咨询开始已不足 ${minBookingLeadHours} 小时，请选择更晚的时段`,
  ALREADY_RETIRED: '该项已停用，不能再修改',
}

/** A domain error: the route's answer is `{error:{code,message}}` with the code's status. */
export class AppError extends Error {
  /** The HTTP status, from the contract's error table. */
  readonly status: number

  constructor(
    readonly code: ErrorCode,
    message?: string,
  ) {
    super(message ?? errorMessages[code])
    this.name = 'AppError'
    this.status = errorStatus(code)
  }
}

export const badRequest = (message?: string) => new AppError('BAD_REQUEST', message)
export const notFound = (message?: string) => new AppError('NOT_FOUND', message)
export const forbidden = (message?: string) => new AppError('FORBIDDEN', message)
