import { useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { checkinBody, type MyRegistration } from '@/contract/events'
import { groupCode, useCodeEntry } from '@/components/code-entry'
import { CodeEntry } from '@/components/form/code-entry'
import { QrCode } from '@/components/qr-code'
import { useEventStore } from '@/features/events/event-store'
import { formatDateTime } from '@/services/time'
import { useBrightScreen } from '@/services/device'
import { PrivacySheet } from '@/components/privacy-sheet'

/** Props of the check-in panel. */
export interface CheckinPanelProps {
  registration: MyRegistration
  /** When check-in opens and what it earns (the server refuses before then, saying when). */
  event?: { checkinOpensAt: string; checkinPoints: number }
}

/**
 * 现场签到: scan the event's code (weapp camera) or type it (both platforms), or show one's own
 * code as a QR for staff to scan.
 */
export function CheckinPanel({ registration, event }: CheckinPanelProps) {
  const { busy, checkinError, checkIn } = useEventStore()
  const [showMine, setShowMine] = useState(false)
  const sending = busy === 'checkin'

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
    <View className="card checkin-panel">
      <Text className="section-title">现场签到</Text>
      <Text className="muted">到达会场后，扫描现场的活动签到码，或输入签到码完成签到。</Text>
      {event && Date.parse(event.checkinOpensAt) > Date.now() ? (
        <Text className="muted checkin-opens">
          签到于 {formatDateTime(event.checkinOpensAt)} 开放（活动开始前 1 小时）
        </Text>
      ) : null}
      {event && event.checkinPoints > 0 ? (
        <Text className="muted checkin-points">签到即得 {event.checkinPoints} 积分</Text>
      ) : null}
      <CodeEntry
        scan="above"
        code={code}
        onInput={setCode}
        onSubmit={() => void submit(code)}
        onScan={() => void scan()}
        busy={sending}
        placeholder="输入现场签到码"
        confirmType="done"
        submitLabel="签到"
        busyLabel="签到中…"
        scanLabel="扫码签到"
        error={error}
        classes={{
          input: 'checkin-code-input',
          submit: 'checkin-submit',
          scan: 'checkin-scan',
          error: 'checkin-error',
          row: 'checkin-type',
        }}
      />

      <View className="checkin-mine">
        <Button
          className="btn btn-ghost btn-block checkin-show-mine"
          onClick={() => setShowMine(!showMine)}
        >
          {showMine ? '收起我的签到码' : '出示我的签到码'}
        </Button>
        {showMine ? <MyCode code={registration.checkinCode} /> : null}
      </View>
      <PrivacySheet />
    </View>
  )
}

/** The member's own check-in code, shown at full brightness for staff to scan (weapp). */
function MyCode({ code }: { code: string }) {
  useBrightScreen()
  return (
    <View className="my-code">
      <Text className="my-code-label">我的签到码</Text>
      <Text className="my-code-value" userSelect>
        {groupCode(code)}
      </Text>
      <QrCode value={code} />
      <Text className="muted">请向工作人员出示，扫码后即完成签到</Text>
    </View>
  )
}
