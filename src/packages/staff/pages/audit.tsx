import { RequireRole } from '@/components/require-role'
import { AuditLog } from '@/features/audit/audit-log'
import { useAuditStore } from '@/features/audit/audit-store'
import { usePullToRefresh } from '@/services/device'

/** 操作记录 (staff): the audit log of the union's subtree, with filters. */
export default function StaffAuditPage() {
  usePullToRefresh(() => useAuditStore.getState().load())
  return <RequireRole roles={['staff', 'admin']}>{() => <AuditLog />}</RequireRole>
}
