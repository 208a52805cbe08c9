import { CarePage } from '@/components/care-page'
import { useRequireSession } from '@/components/require-session'
import { ChooseView } from '@/features/legal/components/choose-view'

/** 法律咨询: choose a topic, a place and a time with a union lawyer. */
export default function LegalPage() {
  const session = useRequireSession()
  return session ? (
    <CarePage>
      <ChooseView />
    </CarePage>
  ) : null
}
