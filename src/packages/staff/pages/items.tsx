import { useRequireSession } from '@/components/require-session'
import { hasRole } from '@/services/session'
import { ItemAdmin } from '@/features/staff/components/item-admin'
import { StaffOnly } from '@/features/staff/components/staff-tools'

/** 商品管理 (staff). */
export default function ItemsPage() {
  const session = useRequireSession()
  if (!session) return null
  return hasRole(session.member, 'staff', 'admin') ? <ItemAdmin /> : <StaffOnly />
}
