import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import type { ActivationCodeResponse } from '@/contract/auth'
import type { MemberSummary, StaffMemberDetail } from '@/contract/org'
import { groupCode } from '@/components/code-entry'
import { QrCode } from '@/components/qr-code'
import { EmptyState, ErrorState, LoadingState } from '@/components/page-state'
import { usePullToRefresh } from '@/services/device'
import { errorMessage } from '@/services/http'
import { openPage } from '@/services/navigate'
import {
  getStaffMember,
  issueActivationCode,
  revokeActivationCode,
  searchMembers,
  staffUnbindWechat,
} from '@/services/org'
import { formatDateTime } from '@/services/time'
import '@/components/form/form.scss'
import './member-access.scss'

const isFuture = (iso: string | null) => !!iso && Date.parse(iso) > Date.now()

/** 会员账号 search: part of a name or a member number, then tap a member. */
function MemberSearch({ onOpen, shown }: { onOpen: (m: MemberSummary) => void; shown: boolean }) {
  const [query, setQuery] = useState('')
  const [hits, setHits] = useState<MemberSummary[] | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const search = async () => {
    if (busy) return
    setBusy(true)
    setError(null)
    try {
      setHits(await searchMembers({ q: query.trim() || undefined, limit: 30 }))
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  // A pull runs the search shown again (none yet: nothing to refresh).
  usePullToRefresh(() => (shown && hits !== null ? search() : undefined))

  return (
    <View className="card member-search">
      <View className="search-row">
        <Input
          className="input member-search-input"
          placeholder="姓名或会员号"
          value={query}
          maxlength={40}
          confirmType="search"
          onInput={(e) => setQuery(e.detail.value)}
          onConfirm={() => void search()}
        />
        <Button
          className={
            busy ? 'btn btn-primary member-search-go is-busy' : 'btn btn-primary member-search-go'
          }
          disabled={busy || undefined}
          onClick={() => void search()}
        >
          {busy ? '查询中…' : '查询'}
        </Button>
      </View>
      {error ? <Text className="form-error member-search-error">{error}</Text> : null}
      {hits && hits.length === 0 ? <EmptyState text="没有找到会员" /> : null}
      {hits?.map((m) => (
        <View key={m.id} className="search-hit member-hit" onClick={() => onOpen(m)}>
          <View className="member-hit-main">
            <Text className="member-hit-name">
              {m.name}（{m.memberNo}）
            </Text>
            <Text className="muted">{m.unionName}</Text>
          </View>
          <Text className={m.wechatBound ? 'member-badge is-bound' : 'member-badge'}>
            {m.wechatBound ? '已绑定微信' : '未绑定'}
          </Text>
        </View>
      ))}
    </View>
  )
}

/** The code just issued, large and as QR: it is shown this once only. */
function IssuedCode({ issued }: { issued: ActivationCodeResponse }) {
  return (
    <View className="card member-code-card">
      <Text className="member-code-title">激活码</Text>
      <Text className="member-code">{groupCode(issued.code)}</Text>
      <QrCode value={issued.qr} className="is-small" />
      <Text className="member-code-expiry">有效至 {formatDateTime(issued.expiresAt)}</Text>
      <Text className="member-code-note">
        激活码只显示这一次，离开本页后无法再查看。请当面交给会员本人，让会员在小程序「使用工会激活码」中输入或扫码。
      </Text>
    </View>
  )
}

/** One member's account: binding, phone, live code, lock, and the staff actions on them. */
function MemberAccount({ memberId, onBack }: { memberId: number; onBack: () => void }) {
  const [detail, setDetail] = useState<StaffMemberDetail | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [issued, setIssued] = useState<ActivationCodeResponse | null>(null)
  const [busy, setBusy] = useState<'issue' | 'revoke' | 'unbind' | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)

  const load = async () => {
    setLoadError(null)
    try {
      setDetail(await getStaffMember(memberId))
    } catch (e) {
      setLoadError(errorMessage(e))
    }
  }

  useEffect(() => {
    void load()
    // Once per member (the parent keys this by member id).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  usePullToRefresh(load)

  const act = async (kind: 'issue' | 'revoke' | 'unbind', work: () => Promise<void>) => {
    if (busy) return
    setBusy(kind)
    setError(null)
    setNotice(null)
    try {
      await work()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(null)
    }
  }

  if (loadError) return <ErrorState message={loadError} onRetry={() => void load()} />
  if (!detail) return <LoadingState />

  const codeLive = isFuture(detail.activationCodeExpiresAt)
  const locked = isFuture(detail.bindLockedUntil)

  const issue = () =>
    act('issue', async () => {
      if (codeLive) {
        const { confirm } = await Taro.showModal({
          title: '重新发放激活码',
          content: '该会员还有未使用的激活码，重新发放后旧激活码立即失效。继续吗？',
          confirmText: '重新发放',
          confirmColor: '#d4380d',
          cancelText: '取消',
        })
        if (!confirm) return
      }
      const code = await issueActivationCode(detail.id)
      setIssued(code)
      setDetail({ ...detail, activationCodeExpiresAt: code.expiresAt })
    })

  const revoke = () =>
    act('revoke', async () => {
      setDetail(await revokeActivationCode(detail.id))
      setIssued(null)
      setNotice('激活码已撤销')
    })

  const unbind = () =>
    act('unbind', async () => {
      const { confirm } = await Taro.showModal({
        title: '解绑微信',
        content: `解绑后${detail.name}的微信将退出登录，需重新验证手机号或使用激活码才能再登录。确定解绑吗？`,
        confirmText: '解绑',
        confirmColor: '#d4380d',
        cancelText: '取消',
      })
      if (!confirm) return
      setDetail(await staffUnbindWechat(detail.id))
      setNotice('已解绑微信')
    })

  return (
    <View className="member-account">
      <View className="card">
        <Text className="member-account-name">
          {detail.name}（{detail.memberNo}）
        </Text>
        <View className="info-line">
          <Text className="info-line-key">所在工会</Text>
          <Text className="info-line-val">{detail.unionName}</Text>
        </View>
        <View className="info-line">
          <Text className="info-line-key">微信</Text>
          <Text className={detail.wechatBound ? 'member-badge is-bound' : 'member-badge'}>
            {detail.wechatBound ? '已绑定微信' : '未绑定'}
          </Text>
        </View>
        <View className="info-line">
          <Text className="info-line-key">登记手机</Text>
          <Text className="info-line-val member-phone">{detail.phoneMasked ?? '未登记'}</Text>
        </View>
        <View className="info-line">
          <Text className="info-line-key">激活码</Text>
          <Text className="info-line-val member-code-state">
            {codeLive && detail.activationCodeExpiresAt
              ? `有效，至 ${formatDateTime(detail.activationCodeExpiresAt)}`
              : '无'}
          </Text>
        </View>
        {locked && detail.bindLockedUntil ? (
          <Text className="form-error member-locked">
            激活码错误次数过多，绑定已锁定至 {formatDateTime(detail.bindLockedUntil)}
          </Text>
        ) : null}
      </View>

      {notice ? <Text className="form-success member-notice">{notice}</Text> : null}
      {error ? <Text className="form-error member-error">{error}</Text> : null}
      {issued ? <IssuedCode issued={issued} /> : null}

      <View className="member-actions">
        {!detail.wechatBound ? (
          <Button
            className={
              busy === 'issue'
                ? 'btn btn-primary btn-block member-issue-code is-busy'
                : 'btn btn-primary btn-block member-issue-code'
            }
            disabled={busy !== null || undefined}
            onClick={() => void issue()}
          >
            {busy === 'issue' ? '发放中…' : codeLive ? '重新发放激活码' : '发放激活码'}
          </Button>
        ) : null}
        {codeLive ? (
          <Button
            className="btn btn-ghost btn-block member-revoke-code"
            disabled={busy !== null || undefined}
            onClick={() => void revoke()}
          >
            撤销激活码
          </Button>
        ) : null}
        {detail.wechatBound ? (
          <Button
            className="btn btn-ghost btn-block member-unbind"
            disabled={busy !== null || undefined}
            onClick={() => void unbind()}
          >
            解绑微信
          </Button>
        ) : null}
        <Button
          className="btn btn-ghost btn-block member-act"
          onClick={() => void openPage(`/packages/staff/pages/member-act?memberId=${detail.id}`)}
        >
          为该会员代办（报名、礼包、预约、兑换）
        </Button>
        <Button className="btn btn-ghost btn-block member-back" onClick={onBack}>
          返回列表
        </Button>
      </View>
    </View>
  )
}

/**
 * 会员账号 (staff): find a member, see whether their WeChat is bound, issue or revoke a one-time
 * activation code for a member whose phone is not on the roster, and unbind a lost phone.
 */
export function MemberAccess() {
  const [openId, setOpenId] = useState<number | null>(null)
  return (
    <View className="page member-access">
      <View className={openId === null ? '' : 'member-hidden'}>
        <MemberSearch onOpen={(m) => setOpenId(m.id)} shown={openId === null} />
      </View>
      {openId !== null ? (
        <MemberAccount key={openId} memberId={openId} onBack={() => setOpenId(null)} />
      ) : null}
    </View>
  )
}
