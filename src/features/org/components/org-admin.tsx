import { useEffect, useMemo } from 'react'
import { Text, View } from '@tarojs/components'
import { ErrorState, LoadingState } from '@/components/page-state'
import { useUnionsStore } from '@/components/form/unions-store'
import { unionTreeRows } from '@/components/form/union-tree'
import { UnionForm } from '@/features/org/components/union-form'
import { MemberForm } from '@/features/org/components/member-form'
import '@/components/form/form.scss'
import './org.scss'

/** 组织与会员管理 (admin; the page lets only admins in): the union tree, a new-union form and a new-member form. */
export function OrgAdmin() {
  const { unions, status, error, load } = useUnionsStore()
  const rows = useMemo(() => unionTreeRows(unions), [unions])

  useEffect(() => {
    void load()
  }, [load])

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
