import { auditAreas } from '@/contract/audit'

/** Chinese names of the actions staff see most; others show the area and the raw action. */
const actionLabels: Record<string, string> = {
  'legal.description.read': '查看了咨询问题描述',
  'legal_booking.notes': '律师填写了备注',
  'legal_lawyer.create': '添加律师',
  'legal_lawyer.update': '修改律师资料',
  'legal_lawyer.retire': '停用律师',
  'legal_service_point.create': '添加服务点',
  'legal_service_point.update': '修改服务点',
  'legal_service_point.retire': '停用服务点',
  'legal_availability.create': '添加排班',
  'legal_availability.update': '修改排班',
  'legal_availability.retire': '停用排班',
  'legal_closure.create': '设置停诊日',
  'legal_closure.update': '修改停诊日',
  'legal_closure.retire': '取消停诊日',
  'cooling_campaign.create': '新建清凉活动',
  'cooling_campaign.close': '结束清凉活动',
  'cooling_pack.ship': '礼包发货',
  'cooling_pack.ship_group': '按地点批量发货',
  'cooling_site.create': '添加收货地点',
  'cooling_site.update': '修改收货地点',
  'event.create': '新建联谊活动',
  'event.checkin': '活动签到',
  'event.groups': '活动分组',
  'mall_item.create': '上架商品',
  'mall_item.update': '修改商品',
  'mall_order.fulfil': '核销提货',
  'points.grant': '发放积分',
  'member.create': '新建会员',
  'member.update': '修改会员',
  'member.import': '导入会员',
  'union.create': '新建工会',
  'wechat.bind': '绑定微信',
  'wechat.unbind': '解绑微信',
  'activation_code.issue': '发放激活码',
  'activation_code.revoke': '作废激活码',
  'session.web': '网页扫码登录',
  'session.revoke_all': '退出全部登录',
  'job.run': '运行后台任务',
}

/** `设置停诊日`, or `法律咨询 · legal_x.y` for an action without a name yet. */
export function actionLabel(action: string): string {
  const known = actionLabels[action]
  if (known) return known
  const area = action.split(/[._]/)[0] as keyof typeof auditAreas
  return `${auditAreas[area] ?? '其他'} · ${action}`
}

/** The areas of the filter, in order: [value, label]; '' is every area. */
export const areaChoices: Array<[string, string]> = [
  ['', '全部操作'],
  ...(Object.entries(auditAreas) as Array<[string, string]>),
]
