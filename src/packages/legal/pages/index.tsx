import { useRequireSession } from '@/components/require-session'
import { ComingSoon } from '@/components/coming-soon'

/** 法律咨询: entry of the legal consultation booking service. */
export default function LegalPage() {
  const session = useRequireSession()
  return session ? (
    <ComingSoon
      title="法律咨询预约"
      description="预约工会律师，在劳动关系工作站、工会驿站或线上咨询劳动合同、工资拖欠、工伤认定、劳动争议调解、法律援助等问题，咨询内容严格保密。"
    />
  ) : null
}
