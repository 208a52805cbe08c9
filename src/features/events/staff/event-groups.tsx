import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { makeGroupsBody, type Gender } from '@/contract/events'
import { ErrorState, LoadingState } from '@/components/page-state'
import { Field } from '@/components/form/field'
import { SaveButton } from '@/components/form/save-button'
import { TextField } from '@/components/form/text-field'
import { genderLabels } from '@/features/events/labels'
import { validate, type FieldErrors } from '@/services/validation'
import { useEventDeskStore } from '@/features/events/staff/event-desk-store'

const genders: Gender[] = ['male', 'female']

/**
 * 现在第几轮: the organiser announces each round; attendees' 我的分组 highlights it within a few
 * seconds. Going back is allowed (a slip corrected).
 */
function CurrentRound({ rounds }: { rounds: number }) {
  const { event, busy, setRound } = useEventDeskStore()
  const current = event.data?.currentRound ?? null
  const announce = async (round: number) => {
    const { confirm } = await Taro.showModal({
      title: `开始第 ${round} 轮`,
      content: `参与者的“我的分组”会立即显示第 ${round} 轮要去的组。`,
      confirmText: '开始',
      confirmColor: '#d4380d',
      cancelText: '取消',
    })
    if (confirm) await setRound(round)
  }
  const next = current === null ? 1 : current + 1
  return (
    <View className="card current-round">
      <Text className="section-title">
        {current === null ? '还没有开始第 1 轮' : `现在：第 ${current} 轮（共 ${rounds} 轮）`}
      </Text>
      <View className="role-chips round-chips">
        {Array.from({ length: rounds }, (_, i) => i + 1).map((r) => (
          <View
            key={r}
            className={
              r === current
                ? `role-chip role-chip-on round-chip round-chip-${r}`
                : `role-chip round-chip round-chip-${r}`
            }
            onClick={() => {
              if (r !== current && !busy) void announce(r).catch(() => undefined)
            }}
          >
            <Text>第 {r} 轮</Text>
          </View>
        ))}
      </View>
      {next <= rounds ? (
        <Button
          className={
            busy === 'round'
              ? 'btn btn-primary btn-block round-next is-busy'
              : 'btn btn-primary btn-block round-next'
          }
          disabled={busy !== null || undefined}
          onClick={() => void announce(next).catch(() => undefined)}
        >
          {busy === 'round' ? '正在通知…' : `开始第 ${next} 轮`}
        </Button>
      ) : (
        <Text className="muted">已是最后一轮。结束后可到“送花”开启送花环节。</Text>
      )}
    </View>
  )
}

/**
 * 分组: N groups, R rounds, and which gender rotates (moves on one group after every round) —
 * the other stays. Shows the groups of round 1 and, once made, which round is on now.
 */
export function EventGroups() {
  const { groups, loadGroups, busy, groupsError, makeGroups, event } = useEventDeskStore()
  const [groupCount, setGroupCount] = useState('')
  const [rounds, setRounds] = useState('')
  const [rotating, setRotating] = useState<Gender>('male')
  const [errors, setErrors] = useState<FieldErrors>({})
  const sending = busy === 'groups'

  useEffect(() => {
    void loadGroups()
  }, [loadGroups])

  const submit = async () => {
    const num = (t: string) => (t.trim() === '' ? undefined : Number(t))
    const checked = validate(makeGroupsBody, {
      groupCount: num(groupCount),
      rounds: num(rounds),
      rotating,
    })
    if (!checked.ok) {
      setErrors(checked.errors)
      return
    }
    setErrors({})
    if (groups.data) {
      const { confirm } = await Taro.showModal({
        title: '重新分组',
        content: '重新分组会替换现有的分组，参与者看到的分组也会随之改变。确定重新分组吗？',
        confirmText: '重新分组',
        confirmColor: '#d4380d',
        cancelText: '取消',
      })
      if (!confirm) return
    }
    await makeGroups(checked.data)
  }

  return (
    <View>
      <View className="card">
        <Text className="section-title">生成分组</Text>
        <Text className="muted">
          按已签到的参与者分组
          {event.data ? `（现有 ${event.data.checkedInCount} 人）` : ''}
          。一方每轮留在本组，另一方每轮结束后换到下一组，每轮见到新的朋友。
        </Text>
        <TextField
          label="分组数"
          value={groupCount}
          placeholder="例如 10"
          numeric
          inputClassName="groups-count-input"
          error={errors.groupCount}
          onInput={setGroupCount}
        />
        <TextField
          label="轮数"
          value={rounds}
          placeholder="例如 5（不多于分组数）"
          numeric
          inputClassName="groups-rounds-input"
          error={errors.rounds}
          onInput={setRounds}
        />
        <Field label="每轮换组的一方">
          <View className="role-chips">
            {genders.map((g) => (
              <View
                key={g}
                className={
                  rotating === g
                    ? `role-chip role-chip-on groups-rotating-${g}`
                    : `role-chip groups-rotating-${g}`
                }
                onClick={() => setRotating(g)}
              >
                <Text>{genderLabels[g]}生换组</Text>
              </View>
            ))}
          </View>
        </Field>
        {groupsError ? <Text className="form-error">{groupsError}</Text> : null}
        <SaveButton
          className="groups-make"
          busy={sending}
          onClick={() => void submit().catch(() => undefined)}
          label={groups.data ? '重新分组' : '生成分组'}
          busyLabel="分组中…"
        />
      </View>

      {groups.status === 'error' && groups.error ? (
        <ErrorState message={groups.error} onRetry={() => void loadGroups()} />
      ) : groups.status !== 'ready' ? (
        <LoadingState />
      ) : groups.data ? (
        <View>
          <CurrentRound rounds={groups.data.rounds} />
          <View className="card">
            <Text className="section-title">
              第 1 轮分组（共 {groups.data.groupCount} 组 · {groups.data.rounds} 轮 ·{' '}
              {genderLabels[groups.data.rotating]}生换组）
            </Text>
            {groups.data.groups.map((g) => (
              <View key={g.group} className="group-block">
                <Text className="group-name">
                  第 {g.group} 组（{g.members.length} 人）
                </Text>
                <Text className="staff-item-meta">
                  {g.members
                    .map(
                      (m) =>
                        `${m.nickname}（${genderLabels[m.gender]}${m.cohort === 'rotating' ? '·换组' : ''}）`,
                    )
                    .join('、') || '—'}
                </Text>
              </View>
            ))}
          </View>
        </View>
      ) : (
        <Text className="muted groups-none">还没有分组</Text>
      )}
    </View>
  )
}
