import { useEffect } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { flowersPerAttendee, type Attendee, type FlowersResponse } from '@/contract/events'
import { genderLabels } from '@/features/events/labels'
import { EmptyState, ErrorState, KeptNotice, LoadingState } from '@/components/page-state'
import { useFlowersStore } from '@/features/events/flowers-store'
import { usePolling } from '@/features/events/use-polling'
import './events.scss'

/** Props of the flowers page. */
export interface FlowersViewProps {
  eventId: number
}

async function confirmSend(attendee: Attendee) {
  const { confirm } = await Taro.showModal({
    title: `送一朵花给「${attendee.nickname}」`,
    content:
      '送出后不可撤回。对方永远不会知道是谁送的；如果你们互相送了花，送花结束时会同时揭晓“牵手成功”。',
    confirmText: '送出',
    confirmColor: '#d4380d',
    cancelText: '再想想',
  })
  if (confirm) await useFlowersStore.getState().send(attendee.attendeeId)
}

/** Gender and birth year, only as far as the attendee chose to show them (else nothing). */
function details(a: Attendee): string {
  return [
    a.gender ? genderLabels[a.gender] : null,
    a.birthYear !== undefined ? `${a.birthYear} 年` : null,
  ]
    .filter(Boolean)
    .join(' · ')
}

/** The member's flowers as icons: bright ones are left to send, pale ones are sent. */
function FlowerIcons({ left }: { left: number }) {
  return (
    <View className="flower-icons" aria-label={`还剩 ${left} 朵花`}>
      {Array.from({ length: flowersPerAttendee }, (_, i) => (
        <Text key={i} className={i < left ? 'flower-icon is-left' : 'flower-icon is-sent'}>
          🌹
        </Text>
      ))}
    </View>
  )
}

/**
 * What the member learns of one-sided flowers once the phase is closed: whether any arrived, never
 * how many nor from whom — and nothing at all when too few could have sent one (see the contract).
 */
function OneSidedNote({ flowers }: { flowers: FlowersResponse }) {
  const matched = flowers.matches.length > 0
  if (flowers.oneSided === 'some') {
    return (
      <View className="flowers-one-sided is-some">
        <Text className="flowers-received">
          {matched ? '另外，还有人向你送了花' : '有人向你送了花'}
        </Text>
        <Text className="flowers-privacy">为保护送花人，不显示是谁送的，也不显示有几朵。</Text>
      </View>
    )
  }
  if (flowers.oneSided === 'withheld') {
    return (
      <View className="flowers-one-sided is-withheld">
        <Text className="flowers-privacy">
          本场可能向你送花的人不多，为保护送花人，不显示你是否收到了{matched ? '其他的' : ''}花。
        </Text>
      </View>
    )
  }
  if (flowers.oneSided === 'none' && !matched) {
    return (
      <View className="flowers-one-sided is-none">
        <Text className="flowers-received">这次没有收到花，别灰心</Text>
      </View>
    )
  }
  return null
}

function WaitingPhase({ onReload }: { onReload: () => void }) {
  return (
    <View className="card flowers-waiting">
      <Text className="flowers-big">🌷</Text>
      <Text className="flowers-title">送花环节还没开始</Text>
      <Text className="flowers-text">
        先和大家好好聊聊吧。主持人开启送花后，你会有 {flowersPerAttendee}{' '}
        朵花，可以送给今天认识的心仪的人。
      </Text>
      <Button className="btn btn-primary flowers-reload" onClick={onReload}>
        刷新
      </Button>
    </View>
  )
}

