import { RequireRole } from '@/components/require-role'
import { CoolingCampaignForm } from '@/features/cooling/staff/cooling-campaign-form'

/** 新建清凉活动 (staff). */
export default function CoolingFormPage() {
  return (
    <RequireRole roles={['staff', 'admin']}>
      {(member) => <CoolingCampaignForm member={member} />}
    </RequireRole>
  )
}
