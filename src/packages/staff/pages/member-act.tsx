import { useRouter } from '@tarojs/taro'
import { RequireRole } from '@/components/require-role'
import { MemberAct } from '@/features/staff/components/member-act'

/** 代办 (staff): act for a member (`?memberId=` chosen already, else found here). */
export default function MemberActPage() {
  const { params } = useRouter()
  const memberId = Number(params.memberId)
  return (
    <RequireRole roles={['staff', 'admin']}>
      {() => (
        <MemberAct memberId={Number.isInteger(memberId) && memberId > 0 ? memberId : undefined} />
      )}
    </RequireRole>
  )
}
