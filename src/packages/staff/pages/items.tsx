import { RequireRole } from '@/components/require-role'
import { ItemAdmin } from '@/features/mall/staff/item-admin'
import { useStaffItemsStore } from '@/features/mall/staff/items-store'
import { usePullToRefresh } from '@/services/device'

/** 商品管理 (staff). */
export default function ItemsPage() {
  // Pull down to load the list again (the page config enables it).
  usePullToRefresh(() => useStaffItemsStore.getState().load())
  return <RequireRole roles={['staff', 'admin']}>{() => <ItemAdmin />}</RequireRole>
}
