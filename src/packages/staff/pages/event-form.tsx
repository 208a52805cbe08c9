import { useEffect } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { RequireRole } from '@/components/require-role'
import { EventForm } from '@/features/events/staff/event-form'
import { EventEditForm } from '@/features/events/staff/event-edit-form'

/** 新建联谊活动 (staff); with `?id=`, 修改活动 of that event. */
export default function EventFormPage() {
  const { params } = useRouter()
  const eventId = params.id ? Number(params.id) : null
  useEffect(() => {
    if (eventId !== null) Taro.setNavigationBarTitle({ title: '修改活动' }).catch(() => undefined)
  }, [eventId])
  return (
    <RequireRole roles={['staff', 'admin']}>
      {(member) =>
        eventId !== null ? <EventEditForm eventId={eventId} /> : <EventForm member={member} />
      }
    </RequireRole>
  )
}
