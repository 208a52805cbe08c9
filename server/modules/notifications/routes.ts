import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { templateKeys, type Reminder, type TemplateKey } from '../../../src/contract/notifications'
import { routes } from '../../../src/contract/routes'
import type { Db, Tx } from '../../db/client'
import { rows } from '../../db/sql'
import { handle } from '../../lib/route'
import { scheduleJobs } from '../../jobs'
import { WechatAccessToken } from '../auth/wechat'
import { writeDueReminders } from './outbox'
import { sendDueMessages, type SendRun } from './sender'

/** Subscriptions a member may hold per template (WeChat keeps the real count; this mirrors it). */
export const MAX_SUBSCRIPTIONS = 100
/** Messages `GET /me/reminders` answers, newest first. */
export const REMINDERS_LIMIT = 50

declare module 'fastify' {
  interface FastifyInstance {
    /** Subscribe messages: the sender and the reminders scan, each for a moment (tests set it). */
    notifier: {
      sendDue(now?: Date): Promise<SendRun>
      writeReminders(now?: Date): Promise<number>
      /** Sends what is due now, in the background (coalesced); after a change wrote messages. */
      kick(): void
    }
  }
}

/** The member's counts of every template (0 where nothing was accepted). */
async function countsOf(tx: Tx | Db, memberId: number): Promise<Record<TemplateKey, number>> {
  const found = await rows<{ key: TemplateKey; remaining: number }>(
    tx,
    sql`SELECT key, remaining FROM subscriptions WHERE member_id = ${memberId}`,
  )
  const counts = Object.fromEntries(templateKeys.map((k) => [k, 0])) as Record<TemplateKey, number>
  for (const r of found) counts[r.key] = r.remaining
  return counts
}

/**
 * Decorates the app with the sender and the reminders scan (`app.notifier`), run every
 * `notifications.intervalMs` — and the sender also after each successful change, since changes
 * write messages. Called on the root app, so its hook sees every route.
 */
export function registerNotifier(app: FastifyInstance): void {
  const db = () => app.db.db
  const token = new WechatAccessToken(app.config.wechat)
  const deps = () => ({
    db: db(),
    wechat: app.config.wechat,
    token,
    notifications: app.config.notifications,
    log: app.log,
  })
  let sending: Promise<SendRun> | null = null
  let again = false
  const sendDue = (now?: Date): Promise<SendRun> => {
    if (sending && !now) {
      again = true
      return sending
    }
    const run = (async () => {
      let total = await sendDueMessages(deps(), now ?? new Date())
      while (again && !now) {
        again = false
        const more = await sendDueMessages(deps(), new Date())
        total = {
          sent: total.sent + more.sent,
          skipped: total.skipped + more.skipped,
          retried: total.retried + more.retried,
          failed: total.failed + more.failed,
        }
      }
      return total
    })()
    if (!now) {
      sending = run.finally(() => {
        sending = null
      })
      return sending
    }
    return run
  }
  app.decorate('notifier', {
    sendDue,
    writeReminders: (now?: Date) => writeDueReminders(db(), now ?? new Date()),
    kick() {
      void sendDue().catch((err: unknown) => app.log.error({ err }, 'subscribe messages failed'))
    },
  })

  // A send in flight finishes before the database closes.
  app.addHook('onClose', async () => {
    await sending?.catch(() => undefined)
  })
  const intervalMs = app.config.notifications.intervalMs
  if (intervalMs > 0) {
    app.addHook('onResponse', async (req, reply) => {
      if (req.method !== 'GET' && reply.statusCode < 300 && app.config.wechat.appId) {
        app.notifier.kick()
      }
    })
  }
  scheduleJobs(app, [
    {
      name: 'subscribe-messages',
      intervalMs,
      async run(_app, now) {
        await writeDueReminders(db(), now)
        await sendDue()
      },
    },
  ])
}

/** The member's answers to `requestSubscribeMessage`, and their messages in the app. */
export async function notificationRoutes(app: FastifyInstance) {
  const db = () => app.db.db

  handle(app, routes.recordSubscriptions, {}, async ({ caller, body }) =>
    db().transaction(async (tx) => {
      const accepted = [...new Set(body.templates.filter((t) => t.accepted).map((t) => t.key))]
      if (accepted.length > 0) {
        await tx.execute(
          sql`INSERT INTO subscriptions (member_id, key, remaining)
              SELECT ${caller.id}::int, k, 1 FROM unnest(${sql.param(accepted)}::text[]) AS k
              ON CONFLICT (member_id, key) DO UPDATE
              SET remaining = LEAST(subscriptions.remaining + 1, ${MAX_SUBSCRIPTIONS}::int),
                  updated_at = now()`,
        )
      }
      return { counts: await countsOf(tx, caller.id) }
    }),
  )

  handle(app, routes.myReminders, {}, async ({ caller }) => {
    const found = await rows<Omit<Reminder, 'createdAt'> & { created_at: Date | string }>(
      db(),
      sql`SELECT key, title, body, page, created_at FROM outbox
          WHERE member_id = ${caller.id} AND due_at <= now()
          ORDER BY created_at DESC, id DESC LIMIT ${REMINDERS_LIMIT}`,
    )
    return {
      reminders: found.map(({ created_at, ...r }) => ({
        ...r,
        createdAt: new Date(created_at).toISOString(),
      })),
    }
  })
}