function OpenPhase({
  flowers,
  attendees,
  sendingTo,
  sendError,
  onReload,
}: {
  flowers: FlowersResponse
  attendees: Attendee[]
  sendingTo: string | null
  sendError: string | null
  onReload: () => void
}) {
  const sent = new Set(flowers.sentTo)
  return (
    <>
      <View className="card flowers-head">
        <FlowerIcons left={flowers.left} />
        <Text className="flowers-left">
          {flowers.left > 0 ? `还剩 ${flowers.left} 朵花` : `${flowersPerAttendee} 朵花都已送出`}
        </Text>
        <Text className="flowers-text">
          {`每人 ${flowersPerAttendee} 朵花，每人最多送一朵，送出后不可撤回。牵手结果会在送花结束时一起揭晓；收到的花永远不会显示是谁送的。`}
        </Text>
      </View>
      {sendError ? <Text className="form-error flowers-error">{sendError}</Text> : null}
      {attendees.length === 0 ? <EmptyState text="还没有其他已签到的参与者" /> : null}
      {attendees.map((a) => {
        const isSent = sent.has(a.attendeeId)
        const sending = sendingTo === a.attendeeId
        const canSend = !isSent && flowers.left > 0 && sendingTo === null
        return (
          <View key={a.attendeeId} className={isSent ? 'card attendee is-sent' : 'card attendee'}>
            <View className="attendee-main">
              <Text className="attendee-name">{a.nickname}</Text>
              {details(a) ? <Text className="attendee-details">{details(a)}</Text> : null}
              {a.intro ? <Text className="attendee-intro">{a.intro}</Text> : null}
            </View>
            {isSent ? (
              <Text className="attendee-sent">🌹 已送花</Text>
            ) : (
              <Button
                className={
                  canSend
                    ? 'btn btn-primary attendee-send'
                    : `btn btn-primary attendee-send ${sending ? 'is-busy' : 'is-disabled'}`
                }
                disabled={!canSend || undefined}
                onClick={() => canSend && void confirmSend(a).catch(() => undefined)}
              >
                {sending ? '送出中…' : '送花'}
              </Button>
            )}
          </View>
        )
      })}
      <Button className="btn btn-ghost btn-block flowers-reload" onClick={onReload}>
        刷新，查看是否已揭晓
      </Button>
    </>
  )
}

function ClosedPhase({ flowers }: { flowers: FlowersResponse }) {
  if (flowers.matches.length === 0) {
    return (
      <View className="card flowers-result is-none">
        <Text className="flowers-big">🌿</Text>
        <Text className="flowers-title">送花已结束</Text>
        <OneSidedNote flowers={flowers} />
        <Text className="flowers-text">
          这一次没有互相送花的缘分，但今天认识的每一位朋友都是收获。感谢你的参与，愿下一次相遇更美好！
        </Text>
      </View>
    )
  }
  return (
    <View className="card flowers-result is-match">
      <Text className="flowers-big">💞</Text>
      <Text className="flowers-title match-title">牵手成功</Text>
      <Text className="flowers-text">
        你们互相送出了鲜花——心意相通，就在今天。不妨大方地打个招呼，从一杯茶、一次散步开始吧。
      </Text>
      <View className="match-list">
        {flowers.matches.map((m) => (
          <View key={m.attendeeId} className="match">
            <Text className="match-icon">🌹</Text>
            <Text className="match-name">{m.nickname}</Text>
          </View>
        ))}
      </View>
      <OneSidedNote flowers={flowers} />
    </View>
  )
}

/**
 * 送花: before the phase opens a waiting note; while open the checked-in attendees as cards with
 * 3 flowers to send (each confirmed: final); once the organiser closes it, the matches (牵手成功).
 */
export function FlowersView({ eventId }: FlowersViewProps) {
  const { flowers, attendees, status, error, keptAt, sendingTo, sendError, load } =
    useFlowersStore()
  const current = useFlowersStore((s) => s.eventId === eventId)

  useEffect(() => {
    void load(eventId)
  }, [load, eventId])
  useDidShow(() => {
    if (useFlowersStore.getState().status === 'ready') void load(eventId)
  })
  usePullDownRefresh(() => {
    void load(eventId).finally(() => Taro.stopPullDownRefresh())
  })
  // Live while there is something to wait for: the phase opening, then the 牵手 reveal. Not
  // while a flower is on its way (its answer updates the count itself).
  usePolling(
    () => {
      if (useFlowersStore.getState().sendingTo === null) return load(eventId, { quiet: true })
    },
    // A closed phase shown from the device's copy still asks, to clear the notice once online.
    { enabled: !(current && flowers?.phase === 'closed' && !keptAt) },
  )

  if (!current || status === 'idle' || status === 'loading') return <LoadingState />
  if (status === 'error' && error) {
    return <ErrorState message={error} onRetry={() => void load(eventId)} />
  }
  if (!flowers) return <LoadingState />

  const reload = () => void load(eventId)
  return (
    <View className="page flowers">
      <KeptNotice keptAt={keptAt} onRetry={reload} />
      {flowers.phase === 'not_open' ? (
        <WaitingPhase onReload={reload} />
      ) : flowers.phase === 'closed' ? (
        <ClosedPhase flowers={flowers} />
      ) : (
        <OpenPhase
          flowers={flowers}
          attendees={attendees}
          sendingTo={sendingTo}
          sendError={sendError}
          onReload={reload}
        />
      )}
    </View>
  )
}
