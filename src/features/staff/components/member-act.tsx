import { useEffect, useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import type { MemberSummary } from '@/contract/org'
import type { OnBehalfResponse } from '@/contract/on-behalf'
import { ErrorState, LoadingState } from '@/components/page-state'
import { errorMessage } from '@/services/http'
import { getOnBehalf } from '@/services/on-behalf'
import { searchMembers } from '@/services/org'
import {
  BookingPanel,
  PackPanel,
  RedeemPanel,
  SignupPanel,
  type ActPanelProps,
} from '@/features/staff/components/act-panels'
import '@/components/form/form.scss'
import './member-act.scss'

/** Props of the 代办 screen. */
export interface MemberActProps {
  /** A member chosen already (from the members page), else staff search for one. */
  memberId?: number
}

type Task = 'signup' | 'pack' | 'booking' | 'redeem'

const tasks: Array<{ key: Task; title: string; panel: (p: ActPanelProps) => JSX.Element }> = [
  { key: 'signup', title: '报名活动', panel: SignupPanel },
  { key: 'pack', title: '清凉礼包', panel: PackPanel },
  { key: 'booking', title: '预约律师', panel: BookingPanel },
  { key: 'redeem', title: '兑换商品', panel: RedeemPanel },
]

/** Finds a member of the staff member's unions by name or member number. */
function MemberFinder({ onPick }: { onPick: (m: MemberSummary) => void }) {
  const [q, setQ] = useState('')
  const [found, setFound] = useState<MemberSummary[] | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const search = async () => {
    if (!q.trim()) return setError('请输入会员的姓名或会员号')
    setError(null)
    setBusy(true)
    try {
      setFound(await searchMembers({ q: q.trim(), limit: 20 }))
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className="card act-finder">
      <Text className="act-finder-hint">
        为没有智能手机的会员代办：查找会员后，按会员本人的意思报名、选礼包、预约或兑换
      </Text>
      <View className="act-finder-row">
        <Input
          className="input act-search"
          placeholder="姓名或会员号"
          value={q}
          confirmType="search"
          onInput={(e) => setQ(e.detail.value)}
          onConfirm={() => void search()}
        />
        <Button
          className="btn btn-primary act-search-go"
          disabled={busy || undefined}
          onClick={() => void search()}
        >
          {busy ? '查找中…' : '查找'}
        </Button>
      </View>
      {error ? <Text className="form-error act-error">{error}</Text> : null}
      {found !== null && found.length === 0 ? (
        <Text className="act-empty">
          没有找到，请核对姓名或会员号（只能查找本工会及下级工会的会员）
        </Text>
      ) : null}
      {(found ?? []).map((m) => (
        <View key={m.id} className="act-found" role="button" onClick={() => onPick(m)}>
          <Text className="act-found-name">
            {m.name}（{m.memberNo}）
          </Text>
          <Text className="act-found-union">{m.unionName}</Text>
        </View>
      ))}
    </View>
  )
}

/**
 * 代办 (staff): find a member, then act for them — sign up for an event, compose their cooling
 * pack, book a lawyer, redeem an item at the desk. Each says what it did; the member sees
 * 由工会工作人员代办 on it.
 */
export function MemberAct({ memberId }: MemberActProps) {
  const [chosenId, setChosenId] = useState<number | null>(memberId ?? null)
  const [data, setData] = useState<OnBehalfResponse | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [task, setTask] = useState<Task>('signup')
  const [done, setDone] = useState<string[]>([])

  const load = async (id: number) => {
    setError(null)
    try {
      setData(await getOnBehalf(id))
    } catch (e) {
      setError(errorMessage(e))
    }
  }
  useEffect(() => {
    if (chosenId !== null) void load(chosenId)
  }, [chosenId])

  if (chosenId === null) {
    return (
      <View className="page act">
        <MemberFinder
          onPick={(m) => {
            setData(null)
            setDone([])
            setChosenId(m.id)
          }}
        />
      </View>
    )
  }
  const change = () => {
    setChosenId(null)
    setData(null)
    setDone([])
    setError(null)
  }
  if (!data) {
    return (
      <View className="page act">
        {error ? (
          <>
            <ErrorState message={error} onRetry={() => void load(chosenId)} />
            <Button className="btn btn-ghost btn-block act-change" onClick={change}>
              换一位会员
            </Button>
          </>
        ) : (
          <LoadingState />
        )}
      </View>
    )
  }
  const current = tasks.find((t) => t.key === task) ?? tasks[0]
  const Panel = current.panel
  return (
    <View className="page act">
      <View className="card act-member">
        <View className="act-member-text">
          <Text className="act-member-name">
            代办会员：{data.member.name}（{data.member.memberNo}）
          </Text>
          <Text className="act-member-union">{data.member.unionName}</Text>
        </View>
        <Button className="btn btn-ghost act-change" onClick={change}>
          换人
        </Button>
      </View>
      {done.map((line, i) => (
        <View key={i} className="card act-done" role="status">
          <Text className="act-done-text">✓ {line}</Text>
        </View>
      ))}
      <View className="act-tasks" role="tablist">
        {tasks.map((t) => (
          <View
            key={t.key}
            className={
              t.key === task ? `act-task act-task-${t.key} is-on` : `act-task act-task-${t.key}`
            }
            role="tab"
            aria-selected={t.key === task}
            onClick={() => setTask(t.key)}
          >
            <Text>{t.title}</Text>
          </View>
        ))}
      </View>
      <View className="card">
        <Panel
          key={`${current.key}-${done.length}`}
          member={data.member}
          data={data}
          onDone={(what) => {
            setDone([what, ...done])
            void load(chosenId)
          }}
        />
      </View>
    </View>
  )
}
