import { useRef, useState } from 'react'
import { Button, Switch, Text, Textarea, View } from '@tarojs/components'
import type { MemberSummary } from '@/contract/org'
import type { OnBehalfResponse } from '@/contract/on-behalf'
import { checkPack, type PackLineInput } from '@/contract/cooling-pack'
import type { LegalSlot } from '@/contract/legal'
import { Field } from '@/components/form/field'
import { SaveButton } from '@/components/form/save-button'
import { TextField } from '@/components/form/text-field'
import { errorMessage, newIdempotencyKey } from '@/services/http'
import { bookFor, listMemberSlots, redeemFor, savePackFor, signUpFor } from '@/services/on-behalf'
import { formatDateTime, inAppZone } from '@/services/time'

/** Props every 代办 panel gets. */
export interface ActPanelProps {
  /** The member staff act for. */
  member: MemberSummary
  /** What staff may do for them (events, campaigns, items, topics). */
  data: OnBehalfResponse
  /** Called with what was done, in words, once it is done (the overview loads again). */
  onDone: (what: string) => void
}

/** A choice among a few options, as buttons (large targets, the chosen one marked in words too). */
function Choices<T extends string | number>(props: {
  options: Array<{ value: T; label: string; note?: string }>
  value: T | null
  onChange: (value: T) => void
  className: string
}) {
  return (
    <View className={`act-choices ${props.className}`}>
      {props.options.map((o) => {
        const on = o.value === props.value
        return (
          <View
            key={String(o.value)}
            className={on ? 'act-choice is-on' : 'act-choice'}
            role="radio"
            aria-checked={on}
            onClick={() => props.onChange(o.value)}
          >
            <Text className="act-choice-label">
              {on ? '✓ ' : ''}
              {o.label}
            </Text>
            {o.note ? <Text className="act-choice-note">{o.note}</Text> : null}
          </View>
        )
      })}
    </View>
  )
}

/** − n + for a quantity within 0…max. */
function Stepper(props: {
  value: number
  max: number
  min?: number
  onChange: (n: number) => void
  className: string
}) {
  const min = props.min ?? 0
  return (
    <View className={`act-stepper ${props.className}`}>
      <Button
        className="btn btn-ghost act-step act-step-minus"
        disabled={props.value <= min || undefined}
        onClick={() => props.onChange(Math.max(min, props.value - 1))}
      >
        −
      </Button>
      <Text className="act-step-value">{props.value}</Text>
      <Button
        className="btn btn-ghost act-step act-step-plus"
        disabled={props.value >= props.max || undefined}
        onClick={() => props.onChange(Math.min(props.max, props.value + 1))}
      >
        +
      </Button>
    </View>
  )
}

// ------------------------------------------------------------------ 报名活动

