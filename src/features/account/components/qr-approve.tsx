import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { Member, QrTicketResponse } from '@/contract/auth'
import { ErrorState, LoadingState } from '@/components/page-state'
import { approveQrTicket, cancelQrTicket, qrTicket } from '@/services/auth'
import { ApiError, errorMessage } from '@/services/http'
import { formatDateTime } from '@/services/time'
import './qr-approve.scss'

/** Props of the web sign-in confirmation. */
export interface QrApproveProps {
  /** The ticket from the scanned QR (without its `uss-login:` prefix). */
  ticket: string
  /** The signed-in member, who the web page will be signed in as. */
  member: Member
}

type Phase =
  | { kind: 'loading' }
  | { kind: 'ask'; ticket: QrTicketResponse }
  | { kind: 'over'; message: string }
  | { kind: 'approved' }
  | { kind: 'cancelled' }
  | { kind: 'error'; message: string }

/** Why a ticket can no longer be approved, in words for the member; null while it can. */
function closedMessage(status: QrTicketResponse['status']): string | null {
  switch (status) {
    case 'expired':
      return '二维码已过期，请在电脑上刷新二维码后重新扫码'
    case 'used':
    case 'approved':
      return '该二维码已被使用，请在电脑上刷新二维码后重新扫码'
    default:
      return null
  }
}

const closingCodes = new Set(['QR_TICKET_EXPIRED', 'QR_TICKET_USED', 'QR_TICKET_NOT_FOUND'])

function goBack() {
  Taro.navigateBack().catch(() => Taro.switchTab({ url: '/pages/me/index' }).catch(() => undefined))
}

/**
 * 网页版登录确认: which browser asks and when, then 确认登录 or 取消. Only the member who
 * holds the phone can approve, and they see that they are signing a web page in as themselves.
 */
export function QrApprove({ ticket, member }: QrApproveProps) {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' })
  const [busy, setBusy] = useState<'approve' | 'cancel' | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = async () => {
    setPhase({ kind: 'loading' })
    setError(null)
    try {
      // Read before approving only: after approval this read would hand out the token.
      const answer = await qrTicket(ticket)
      const closed = closedMessage(answer.status)
      setPhase(closed ? { kind: 'over', message: closed } : { kind: 'ask', ticket: answer })
    } catch (e) {
      if (e instanceof ApiError && closingCodes.has(e.code)) {
        setPhase({ kind: 'over', message: e.message })
      } else {
        setPhase({ kind: 'error', message: errorMessage(e) })
      }
    }
  }

  useEffect(() => {
    void load()
    // Once per ticket.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ticket])

  const approve = async () => {
    if (busy) return
    setBusy('approve')
    setError(null)
    try {
      await approveQrTicket(ticket)
      setPhase({ kind: 'approved' })
    } catch (e) {
      if (e instanceof ApiError && closingCodes.has(e.code)) {
        setPhase({ kind: 'over', message: e.message })
      } else {
        setError(errorMessage(e))
      }
    } finally {
      setBusy(null)
    }
  }

  const cancel = async () => {
    if (busy) return
    setBusy('cancel')
    // Declining must not fail for the member: the ticket expires soon in any case.
    await cancelQrTicket(ticket).catch(() => undefined)
    setBusy(null)
    setPhase({ kind: 'cancelled' })
  }

  if (phase.kind === 'loading') return <LoadingState />
  if (phase.kind === 'error')
    return <ErrorState message={phase.message} onRetry={() => void load()} />

  return (
    <View className="page qr-approve">
      {phase.kind === 'ask' ? (
        <View className="card qr-approve-card">
          <Text className="qr-approve-title">网页版登录确认</Text>
          <Text className="qr-approve-lead">
            有网页正在请求以「{member.name}（{member.memberNo}）」的身份登录工会服务站
          </Text>
          <View className="info-line">
            <Text className="info-line-key">浏览器</Text>
            <Text className="info-line-val qr-approve-browser">{phase.ticket.browser}</Text>
          </View>
          <View className="info-line">
            <Text className="info-line-key">请求时间</Text>
            <Text className="info-line-val qr-approve-time">
              {formatDateTime(phase.ticket.createdAt)}
            </Text>
          </View>
          <Text className="qr-approve-warning">
            如果不是您本人正在电脑上操作，请点「取消」，不要确认。
          </Text>
          {error ? <Text className="form-error qr-approve-error">{error}</Text> : null}
          <Button
            className={
              busy === 'approve'
                ? 'btn btn-primary btn-block qr-approve-confirm is-busy'
                : 'btn btn-primary btn-block qr-approve-confirm'
            }
            disabled={busy !== null || undefined}
            onClick={() => void approve()}
          >
            {busy === 'approve' ? '确认中…' : '确认登录'}
          </Button>
          <Button
            className="btn btn-ghost btn-block qr-approve-cancel"
            disabled={busy !== null || undefined}
            onClick={() => void cancel()}
          >
            取消
          </Button>
        </View>
      ) : (
        <View className="card qr-approve-card qr-approve-result">
          <Text className="qr-approve-title">
            {phase.kind === 'approved'
              ? '已确认登录'
              : phase.kind === 'cancelled'
                ? '已取消登录'
                : '无法登录'}
          </Text>
          <Text className="qr-approve-lead">
            {phase.kind === 'approved'
              ? '网页将自动进入工会服务站，可以返回小程序了。'
              : phase.kind === 'cancelled'
                ? '网页不会登录。'
                : phase.message}
          </Text>
          <Button className="btn btn-primary btn-block qr-approve-back" onClick={goBack}>
            返回
          </Button>
        </View>
      )}
    </View>
  )
}
