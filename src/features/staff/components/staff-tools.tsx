import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { Member } from '@/contract/auth'
import { hasRole } from '@/services/session'
import '@/components/staff-list.scss'
import './staff-tools.scss'

/** Props of the staff tool list. */
export interface StaffToolsProps {
  /** The signed-in staff member or admin. */
  member: Member
}

interface Tool {
  key: string
  title: string
  note: string
  /** Page of the tool; tools without one open in a later release. */
  url?: string
  adminOnly?: boolean
}

const tools: Tool[] = [
  {
    key: 'stats',
    title: '数据看板',
    note: '会员、积分、商城、清凉、活动和法律服务的统计图表，可导出 Excel',
    url: '/packages/staff/pages/stats',
  },
  {
    key: 'org',
    title: '组织与会员管理',
    note: '工会组织树、新建工会和会员',
    url: '/packages/staff/pages/org',
    adminOnly: true,
  },
  {
    key: 'members',
    title: '会员账号',
    note: '查看微信绑定，发放激活码、解绑微信',
    url: '/packages/staff/pages/members',
  },
  {
    key: 'member-act',
    title: '为会员代办',
    note: '替没有手机的会员报名、选礼包、预约律师、兑换',
    url: '/packages/staff/pages/member-act',
  },
  {
    key: 'member-import',
    title: '导入会员',
    note: '从 Excel 或 CSV 表格批量导入、更新会员',
    url: '/packages/staff/pages/member-import',
  },
  {
    key: 'pickups',
    title: '核销提货',
    note: '扫码或输入会员的提货码，确认领取',
    url: '/packages/staff/pages/pickup',
  },
  {
    key: 'mall',
    title: '商品管理',
    note: '上架兑换商品、设置库存和兑换时间',
    url: '/packages/staff/pages/items',
  },
  {
    key: 'grants',
    title: '发放积分',
    note: '向会员或整个工会发放积分',
    url: '/packages/staff/pages/grant',
  },
  {
    key: 'cooling',
    title: '夏送清凉',
    note: '清凉活动、结束活动、装箱单和发货',
    url: '/packages/staff/pages/cooling',
  },
  {
    key: 'cooling-sites',
    title: '收货地点',
    note: '企业的项目部、工地等配送地点',
    url: '/packages/staff/pages/cooling-sites',
  },
  {
    key: 'events',
    title: '联谊活动',
    note: '新建活动、报名名单、签到、分组和送花',
    url: '/packages/staff/pages/events',
  },
  {
    key: 'legal',
    title: '法律服务',
    note: '律师、服务点、排班、停诊日和咨询预约',
    url: '/packages/staff/pages/legal',
  },
  {
    key: 'audit',
    title: '操作记录',
    note: '谁在什么时候做了哪些操作，按类型、日期和人员查看',
    url: '/packages/staff/pages/audit',
  },
]

/** 工会干部 tools (the page lets only staff and admins in); 组织与会员管理 for admins only. */
export function StaffTools({ member }: StaffToolsProps) {
  const isAdmin = hasRole(member, 'admin')
  return (
    <View className="page staff-tools">
      {tools
        .filter((tool) => !tool.adminOnly || isAdmin)
        .map((tool) => {
          const { url } = tool
          return (
            <View
              key={tool.key}
              className={url ? 'card staff-tool' : 'card staff-tool staff-tool-soon'}
              onClick={url ? () => void Taro.navigateTo({ url }).catch(() => undefined) : undefined}
            >
              <View className="staff-tool-main">
                <Text className="staff-tool-title">{tool.title}</Text>
                <Text className="staff-tool-note">{tool.note}</Text>
              </View>
              <Text className="staff-tool-side">{url ? '进入 ›' : '即将开放'}</Text>
            </View>
          )
        })}
    </View>
  )
}
