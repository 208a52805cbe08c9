import Taro, { useRouter } from '@tarojs/taro'
import { useEffect } from 'react'
import { RequireRole } from '@/components/require-role'
import { ItemForm } from '@/features/mall/staff/item-form'

/** 新建商品, or 编辑商品 with `?id=` (staff). */
export default function ItemFormPage() {
  const { params } = useRouter()
  const itemId = params.id ? Number(params.id) : undefined
  useEffect(() => {
    Taro.setNavigationBarTitle({ title: itemId ? '编辑商品' : '新建商品' }).catch(() => undefined)
  }, [itemId])
  return (
    <RequireRole roles={['staff', 'admin']}>
      {(member) => <ItemForm member={member} itemId={itemId} />}
    </RequireRole>
  )
}
