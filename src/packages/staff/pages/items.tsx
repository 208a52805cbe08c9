import { RequireRole } from '@/components/require-role'
import { ItemAdmin } from '@/features/mall/staff/item-admin'

/** 商品管理 (staff). */
export default function ItemsPage() {
  return <RequireRole roles={['staff', 'admin']}>{() => <ItemAdmin />}</RequireRole>
}
