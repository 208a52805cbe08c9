import { CarePage } from '@/components/care-page'
import { useRequireSession } from '@/components/require-session'
import { CampaignsView } from '@/features/cooling/components/campaigns-view'

/** 清凉大礼包: the member's cooling campaigns. */
export default function CoolingPage() {
  const session = useRequireSession()
  return session ? (
    <CarePage>
      <CampaignsView />
    </CarePage>
  ) : null
}
