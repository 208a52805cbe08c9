import { useEffect } from 'react'
import { Text, View } from '@tarojs/components'
import { checkinBody } from '@/contract/events'
import { ErrorState, LoadingState } from '@/components/page-state'
import { groupCode, useCodeEntry } from '@/components/code-entry'
import { CodeEntry } from '@/components/form/code-entry'
import { QrCode } from '@/components/qr-code'
import { useEventDeskStore } from '@/features/events/staff/event-desk-store'

/**
 * 签到: the event's code (large text + QR) for attendees to scan, and checking members in by
 * their personal code (scan on weapp, or type it on any platform).
 */
export function EventCheckinDesk() {
  const { checkinCode, loadCheckinCode, busy, lastCheckin, checkinError, checkIn, event } =
    useEventDeskStore()
  const sending = busy === 'checkin'

  useEffect(() => {
    void loadCheckinCode()
  }, [loadCheckinCode])

  // The member's personal code has the same shape as the event's code.
  const entry = useCodeEntry((raw) => {
    const parsed = checkinBody.safeParse({ code: raw })
    return parsed.success
      ? { code: parsed.data.code }
      : { error: parsed.error.issues[0]?.message ?? '请输入签到码' }
  }, checkIn)
  const { code, setCode, scan } = entry
  const submit = entry.send

  const error = entry.error ?? checkinError

  return (
    <View>
      <View className="card event-code-card">
        <Text className="section-title">活动签到码</Text>
        <Text className="muted">投屏或打印，参与者用“联谊活动”页面扫码或输入即可签到。</Text>
        {checkinCode.status === 'error' && checkinCode.error ? (
          <ErrorState message={checkinCode.error} onRetry={() => void loadCheckinCode()} />
        ) : checkinCode.data ? (
          <View className="event-code">
            <Text className="event-code-value" userSelect>
              {groupCode(checkinCode.data)}
            </Text>
            <QrCode value={checkinCode.data} />
          </View>
        ) : (
          <LoadingState />
        )}
        {event.data ? (
          <Text className="muted">
            已签到 {event.data.checkedInCount} / 报名成功 {event.data.confirmedCount}
          </Text>
        ) : null}
      </View>

      <View className="card">
        <Text className="section-title">为会员签到</Text>
        <Text className="muted">扫描或输入会员出示的个人签到码。</Text>
        {lastCheckin ? (
          <Text className="form-success staff-checkin-done">
            {lastCheckin.memberName}（{lastCheckin.nickname}）签到成功
          </Text>
        ) : null}
        <CodeEntry
          scan="above"
          code={code}
          onInput={setCode}
          onSubmit={() => void submit(code)}
          onScan={() => void scan()}
          busy={sending}
          placeholder="会员的个人签到码"
          submitLabel="签到"
          busyLabel="签到中…"
          scanLabel="扫码签到"
          error={error}
          classes={{
            input: 'staff-checkin-input',
            submit: 'staff-checkin-submit',
            scan: 'staff-checkin-scan',
            error: 'staff-checkin-error',
            row: 'staff-checkin-type',
          }}
        />
      </View>
    </View>
  )
}
