import Taro, { useRouter } from '@tarojs/taro'
import { useEffect } from 'react'
import { useRequireSession } from '@/components/require-session'
import { hasRole } from '@/services/session'
import { ItemForm } from '@/features/staff/components/item-form'
import { StaffOnly } from '@/features/staff/components/staff-tools'

/** 新建商品, or 编辑商品 with `?id=` (staff). */
export default function ItemFormPage() {
  const session = useRequireSession()
  const { params } = useRouter()
  const itemId = params.id ? Number(params.id) : undefined
  useEffect(() => {
    Taro.setNavigationBarTitle({ title: itemId ? '编辑商品' : '新建商品' }).catch(() => undefined)
  }, [itemId])
  if (!session) return null
  return hasRole(session.member, 'staff', 'admin') ? (
    <ItemForm member={session.member} itemId={itemId} />
  ) : (
    <StaffOnly />
  )
}
