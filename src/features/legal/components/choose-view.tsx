import { useEffect, useMemo } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { EmptyState, ErrorState, KeptNotice, LoadingState } from '@/components/page-state'
import { openPage } from '@/services/navigate'
import { useMinuteClock } from '@/features/legal/clock'
import { placeNote, slotTimeText } from '@/features/legal/format'
import { dayStrip } from '@/features/legal/rules'
import { BOOKING_DAYS, chosenSlot, useBookingStore } from '@/features/legal/store'
import { legalUrls } from '@/features/legal/urls'
import { LawyerCard } from '@/features/legal/components/lawyer-card'
import { SlotPicker } from '@/features/legal/components/slot-picker'
import { BookingLimitNotice, useAtBookingLimit } from '@/features/legal/components/booking-limit'
import './legal.scss'

function go(url: string) {
  void openPage(url)
}

/**
 * 法律咨询预约, step one: a topic, a service point (workstation or online), optionally a lawyer,
 * then a day and a free slot; 下一步 opens the form.
 */
export function ChooseView() {
  const store = useBookingStore()
  const { status, error, load, loadSlots } = store
  const now = useMinuteClock()
  const days = useMemo(() => dayStrip(now, BOOKING_DAYS), [now])
  const lawyersById = useMemo(() => new Map(store.lawyers.map((l) => [l.id, l])), [store.lawyers])
  const atLimit = useAtBookingLimit(now)

  useEffect(() => {
    void load()
  }, [load])
  useEffect(() => {
    // Coming back to the page: the slots may have been booked meanwhile.
    if (useBookingStore.getState().servicePointId !== null) void loadSlots()
  }, [loadSlots])
  // Pulling down fetches the free slots again (the catalog stays as loaded).
  usePullDownRefresh(() => {
    const refresh = useBookingStore.getState().servicePointId !== null ? loadSlots() : load()
    void refresh.finally(() => Taro.stopPullDownRefresh())
  })

  if (status === 'error' && error) return <ErrorState message={error} onRetry={() => void load()} />
  if (status !== 'ready') return <LoadingState />

  // Lawyers who receive at this point in the coming days; slots of the chosen one only.
  const pointLawyers = store.lawyers.filter((l) => store.slots.some((s) => s.lawyerId === l.id))
  const visibleSlots =
    store.lawyerId === null ? store.slots : store.slots.filter((s) => s.lawyerId === store.lawyerId)
  const slot = chosenSlot(store)
  const ready = store.topicId !== null && slot !== null

  return (
    <View className="page legal">
      <KeptNotice keptAt={store.keptAt} onRetry={() => void load()} />
      <View className="legal-banner">
        <Text className="legal-banner-title">工会律师 免费咨询</Text>
        <Text className="legal-banner-note">
          遇到劳动纠纷别着急，预约工会律师，面对面或线上帮你理清思路
        </Text>
      </View>
      <View className="card legal-mine-link" onClick={() => go(legalUrls.mine)}>
        <Text>我的预约</Text>
        <Text className="muted">查看 ›</Text>
      </View>
      {atLimit ? <BookingLimitNotice /> : null}
      {atLimit ? null : (
        <>
          <View className="card legal-step legal-topics">
            <Text className="legal-step-title">1. 想咨询什么问题</Text>
            <View className="legal-choices">
              {store.topics.map((t) => (
                <View
                  key={t.id}
                  className={`legal-choice legal-topic${store.topicId === t.id ? ' is-on' : ''}`}
                  onClick={() => store.chooseTopic(t.id)}
                >
                  <Text>{t.name}</Text>
                </View>
              ))}
            </View>
          </View>

          <View className="card legal-step legal-points">
            <Text className="legal-step-title">2. 在哪里咨询</Text>
            {store.servicePoints.length === 0 ? (
              <EmptyState text="你所在的工会暂时没有法律服务点" />
            ) : (
              <View className="legal-choices">
                {store.servicePoints.map((p) => (
                  <View
                    key={p.id}
                    className={`legal-choice legal-choice-wide legal-point${
                      store.servicePointId === p.id ? ' is-on' : ''
                    }`}
                    onClick={() => store.choosePoint(p.id)}
                  >
                    <Text>{p.name}</Text>
                    <Text className="legal-choice-note">{placeNote(p)}</Text>
                  </View>
                ))}
              </View>
            )}
          </View>

          {store.servicePointId === null ? null : (
            <View className="card legal-step legal-slots">
              <Text className="legal-step-title">3. 选择时间</Text>
              {store.submitError && !store.slotId ? (
                <Text className="form-error legal-slot-lost">{store.submitError}</Text>
              ) : null}
              {store.slotsStatus === 'error' && store.slotsError ? (
                <ErrorState message={store.slotsError} onRetry={() => void loadSlots()} />
              ) : store.slotsStatus !== 'ready' || !store.date ? (
                <LoadingState text="正在查询可预约时段…" />
              ) : (
                <View>
                  {pointLawyers.length > 1 ? (
                    <View className="legal-choices legal-lawyer-filter">
                      <View
                        className={`legal-choice${store.lawyerId === null ? ' is-on' : ''}`}
                        onClick={() => store.chooseLawyer(null)}
                      >
                        <Text>不限律师</Text>
                      </View>
                      {pointLawyers.map((l) => (
                        <View
                          key={l.id}
                          className={`legal-choice${store.lawyerId === l.id ? ' is-on' : ''}`}
                          onClick={() => store.chooseLawyer(l.id)}
                        >
                          <Text>{l.name}</Text>
                        </View>
                      ))}
                    </View>
                  ) : null}
                  <SlotPicker
                    days={days}
                    date={store.date}
                    slots={visibleSlots}
                    slotId={store.slotId}
                    lawyers={lawyersById}
                    now={now}
                    onDate={store.chooseDate}
                    onSlot={store.chooseSlot}
                  />
                </View>
              )}
            </View>
          )}

          {slot ? (
            <View className="legal-step legal-chosen">
              <Text className="section-title">接待律师</Text>
              {lawyersById.get(slot.lawyerId) ? (
                <LawyerCard lawyer={lawyersById.get(slot.lawyerId)!} selected />
              ) : null}
              <Text className="form-success legal-chosen-time">
                已选：{slotTimeText(slot.startsAt, slot.endsAt, now)}
              </Text>
            </View>
          ) : null}

          <Button
            className={
              ready
                ? 'btn btn-primary btn-block legal-next'
                : 'btn btn-block legal-next is-disabled'
            }
            disabled={!ready || undefined}
            onClick={() => ready && go(legalUrls.form)}
          >
            {store.topicId === null
              ? '请先选择咨询问题'
              : slot
                ? '下一步：填写联系方式'
                : '请选择时间'}
          </Button>
        </>
      )}
    </View>
  )
}