/** 报名活动: an event open for sign-up, with the profile the member dictates. */
export function SignupPanel({ member, data, onDone }: ActPanelProps) {
  // Open for sign-up, and the member not signed up (a cancelled registration may sign up again).
  const open = data.events.filter(
    (e) => e.signupOpen && (!e.myRegistration || e.myRegistration.status === 'cancelled'),
  )
  const [eventId, setEventId] = useState<number | null>(null)
  const [nickname, setNickname] = useState('')
  const [gender, setGender] = useState<'male' | 'female' | null>(null)
  const [birthYear, setBirthYear] = useState('')
  const [intro, setIntro] = useState('')
  const [showDetails, setShowDetails] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const key = useRef<string | null>(null)

  if (open.length === 0) {
    return <Text className="act-empty">{member.name} 现在没有可报名的活动</Text>
  }
  const submit = async () => {
    setError(null)
    const event = open.find((e) => e.id === eventId)
    const year = Number(birthYear)
    if (!event) return setError('请选择活动')
    if (!nickname.trim()) return setError('请填写昵称')
    if (!gender) return setError('请选择性别')
    if (!/^\d{4}$/.test(birthYear)) return setError('请填写 4 位出生年份，如 1995')
    setBusy(true)
    key.current ??= newIdempotencyKey()
    try {
      const reg = await signUpFor(
        event.id,
        {
          memberId: member.id,
          profile: { nickname: nickname.trim(), gender, birthYear: year, intro, showDetails },
        },
        { idempotencyKey: key.current },
      )
      key.current = null
      onDone(
        reg.status === 'waitlisted'
          ? `已为${member.name}报名「${event.title}」：名额已满，候补第 ${reg.waitlistPosition ?? '?'} 位`
          : `已为${member.name}报名「${event.title}」：报名成功，请提醒会员 ${formatDateTime(event.startsAt)} 到场签到`,
      )
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className="act-panel act-signup">
      <Field label="活动">
        <Choices
          className="act-events"
          value={eventId}
          onChange={(v) => {
            key.current = null
            setEventId(v)
          }}
          options={open.map((e) => ({
            value: e.id,
            label: e.title,
            note: `${formatDateTime(e.startsAt)} · ${e.venue}`,
          }))}
        />
      </Field>
      <TextField
        label="昵称（会员口述）"
        value={nickname}
        inputClassName="act-nickname"
        maxlength={20}
        onInput={setNickname}
      />
      <Field label="性别">
        <Choices
          className="act-gender"
          value={gender}
          onChange={setGender}
          options={[
            { value: 'male', label: '男' },
            { value: 'female', label: '女' },
          ]}
        />
      </Field>
      <TextField
        label="出生年份"
        value={birthYear}
        numeric
        placeholder="如 1995"
        inputClassName="act-birth-year"
        maxlength={4}
        onInput={setBirthYear}
      />
      <Field label="自我介绍（可不填）">
        <Textarea
          className="textarea act-intro"
          value={intro}
          maxlength={100}
          onInput={(e) => setIntro(e.detail.value)}
        />
      </Field>
      <View className="act-switch-row">
        <Text>向其他参加者展示性别和出生年份</Text>
        <Switch checked={showDetails} onChange={(e) => setShowDetails(e.detail.value)} />
      </View>
      {error ? <Text className="form-error act-error">{error}</Text> : null}
      <SaveButton
        busy={busy}
        className="act-submit"
        label={`为${member.name}报名`}
        busyLabel="正在报名…"
        onClick={() => void submit()}
      />
    </View>
  )
}

// ------------------------------------------------------------------ 清凉礼包

/** 清凉礼包: compose the member's pack within the quota (the member's rules, checked as they go). */
export function PackPanel({ member, data, onDone }: ActPanelProps) {
  const open = data.campaigns.filter((c) => c.status === 'open')
  const [campaignId, setCampaignId] = useState<number | null>(open.length === 1 ? open[0].id : null)
  const [lines, setLines] = useState<Record<number, number>>({})
  const [siteId, setSiteId] = useState<number | 'pickup'>('pickup')
  const [recipient, setRecipient] = useState(member.name)
  const [phone, setPhone] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const campaign = open.find((c) => c.id === campaignId)
  const chosen: PackLineInput[] = Object.entries(lines)
    .filter(([, n]) => n > 0)
    .map(([id, quantity]) => ({ itemId: Number(id), quantity }))
  // The member's own rules, as they choose (the server checks them again).
  const check = campaign ? checkPack(campaign, chosen) : null

  if (open.length === 0) {
    return <Text className="act-empty">{member.name} 现在没有进行中的清凉活动</Text>
  }
  const used = campaign
    ? chosen.reduce(
        (n, l) => n + (campaign.items.find((i) => i.id === l.itemId)?.quotaCost ?? 0) * l.quantity,
        0,
      )
    : 0
  const submit = async () => {
    setError(null)
    if (!campaign) return setError('请选择活动')
    if (check && !check.ok) return setError(check.message)
    setBusy(true)
    try {
      const pack = await savePackFor(campaign.id, member.id, {
        items: chosen,
        delivery:
          siteId === 'pickup'
            ? { kind: 'pickup' }
            : { kind: 'site', siteId, recipient: recipient.trim(), phone: phone.trim() },
      })
      onDone(
        `已为${member.name}提交「${campaign.title}」礼包：${pack.items
          .map((i) => `${i.name}×${i.quantity}`)
          .join('、')}（用了 ${pack.quotaUsed}/${campaign.quota} 额度，${
          pack.delivery.kind === 'pickup' ? '到工会自取' : `送到${pack.delivery.siteName}`
        }）`,
      )
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className="act-panel act-pack">
      {open.length > 1 ? (
        <Field label="活动">
          <Choices
            className="act-campaigns"
            value={campaignId}
            onChange={(v) => {
              setCampaignId(v)
              setLines({})
            }}
            options={open.map((c) => ({
              value: c.id,
              label: c.title,
              note: c.packStatus ? '会员已有礼包，提交将替换' : '会员还没有选择',
            }))}
          />
        </Field>
      ) : null}
      {campaign ? (
        <>
          <Text className="act-quota">
            {campaign.title}：额度 {used}/{campaign.quota}
            {campaign.packStatus ? '（会员已有礼包，提交将替换）' : ''}
          </Text>
          {campaign.items.map((item) => (
            <View key={item.id} className="act-item">
              <View className="act-item-text">
                <Text className="act-item-name">{item.name}</Text>
                <Text className="act-item-note">
                  每件 {item.quotaCost} 额度 · 每包最多 {item.maxPerPack} 件 · 余 {item.stockLeft}
                </Text>
              </View>
              <Stepper
                className={`act-item-${item.id}`}
                value={lines[item.id] ?? 0}
                max={Math.min(item.maxPerPack, item.stockLeft)}
                onChange={(n) => setLines({ ...lines, [item.id]: n })}
              />
            </View>
          ))}
          <Field label="领取方式">
            <Choices
              className="act-delivery"
              value={siteId}
              onChange={setSiteId}
              options={[
                { value: 'pickup' as const, label: '到工会自取' },
                ...data.sites.map((s) => ({
                  value: s.id,
                  label: `送到${s.name}`,
                  note: s.address,
                })),
              ]}
            />
          </Field>
          {siteId !== 'pickup' ? (
            <>
              <TextField
                label="收件人"
                value={recipient}
                inputClassName="act-recipient"
                maxlength={20}
                onInput={setRecipient}
              />
              <TextField
                label="收件人手机"
                value={phone}
                numeric
                inputClassName="act-phone"
                maxlength={11}
                onInput={setPhone}
              />
            </>
          ) : null}
          {check && !check.ok && chosen.length > 0 ? (
            <Text className="form-error act-pack-problem">{check.message}</Text>
          ) : null}
        </>
      ) : null}
      {error ? <Text className="form-error act-error">{error}</Text> : null}
      <SaveButton
        busy={busy}
        className="act-submit"
        label={`为${member.name}提交礼包`}
        busyLabel="正在提交…"
        onClick={() => void submit()}
      />
    </View>
  )
}

// ------------------------------------------------------------------ 预约律师

const DAY = 86_400_000

/** 预约律师: a slot, a topic, the member's phone and their problem (only the lawyer reads it). */
export function BookingPanel({ member, data, onDone }: ActPanelProps) {
  const [slots, setSlots] = useState<LegalSlot[] | null>(null)
  const [slotId, setSlotId] = useState<string | null>(null)
  const [topicId, setTopicId] = useState<number | null>(null)
  const [phone, setPhone] = useState('')
  const [description, setDescription] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const key = useRef<string | null>(null)

  /** Who and where: `李明 律师 · 万达工作站`. */
  const slotNote = (slot: LegalSlot) => {
    const lawyer = data.lawyers.find((l) => l.id === slot.lawyerId)
    const point = data.servicePoints.find((p) => p.id === slot.servicePointId)
    return [lawyer ? `${lawyer.name} 律师` : null, point?.name].filter(Boolean).join(' · ')
  }
  const loadSlots = async () => {
    setError(null)
    try {
      const from = inAppZone(new Date()).format('YYYY-MM-DD')
      const to = inAppZone(new Date(Date.now() + 13 * DAY)).format('YYYY-MM-DD')
      const list = await listMemberSlots(member.id, { from, to })
      setSlots(list.filter((s) => s.available).slice(0, 30))
    } catch (e) {
      setError(errorMessage(e))
    }
  }
  if (slots === null) {
    return (
      <View className="act-panel act-booking">
        <Button
          className="btn btn-primary btn-block act-load-slots"
          onClick={() => void loadSlots()}
        >
          查看可预约的时段
        </Button>
        {error ? <Text className="form-error act-error">{error}</Text> : null}
      </View>
    )
  }
  const submit = async () => {
    setError(null)
    const slot = slots.find((s) => s.id === slotId)
    if (!slot) return setError('请选择时段')
    if (topicId === null) return setError('请选择咨询主题')
    setBusy(true)
    key.current ??= newIdempotencyKey()
    try {
      const booking = await bookFor(
        { memberId: member.id, slotId: slot.id, topicId, phone: phone.trim(), description },
        { idempotencyKey: key.current },
      )
      key.current = null
      setDescription('')
      onDone(
        `已为${member.name}预约 ${formatDateTime(booking.startsAt)} ${booking.lawyerName} 律师（${booking.servicePointName}）。问题描述只有律师和会员本人能看到`,
      )
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className="act-panel act-booking">
      {slots.length === 0 ? (
        <Text className="act-empty">两周内没有可预约的时段</Text>
      ) : (
        <Field label="时段（两周内）">
          <Choices
            className="act-slots"
            value={slotId}
            onChange={(v) => {
              key.current = null
              setSlotId(v)
            }}
            options={slots.map((s) => ({
              value: s.id,
              label: formatDateTime(s.startsAt),
              note: slotNote(s),
            }))}
          />
        </Field>
      )}
      <Field label="咨询主题">
        <Choices
          className="act-topics"
          value={topicId}
          onChange={setTopicId}
          options={data.topics.map((t) => ({ value: t.id, label: t.name }))}
        />
      </Field>
      <TextField
        label="会员联系电话"
        value={phone}
        numeric
        inputClassName="act-phone"
        maxlength={11}
        onInput={setPhone}
      />
      <Field label="问题描述（会员口述，仅律师和会员本人可见）">
        <Textarea
          className="textarea act-description"
          value={description}
          maxlength={500}
          onInput={(e) => setDescription(e.detail.value)}
        />
      </Field>
      {error ? <Text className="form-error act-error">{error}</Text> : null}
      <SaveButton
        busy={busy}
        className="act-submit"
        label={`为${member.name}预约`}
        busyLabel="正在预约…"
        onClick={() => void submit()}
      />
    </View>
  )
}

// ------------------------------------------------------------------ 兑换商品

/** 兑换商品 at the desk: an item and a quantity; the member's points pay. */
export function RedeemPanel({ member, data, onDone }: ActPanelProps) {
  const items = data.items.filter((i) => i.onSale && !i.soldOut)
  const [itemId, setItemId] = useState<number | null>(null)
  const [quantity, setQuantity] = useState(1)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const key = useRef<string | null>(null)

  if (items.length === 0) {
    return <Text className="act-empty">{member.name} 现在没有可兑换的商品</Text>
  }
  const item = items.find((i) => i.id === itemId)
  const left = item ? Math.max(0, item.perMemberLimit - item.redeemedQuantity) : 0
  const submit = async () => {
    setError(null)
    if (!item) return setError('请选择商品')
    setBusy(true)
    key.current ??= newIdempotencyKey()
    try {
      const order = await redeemFor(
        { memberId: member.id, itemId: item.id, quantity },
        { idempotencyKey: key.current },
      )
      key.current = null
      onDone(
        `已为${member.name}兑换「${order.itemName}」×${order.quantity}，扣 ${order.pointsSpent} 积分。提货码 ${order.pickupCode}，${formatDateTime(order.pickupDeadline)} 前领取`,
      )
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className="act-panel act-redeem">
      <Field label="商品">
        <Choices
          className="act-items"
          value={itemId}
          onChange={(v) => {
            key.current = null
            setQuantity(1)
            setItemId(v)
          }}
          options={items.map((i) => ({
            value: i.id,
            label: i.name,
            note: `${i.pointsCost} 积分 · 余 ${i.stock} · 每人限 ${i.perMemberLimit}`,
          }))}
        />
      </Field>
      {item ? (
        <Field label={left > 0 ? `数量（还可兑 ${left} 件）` : '已达每人限兑数量'}>
          <Stepper
            className="act-quantity"
            value={quantity}
            min={1}
            max={Math.max(1, Math.min(left, item.stock))}
            onChange={(n) => {
              key.current = null
              setQuantity(n)
            }}
          />
        </Field>
      ) : null}
      {error ? <Text className="form-error act-error">{error}</Text> : null}
      <SaveButton
        busy={busy}
        className="act-submit"
        label={item ? `为${member.name}兑换（${item.pointsCost * quantity} 积分）` : '兑换'}
        busyLabel="正在兑换…"
        onClick={() => void submit()}
      />
    </View>
  )
}
