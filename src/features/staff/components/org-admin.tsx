import { useEffect, useMemo } from 'react'
import { Text, View } from '@tarojs/components'
import type { Member } from '@/contract/auth'
import { ErrorState, LoadingState } from '@/components/page-state'
import { hasRole } from '@/services/session'
import { useOrgStore } from '@/features/staff/store'
import { unionTreeRows } from '@/features/staff/union-tree'
import { UnionForm } from '@/features/staff/components/union-form'
import { MemberForm } from '@/features/staff/components/member-form'
import './staff.scss'

/** Props of the organisation page. */
export interface OrgAdminProps {
  /** The signed-in member; only admins may use the page. */
  member: Member
}

/** 组织与会员管理 (admin): the union tree, a new-union form and a new-member form. */
export function OrgAdmin({ member }: OrgAdminProps) {
  const isAdmin = hasRole(member, 'admin')
  const { unions, status, error, load } = useOrgStore()
  const rows = useMemo(() => unionTreeRows(unions), [unions])

  useEffect(() => {
    if (isAdmin) void load()
  }, [isAdmin, load])

  if (!isAdmin) {
    return (
      <View className="state">
        <Text>仅管理员可用</Text>
      </View>
    )
  }
  if (status === 'error' && error) return <ErrorState message={error} onRetry={() => void load()} />
  if (status !== 'ready') return <LoadingState />

  return (
    <View className="page org">
      <Text className="section-title">工会组织树</Text>
      <View className="card org-tree">
        {rows.map(({ union, depth }) => (
          <View key={union.id} className="org-tree-row" style={{ paddingLeft: `${depth * 1.5}em` }}>
            <Text className={depth === 0 ? 'org-tree-name org-tree-root' : 'org-tree-name'}>
              {depth > 0 ? '└ ' : ''}
              {union.name}
            </Text>
          </View>
        ))}
      </View>

      <Text className="section-title">新建工会</Text>
      <UnionForm rows={rows} />

      <Text className="section-title">新建会员</Text>
      <MemberForm rows={rows} />
    </View>
  )
}
