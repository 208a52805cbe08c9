import { ScrollView, Text, View } from '@tarojs/components'
import type { Lawyer, LegalSlot } from '@/contract/legal'
import { clockText } from '@/features/legal/format'
import { hasFreeSlot, onDay, type StripDay } from '@/features/legal/rules'

/** Props of the slot picker. */
export interface SlotPickerProps {
  days: StripDay[]
  /** The day shown (`YYYY-MM-DD`). */
  date: string
  slots: LegalSlot[]
  /** The chosen slot's id. */
  slotId: string | null
  /** Lawyers by id, to name them when a day has more than one. */
  lawyers: Map<number, Lawyer>
  now: number
  onDate: (date: string) => void
  onSlot: (slotId: string) => void
}

/**
 * Days as a horizontal strip (今天 / 明天 / 周三 11/26) and the chosen day's slots as chips;
 * booked slots stay visible but disabled.
 */
export function SlotPicker({
  days,
  date,
  slots,
  slotId,
  lawyers,
  now,
  onDate,
  onSlot,
}: SlotPickerProps) {
  const daySlots = onDay(slots, date)
  const manyLawyers = new Set(daySlots.map((s) => s.lawyerId)).size > 1
  return (
    <View className="slot-picker">
      <ScrollView scrollX className="day-strip" enableFlex>
        {days.map((day) => {
          const free = hasFreeSlot(slots, day.date, now)
          return (
            <View
              key={day.date}
              className={`day-chip${day.date === date ? ' is-on' : ''}${free ? '' : ' is-empty'}`}
              data-date={day.date}
              onClick={() => onDate(day.date)}
            >
              <Text className="day-chip-label">{day.label}</Text>
              <Text className="day-chip-date">{day.short}</Text>
            </View>
          )
        })}
      </ScrollView>
      {daySlots.length === 0 ? (
        <Text className="muted slot-none">这一天没有可预约的时段，看看其他日子吧</Text>
      ) : (
        <View className="slot-chips">
          {daySlots.map((slot) => {
            const taken = !slot.available
            const label = `${clockText(slot.startsAt)}${
              manyLawyers ? ` ${lawyers.get(slot.lawyerId)?.name ?? ''}` : ''
            }`
            return (
              <View
                key={slot.id}
                className={`slot-chip${taken ? ' is-taken' : ''}${slot.id === slotId ? ' is-on' : ''}`}
                aria-disabled={taken || undefined}
                onClick={taken ? undefined : () => onSlot(slot.id)}
              >
                <Text>{taken ? `${label} 已约` : label}</Text>
              </View>
            )
          })}
        </View>
      )}
    </View>
  )
}
