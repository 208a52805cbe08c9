import { useEffect } from 'react'
import Taro from '@tarojs/taro'
import { Button, Input, Text, Textarea, View } from '@tarojs/components'
import { EmptyState } from '@/components/page-state'
import { PlaceActions } from '@/components/place-actions'
import { useMyBookingsStore } from '@/features/legal/bookings-store'
import { useMinuteClock } from '@/features/legal/clock'
import { callNote, placeNote, slotTimeText } from '@/features/legal/format'
import { BookingLimitNotice, useAtBookingLimit } from '@/features/legal/components/booking-limit'
import { DESCRIPTION_MAX } from '@/features/legal/rules'
import { chosenSlot, useBookingStore } from '@/features/legal/store'
import { legalUrls } from '@/features/legal/urls'
import './legal.scss'

/** The note under the description: who can read it. */
export const PRIVACY_NOTE = '仅你和接待律师可见，工会工作人员看不到'

async function confirmAndBook() {
  const state = useBookingStore.getState()
  const slot = chosenSlot(state)
  if (!slot) return
  const { confirm } = await Taro.showModal({
    title: '确认预约',
    content: `${slotTimeText(slot.startsAt, slot.endsAt, Date.now())}，确认预约吗？`,
    confirmText: '确认预约',
    confirmColor: '#d4380d',
    cancelText: '再想想',
  })
  if (!confirm) return
  const booking = await useBookingStore.getState().submit()
  if (booking) {
    useMyBookingsStore.getState().add(booking)
    await Taro.redirectTo({ url: legalUrls.booking(booking.id, true) })
  }
}

/** Step two: what was chosen, the contact phone and the problem; 确认预约 books. */
export function BookingForm() {
  const store = useBookingStore()
  const now = useMinuteClock()
  const slot = chosenSlot(store)
  const point = store.servicePoints.find((p) => p.id === slot?.servicePointId)
  const lawyer = store.lawyers.find((l) => l.id === slot?.lawyerId)
  const topic = store.topics.find((t) => t.id === store.topicId)
  const length = store.description.trim().length
  const atLimit = useAtBookingLimit(now)

  // Opened afresh (a reload, a killed app): the form kept on the device comes back, and the
  // catalog and slots load to show it (or the device's copy of the catalog, offline).
  useEffect(() => {
    void useBookingStore.getState().load()
    const s = useBookingStore.getState()
    if (s.servicePointId !== null && s.slotsStatus === 'idle') void s.loadSlots()
  }, [])

  useEffect(() => {
    // A slot lost to someone else sends the member back to choose again.
    if (!slot && store.submitError) {
      void Taro.navigateBack().catch(() =>
        Taro.redirectTo({ url: legalUrls.choose }).catch(() => undefined),
      )
    }
  }, [slot, store.submitError])

  // Already holding the most upcoming bookings: say so before anything is filled in.
  if (atLimit && !store.submitting) {
    return (
      <View className="page legal-form">
        <BookingLimitNotice />
      </View>
    )
  }

  if (!slot || !topic) {
    return (
      <View className="page legal-form">
        {store.submitError ? <Text className="form-error">{store.submitError}</Text> : null}
        <EmptyState text="请先选择咨询问题和时间" />
        <Button
          className="btn btn-primary btn-block"
          onClick={() => void Taro.redirectTo({ url: legalUrls.choose }).catch(() => undefined)}
        >
          去选择
        </Button>
      </View>
    )
  }

  // Field checks first, without a modal; the modal only confirms a complete form.
  const check = () => {
    if (store.check()) void confirmAndBook().catch(() => undefined)
  }

  return (
    <View className="page legal-form">
      <View className="card legal-summary">
        <View className="legal-summary-row">
          <Text className="legal-summary-label">咨询问题</Text>
          <Text className="legal-summary-value">{topic.name}</Text>
        </View>
        <View className="legal-summary-row">
          <Text className="legal-summary-label">时间</Text>
          <Text className="legal-summary-value legal-summary-time">
            {slotTimeText(slot.startsAt, slot.endsAt, now)}
          </Text>
        </View>
        {point ? (
          <View className="legal-summary-row">
            <Text className="legal-summary-label">地点</Text>
            <Text className="legal-summary-value">
              {point.name}
              {'\n'}
              {placeNote(point)}
            </Text>
          </View>
        ) : null}
        {point ? (
          <PlaceActions
            name={point.name}
            phone={point.phone}
            location={point.location}
            address={point.address}
          />
        ) : null}
        {lawyer ? (
          <View className="legal-summary-row">
            <Text className="legal-summary-label">律师</Text>
            <Text className="legal-summary-value">
              {lawyer.name}（{lawyer.firm}）
            </Text>
          </View>
        ) : null}
      </View>

      <View className="card">
        {store.submitError ? (
          <Text className="form-error legal-submit-error">{store.submitError}</Text>
        ) : null}
        <View className="field">
          <Text className="field-label">联系电话</Text>
          <Input
            className="input legal-phone"
            type="number"
            maxlength={11}
            value={store.phone}
            placeholder={
              point?.kind === 'online' ? '律师会在预约时间拨打这个号码' : '律师会用这个号码联系你'
            }
            onInput={(e) => store.setField('phone', e.detail.value)}
          />
          {point?.kind === 'online' ? (
            <Text className="legal-call-note">{callNote(point, lawyer?.name ?? null, null)}</Text>
          ) : null}
          {store.fieldErrors.phone ? (
            <Text className="field-error legal-phone-error">{store.fieldErrors.phone}</Text>
          ) : null}
        </View>
        <View className="field">
          <Text className="field-label">简单说说遇到的问题</Text>
          <Textarea
            className="textarea legal-description"
            value={store.description}
            maxlength={-1}
            placeholder="例如：公司已经两个月没发工资，我想知道怎么维权"
            onInput={(e) => store.setField('description', e.detail.value)}
          />
          <Text className={`legal-counter${length > DESCRIPTION_MAX ? ' is-over' : ''}`}>
            {length} / {DESCRIPTION_MAX}
          </Text>
          {store.fieldErrors.description ? (
            <Text className="field-error legal-description-error">
              {store.fieldErrors.description}
            </Text>
          ) : null}
          <Text className="legal-private">{PRIVACY_NOTE}</Text>
        </View>
        <Button
          className={
            store.submitting
              ? 'btn btn-primary btn-block legal-book is-busy'
              : 'btn btn-primary btn-block legal-book'
          }
          disabled={store.submitting || undefined}
          onClick={() => !store.submitting && check()}
        >
          {store.submitting ? '预约中…' : store.key ? '重新提交预约' : '确认预约'}
        </Button>
      </View>
    </View>
  )
}
