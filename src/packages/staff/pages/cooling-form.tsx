import { useRequireSession } from '@/components/require-session'
import { hasRole } from '@/services/session'
import { CoolingCampaignForm } from '@/features/staff/components/cooling-campaign-form'
import { StaffOnly } from '@/features/staff/components/staff-tools'

/** 新建清凉活动 (staff). */
export default function CoolingFormPage() {
  const session = useRequireSession()
  if (!session) return null
  return hasRole(session.member, 'staff', 'admin') ? (
    <CoolingCampaignForm member={session.member} />
  ) : (
    <StaffOnly />
  )
}
