import { useRouter } from '@tarojs/taro'
import { CarePage } from '@/components/care-page'
import { useRequireSession } from '@/components/require-session'
import { CampaignView } from '@/features/cooling/components/campaign-view'

/** One cooling campaign (`?id=`): compose the pack, or see it after closing. */
export default function CoolingCampaignPage() {
  const session = useRequireSession()
  const { params } = useRouter()
  return session ? (
    <CarePage>
      <CampaignView campaignId={Number(params.id)} />
    </CarePage>
  ) : null
}
