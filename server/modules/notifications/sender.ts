import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { TemplateKey } from '../../../src/contract/notifications'
import type { Db } from '../../db/client'
import { rows } from '../../db/sql'
import type { NotificationsConfig } from '../../config'
import type { WechatAccessToken, WechatConfig } from '../auth/wechat'

/** Messages claimed per transaction. */
export const SEND_BATCH = 20
/** Sends of one message before it fails (WeChat down or answering 5xx every time). */
export const MAX_SEND_ATTEMPTS = 5
/** The first retry waits this long; each further one twice as long (1, 2, 4, 8 minutes). */
export const RETRY_BASE_MS = 60_000
/**
 * How long a claimed message may stay `sending`: past it, its process died between claiming it
 * and recording WeChat's answer, and it is failed, never sent again (at most once).
 */
export const SENDING_LEASE_MS = 10 * 60_000

/** WeChat's errcodes meaning the access token is invalid or expired: refresh and retry once. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001])
/** WeChat's errcode for "the user has no subscription left (or refused)". */
export const NO_SUBSCRIPTION = 43101

export interface SendRun {
  sent: number
  skipped: number
  retried: number
  failed: number
}

interface Claimed {
  id: number
  key: TemplateKey
  page: string
  data: Record<string, { value: string }>
  attempts: number
  openid: string
  memberId: number
}

export interface SenderDeps {
  db: Db
  wechat: WechatConfig
  token: WechatAccessToken
  notifications: NotificationsConfig
  log: FastifyInstance['log']
}

/**
 * Claims the due `pending` messages (`FOR UPDATE SKIP LOCKED`: processes sending at once take
 * different rows) and, in the same transaction, settles those that cannot go: no WeChat binding,
 * no template id, or no subscription left (`skipped`, with the reason); the others use one
 * subscription count and become `sending` with `attempts + 1` before anything is sent. Also fails
 * the messages left `sending` past `SENDING_LEASE_MS` by a process that died.
 */
export async function claimDue(
  deps: Pick<SenderDeps, 'db' | 'notifications'>,
  now: Date,
  limit = SEND_BATCH,
): Promise<{ claimed: Claimed[]; seen: number }> {
  return deps.db.transaction(async (tx) => {
    await tx.execute(
      sql`UPDATE outbox SET status = 'failed', last_error = '发送中断，为免重复不再重发'
          WHERE status = 'sending' AND next_attempt_at <= ${now}`,
    )
    const due = await rows<{
      id: number
      member_id: number
      key: TemplateKey
      page: string
      data: Record<string, { value: string }>
      attempts: number
      openid: string | null
    }>(
      tx,
      sql`SELECT o.id, o.member_id, o.key, o.page, o.data, o.attempts, m.wechat_openid AS openid
          FROM outbox o JOIN members m ON m.id = o.member_id
          WHERE o.status = 'pending' AND o.next_attempt_at <= ${now}
          ORDER BY o.next_attempt_at, o.id LIMIT ${limit}
          FOR UPDATE OF o SKIP LOCKED`,
    )
    const claimed: Claimed[] = []
    const skip = (id: number, reason: string) =>
      tx.execute(sql`UPDATE outbox SET status = 'skipped', last_error = ${reason} WHERE id = ${id}`)
    for (const o of due) {
      if (!o.openid) {
        await skip(o.id, '未绑定微信')
        continue
      }
      if (!deps.notifications.templates[o.key]) {
        await skip(o.id, '未配置消息模板')
        continue
      }
      const used = await rows<{ remaining: number }>(
        tx,
        sql`UPDATE subscriptions SET remaining = remaining - 1, updated_at = ${now}
            WHERE member_id = ${o.member_id} AND key = ${o.key} AND remaining > 0
            RETURNING remaining`,
      )
      if (used.length === 0) {
        await skip(o.id, '未订阅该消息')
        continue
      }
      await tx.execute(
        sql`UPDATE outbox SET status = 'sending', attempts = attempts + 1,
                   next_attempt_at = ${new Date(now.getTime() + SENDING_LEASE_MS)}
            WHERE id = ${o.id}`,
      )
      claimed.push({
        id: o.id,
        key: o.key,
        page: o.page,
        data: o.data,
        attempts: o.attempts + 1,
        openid: o.openid,
        memberId: o.member_id,
      })
    }
    return { claimed, seen: due.length }
  })
}

type Outcome =
  | { kind: 'sent' }
  | { kind: 'refused' }
  | { kind: 'retry'; error: string }
  | { kind: 'failed'; error: string }

/** One `subscribe/send` call (refreshing the access token once if WeChat says it is stale). */
async function send(deps: SenderDeps, m: Claimed): Promise<Outcome> {
  for (let attempt = 0; attempt < 2; attempt++) {
    let token: string
    try {
      token = await deps.token.get(attempt > 0)
    } catch {
      return { kind: 'retry', error: '获取微信 access_token 失败' }
    }
    const url = new URL('/cgi-bin/message/subscribe/send', deps.wechat.baseUrl)
    url.searchParams.set('access_token', token)
    let answer: { errcode?: number; errmsg?: string }
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          touser: m.openid,
          template_id: deps.notifications.templates[m.key],
          page: m.page,
          data: m.data,
          miniprogram_state: deps.notifications.miniprogramState,
          lang: 'zh_CN',
        }),
        signal: AbortSignal.timeout(8000),
      })
      if (res.status >= 500) return { kind: 'retry', error: `HTTP ${res.status}` }
      if (!res.ok) return { kind: 'failed', error: `HTTP ${res.status}` }
      answer = (await res.json()) as typeof answer
    } catch (err) {
      return { kind: 'retry', error: err instanceof Error ? err.name : '网络错误' }
    }
    const code = answer.errcode ?? 0
    if (code === 0) return { kind: 'sent' }
    if (code === NO_SUBSCRIPTION) return { kind: 'refused' }
    if (TOKEN_ERRORS.has(code) && attempt === 0) continue
    // -1: WeChat is busy; anything else is a fault of the message (template, page, data).
    if (code === -1) return { kind: 'retry', error: `errcode ${code}` }
    return { kind: 'failed', error: `errcode ${code}` }
  }
  return { kind: 'retry', error: 'access_token 无效' }
}

/**
 * Records WeChat's answer. Sent: done. 43101: `skipped`, and the member has no subscription
 * left of that template. A failure WeChat may recover from (5xx, network, busy) goes back to
 * `pending` after `RETRY_BASE_MS · 2^(attempts-1)` until `MAX_SEND_ATTEMPTS`, then `failed`;
 * the subscription count it used is given back whenever WeChat did not deliver.
 */
async function settle(deps: SenderDeps, m: Claimed, outcome: Outcome, now: Date): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const giveBack = () =>
      tx.execute(
        sql`UPDATE subscriptions SET remaining = remaining + 1, updated_at = ${now}
            WHERE member_id = ${m.memberId} AND key = ${m.key}`,
      )
    const mine = sql`id = ${m.id} AND status = 'sending'`
    switch (outcome.kind) {
      case 'sent':
        await tx.execute(
          sql`UPDATE outbox SET status = 'sent', sent_at = ${now}, last_error = NULL WHERE ${mine}`,
        )
        return
      case 'refused':
        await tx.execute(
          sql`UPDATE outbox SET status = 'skipped', last_error = ${`errcode ${NO_SUBSCRIPTION}：用户无可用订阅`}
              WHERE ${mine}`,
        )
        await tx.execute(
          sql`UPDATE subscriptions SET remaining = 0, updated_at = ${now}
              WHERE member_id = ${m.memberId} AND key = ${m.key}`,
        )
        return
      case 'retry': {
        await giveBack()
        if (m.attempts >= MAX_SEND_ATTEMPTS) {
          await tx.execute(
            sql`UPDATE outbox SET status = 'failed', last_error = ${outcome.error} WHERE ${mine}`,
          )
          return
        }
        const at = new Date(now.getTime() + RETRY_BASE_MS * 2 ** (m.attempts - 1))
        await tx.execute(
          sql`UPDATE outbox SET status = 'pending', next_attempt_at = ${at},
                     last_error = ${outcome.error} WHERE ${mine}`,
        )
        return
      }
      case 'failed':
        await giveBack()
        await tx.execute(
          sql`UPDATE outbox SET status = 'failed', last_error = ${outcome.error} WHERE ${mine}`,
        )
    }
  })
}

/**
 * Sends every message due at `now` (retries whose time has come included), batch by batch.
 *
 * Delivery is at most once: a message is marked `sending` (and its subscription count used) in a
 * committed transaction before WeChat is called, and a message a dead process left `sending` is
 * failed, not sent again — a duplicate in a worker's WeChat is worse than a lost one, which the
 * app still shows (`GET /me/reminders`). Failures WeChat reports (5xx, busy, network errors) are
 * retried with backoff, since WeChat did not take the message then.
 */
export async function sendDueMessages(deps: SenderDeps, now: Date): Promise<SendRun> {
  const run: SendRun = { sent: 0, skipped: 0, retried: 0, failed: 0 }
  if (!deps.wechat.appId || !deps.wechat.appSecret) return run
  for (;;) {
    const { claimed, seen } = await claimDue(deps, now)
    // The batch's calls to WeChat go out together (each message settles on its own).
    const outcomes = await Promise.all(
      claimed.map(async (m) => {
        const outcome = await send(deps, m)
        await settle(deps, m, outcome, now)
        return outcome
      }),
    )
    for (const [i, m] of claimed.entries()) {
      const outcome = outcomes[i]
      if (outcome.kind === 'sent') run.sent++
      else if (outcome.kind === 'refused') run.skipped++
      else if (outcome.kind === 'retry' && m.attempts < MAX_SEND_ATTEMPTS) run.retried++
      else run.failed++
      // Ids and outcome only: never the member's data or the message's text.
      if (outcome.kind !== 'sent') {
        deps.log.warn(
          { outbox: m.id, key: m.key, outcome: outcome.kind },
          'subscribe message not sent',
        )
      }
    }
    if (seen < SEND_BATCH) return run
  }
}
