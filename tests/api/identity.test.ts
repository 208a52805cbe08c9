import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { configFromEnv } from '../../server/config'
import { first, rows } from '../../server/db/sql'
import { hashToken } from '../../server/lib/sessions'
import { engines, startTestServer, type TestServer } from '../support/server'
import { startFakeWechat } from '../support/fake-wechat'
import { memberIdOf } from '../support/points'

interface ErrorJson {
  error: { code: string; message: string }
}
const code = (res: { json(): unknown }) => (res.json() as ErrorJson).error.code
const APP = { appId: 'wx-test-app', appSecret: 'wx-test-secret' }
const root = path.resolve(__dirname, '../..')

/** A member of 四方继保工会 (under 石景山, so S0101 may act on them). */
async function memberUnderShijingshan(
  s: TestServer,
  skip = 0,
): Promise<{ id: number; no: string }> {
  const row = await first<{ id: number; member_no: string }>(
    s.database.db,
    sql`SELECT m.id, m.member_no FROM members m JOIN unions u ON u.id = m.union_id
        WHERE u.name = '四方继保工会' AND m.member_no LIKE 'M%'
        ORDER BY m.member_no DESC OFFSET ${skip} LIMIT 1`,
  )
  assert.ok(row)
  return { id: row.id, no: row.member_no }
}

async function openidOf(s: TestServer, memberNo: string): Promise<string | null> {
  const row = await first<{ wechat_openid: string | null }>(
    s.database.db,
    sql`SELECT wechat_openid FROM members WHERE member_no = ${memberNo}`,
  )
  return row?.wechat_openid ?? null
}

for (const engine of engines()) {
  describe(`identity on ${engine}`, () => {
    let s: TestServer
    let wechat: Awaited<ReturnType<typeof startFakeWechat>>
    const login = (body: Record<string, unknown>, remoteAddress?: string) =>
      s.app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: body, remoteAddress })

    before(async () => {
      wechat = await startFakeWechat(APP.appId, APP.appSecret)
      s = await startTestServer(engine, { wechat: { ...APP, baseUrl: wechat.baseUrl } })
    })
    after(async () => {
      await s?.close()
      await wechat?.close()
    })

    test('a member number and a name never bind', async () => {
      const withName = await login({ code: 'ok:attacker-1', memberNo: 'A0001', name: '郑宏伟' })
      assert.equal(withName.statusCode, 400)
      assert.equal(code(withName), 'BAD_REQUEST')
      const numberOnly = await login({ code: 'ok:attacker-1', memberNo: 'A0001' })
      assert.equal(numberOnly.statusCode, 404)
      assert.equal(code(numberOnly), 'WECHAT_NOT_BOUND')
      const codeWithoutNumber = await login({ code: 'ok:attacker-1', activationCode: 'ABCD2345' })
      assert.equal(codeWithoutNumber.statusCode, 400)
      assert.equal(await openidOf(s, 'A0001'), null)
    })

    test('phone binding: the roster phone binds, then the code alone signs in', async () => {
      const before = wechat.state.tokenRequests
      const bound = await login({ code: 'ok:openid-m0002', phoneCode: 'phone:13800000002' })
      assert.equal(bound.statusCode, 200, bound.body)
      const body = bound.json() as {
        token: string
        member: { memberNo: string; wechatBound: boolean }
      }
      assert.equal(body.member.memberNo, 'M0002')
      assert.equal(body.member.wechatBound, true)
      assert.equal(await openidOf(s, 'M0002'), 'openid-m0002')
      // The phone number went to WeChat's endpoint with the access token, and the code in the body.
      const phoneCall = wechat.calls.find((c) => c.pathname === '/wxa/business/getuserphonenumber')
      assert.ok(phoneCall?.searchParams.get('access_token'))

      const again = await login({ code: 'ok:openid-m0002' })
      assert.equal(again.statusCode, 200)
      const me = await s.request({
        method: 'GET',
        url: '/api/v1/me',
        token: (again.json() as { token: string }).token,
      })
      assert.equal((me.json() as { member: { memberNo: string } }).member.memberNo, 'M0002')

      // A second binding reuses the cached access token.
      const third = await login({ code: 'ok:openid-m0003', phoneCode: 'phone:13800000003' })
      assert.equal(third.statusCode, 200)
      assert.equal(wechat.state.tokenRequests - before, 1)

      const audits = await rows<{ after: { proof: string } }>(
        s.database.db,
        sql`SELECT a.after FROM audit_log a JOIN members m ON m.id = a.actor_id
            WHERE a.action = 'wechat.bind' AND m.member_no = 'M0002'`,
      )
      assert.deepEqual(
        audits.map((a) => a.after.proof),
        ['phone'],
      )
    })

    test('phone binding refuses an unknown phone, a shared phone and a bound member', async () => {
      const unknown = await login({ code: 'ok:openid-x1', phoneCode: 'phone:13912345678' })
      assert.equal(unknown.statusCode, 422)
      assert.equal(code(unknown), 'PHONE_NOT_ON_ROSTER')
      assert.match((unknown.json() as ErrorJson).error.message, /激活码/)

      await s.database.db.execute(
        sql`UPDATE members SET phone = '13800000011' WHERE member_no = 'M0012'`,
      )
      const shared = await login({ code: 'ok:openid-x2', phoneCode: 'phone:13800000011' })
      assert.equal(shared.statusCode, 409)
      assert.equal(code(shared), 'PHONE_AMBIGUOUS')
      assert.equal(await openidOf(s, 'M0011'), null)
      assert.equal(await openidOf(s, 'M0012'), null)

      // M0002 is bound to openid-m0002: another WeChat cannot take it over with the phone.
      const takeover = await login({ code: 'ok:openid-thief', phoneCode: 'phone:13800000002' })
      assert.equal(takeover.statusCode, 409)
      assert.equal(code(takeover), 'MEMBER_ALREADY_BOUND')
      assert.equal(await openidOf(s, 'M0002'), 'openid-m0002')

      const badPhoneCode = await login({ code: 'ok:openid-x3', phoneCode: 'expired' })
      assert.equal(badPhoneCode.statusCode, 401)
      assert.equal(code(badPhoneCode), 'WECHAT_PHONE_FAILED')
      const n = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM members WHERE wechat_openid LIKE 'openid-x%'`,
      )
      assert.equal(n?.n, 0)
    })

    test('a stale access token is refreshed once and the binding goes through', async () => {
      wechat.rotateToken()
      const res = await login({ code: 'ok:openid-m0004', phoneCode: 'phone:13800000004' })
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(await openidOf(s, 'M0004'), 'openid-m0004')
    })

    test('activation codes: staff of the member’s union issue one; it binds once', async () => {
      const m = await memberUnderShijingshan(s)
      const staff = await s.login('S0101')
      const issued = await s.request({
        method: 'POST',
        url: `/api/v1/staff/members/${m.id}/activation-code`,
        token: staff,
      })
      assert.equal(issued.statusCode, 201, issued.body)
      const {
        code: activation,
        expiresAt,
        qr,
      } = issued.json() as {
        code: string
        expiresAt: string
        qr: string
      }
      assert.match(activation, /^[2-9A-HJKMNP-Z]{8}$/)
      assert.equal(qr, `uss-activate:${m.no}:${activation}`)
      const hours = (new Date(expiresAt).getTime() - Date.now()) / 3600_000
      assert.ok(hours > 71 && hours <= 72)
      // Only a hash is stored.
      const stored = await rows<{ code_hash: string }>(
        s.database.db,
        sql`SELECT code_hash FROM activation_codes WHERE member_id = ${m.id}`,
      )
      assert.equal(stored.length, 1)
      assert.notEqual(stored[0].code_hash, activation)

      const detail = await s.request({
        method: 'GET',
        url: `/api/v1/staff/members/${m.id}`,
        token: staff,
      })
      const d = (detail.json() as { member: Record<string, unknown> }).member
      assert.equal(d.wechatBound, false)
      assert.equal(d.activationCodeExpiresAt, new Date(expiresAt).toISOString())
      assert.match(String(d.phoneMasked), /^1\d\d\*{4}\d{4}$/)

      // Typed the way people type it: lower case, with a dash.
      const typed = `${activation.slice(0, 4)}-${activation.slice(4)}`.toLowerCase()
      const bound = await login({ code: 'ok:openid-act-1', memberNo: m.no, activationCode: typed })
      assert.equal(bound.statusCode, 200, bound.body)
      assert.equal(await openidOf(s, m.no), 'openid-act-1')

      const reuse = await login({
        code: 'ok:openid-act-2',
        memberNo: m.no,
        activationCode: activation,
      })
      assert.equal(reuse.statusCode, 422)
      assert.equal(code(reuse), 'ACTIVATION_CODE_INVALID')
      assert.equal(await openidOf(s, m.no), 'openid-act-1')

      const issuedAudit = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM audit_log
            WHERE action = 'activation_code.issue' AND entity_id = ${String(m.id)}`,
      )
      assert.equal(issuedAudit?.n, 1)
    })

    test('activation codes: out-of-scope staff, expiry, revocation, a bound member', async () => {
      const m = await memberUnderShijingshan(s, 1)
      const outside = await s.request({
        method: 'POST',
        url: `/api/v1/staff/members/${await memberIdOf(s.database.db, 'M0001')}/activation-code`,
        token: await s.login('S0101'),
      })
      assert.equal(outside.statusCode, 404)
      const member = await s.request({
        method: 'POST',
        url: `/api/v1/staff/members/${m.id}/activation-code`,
        token: await s.login('M0001'),
      })
      assert.equal(member.statusCode, 403)

      const staff = await s.login('S0001')
      const issue = async () => {
        const res = await s.request({
          method: 'POST',
          url: `/api/v1/staff/members/${m.id}/activation-code`,
          token: staff,
        })
        assert.equal(res.statusCode, 201, res.body)
        return (res.json() as { code: string }).code
      }
      // Expired.
      const old = await issue()
      await s.database.db.execute(
        sql`UPDATE activation_codes SET expires_at = now() - interval '1 minute'
            WHERE member_id = ${m.id} AND used_at IS NULL AND revoked_at IS NULL`,
      )
      const expired = await login({ code: 'ok:openid-exp', memberNo: m.no, activationCode: old })
      assert.equal(code(expired), 'ACTIVATION_CODE_INVALID')
      // A new code replaces the old one.
      const first1 = await issue()
      const second = await issue()
      const replaced = await login({
        code: 'ok:openid-exp',
        memberNo: m.no,
        activationCode: first1,
      })
      assert.equal(code(replaced), 'ACTIVATION_CODE_INVALID')
      // Revoked.
      const revoked = await s.request({
        method: 'POST',
        url: `/api/v1/staff/members/${m.id}/activation-code/revoke`,
        token: staff,
      })
      assert.equal(revoked.statusCode, 200)
      assert.equal(
        (revoked.json() as { member: { activationCodeExpiresAt: string | null } }).member
          .activationCodeExpiresAt,
        null,
      )
      const afterRevoke = await login({
        code: 'ok:openid-exp',
        memberNo: m.no,
        activationCode: second,
      })
      assert.equal(code(afterRevoke), 'ACTIVATION_CODE_INVALID')
      assert.equal(await openidOf(s, m.no), null)
      // Four wrong tries so far for this member: reset the counter for the next test's count.
      await s.database.db.execute(sql`DELETE FROM bind_attempts WHERE member_id = ${m.id}`)

      // A bound member gets no code: staff unbind first.
      const bound = await memberIdOf(s.database.db, 'M0002')
      const refused = await s.request({
        method: 'POST',
        url: `/api/v1/staff/members/${bound}/activation-code`,
        token: staff,
      })
      assert.equal(refused.statusCode, 409)
      assert.equal(code(refused), 'MEMBER_ALREADY_BOUND')
    })

    test('5 wrong codes lock the member’s binding (429), whatever address they come from', async () => {
      const m = await memberUnderShijingshan(s, 2)
      const issued = await s.request({
        method: 'POST',
        url: `/api/v1/staff/members/${m.id}/activation-code`,
        token: await s.login('S0101'),
      })
      const right = (issued.json() as { code: string }).code
      const wrong = right.startsWith('Z') ? 'Y' + right.slice(1) : 'Z' + right.slice(1)
      const statuses: number[] = []
      for (let i = 0; i < 5; i++) {
        const res = await login(
          { code: `ok:openid-guess-${i}`, memberNo: m.no, activationCode: wrong },
          `10.0.0.${i + 1}`,
        )
        statuses.push(res.statusCode)
      }
      assert.deepEqual(statuses, [422, 422, 422, 422, 429])
      // The right code while locked is refused too, from yet another address.
      const locked = await login(
        { code: 'ok:openid-guess-right', memberNo: m.no, activationCode: right },
        '10.9.9.9',
      )
      assert.equal(locked.statusCode, 429)
      assert.equal(code(locked), 'ACTIVATION_LOCKED')
      assert.equal(await openidOf(s, m.no), null)
      const detail = await s.request({
        method: 'GET',
        url: `/api/v1/staff/members/${m.id}`,
        token: await s.login('S0101'),
      })
      assert.ok(
        (detail.json() as { member: { bindLockedUntil: string | null } }).member.bindLockedUntil,
      )

      // Once the lock has passed, the right code binds.
      await s.database.db.execute(
        sql`UPDATE bind_attempts SET locked_until = now() - interval '1 second'
            WHERE member_id = ${m.id}`,
      )
      const ok = await login({
        code: 'ok:openid-guess-right',
        memberNo: m.no,
        activationCode: right,
      })
      assert.equal(ok.statusCode, 200, ok.body)
      // An unknown member number answers like a wrong code.
      const unknown = await login({
        code: 'ok:openid-nobody',
        memberNo: 'M9999',
        activationCode: right,
      })
      assert.equal(code(unknown), 'ACTIVATION_CODE_INVALID')
    })

    test('logout ends the session at once; everywhere ends them all', async () => {
      const a = (await (await login({ code: 'ok:openid-m0002' })).json()) as { token: string }
      const b = (await (await login({ code: 'ok:openid-m0002' })).json()) as { token: string }
      const c = (await (await login({ code: 'ok:openid-m0002' })).json()) as { token: string }
      const out = await s.request({ method: 'POST', url: '/api/v1/auth/logout', token: a.token })
      assert.equal(out.statusCode, 200)
      assert.equal(
        (await s.request({ method: 'GET', url: '/api/v1/me', token: a.token })).statusCode,
        401,
      )
      assert.equal(
        (await s.request({ method: 'GET', url: '/api/v1/me', token: b.token })).statusCode,
        200,
      )
      const all = await s.request({
        method: 'POST',
        url: '/api/v1/auth/logout',
        token: b.token,
        body: { everywhere: true },
      })
      assert.equal(all.statusCode, 200)
      assert.equal(
        (await s.request({ method: 'GET', url: '/api/v1/me', token: b.token })).statusCode,
        401,
      )
      assert.equal(
        (await s.request({ method: 'GET', url: '/api/v1/me', token: c.token })).statusCode,
        401,
      )
      // Tokens are stored only as hashes.
      const plain = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM sessions WHERE token_hash = ${c.token}`,
      )
      assert.equal(plain?.n, 0)
      const hashed = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM sessions WHERE token_hash = ${hashToken(c.token)}`,
      )
      assert.equal(hashed?.n, 1)
    })

    test('removing a role ends the sessions; an admin signs a member out everywhere', async () => {
      const admin = await s.login('A0001')
      const staffToken = (
        (
          await s.request({
            method: 'POST',
            url: '/api/v1/auth/dev-login',
            body: { memberNo: 'S0101' },
          })
        ).json() as {
          token: string
        }
      ).token
      const s0101 = await memberIdOf(s.database.db, 'S0101')
      // Changing the name keeps the session.
      const renamed = await s.request({
        method: 'PATCH',
        url: `/api/v1/admin/members/${s0101}`,
        token: admin,
        body: { name: '孙丽娟' },
      })
      assert.equal(renamed.statusCode, 200, renamed.body)
      assert.equal(
        (await s.request({ method: 'GET', url: '/api/v1/me', token: staffToken })).statusCode,
        200,
      )
      const demoted = await s.request({
        method: 'PATCH',
        url: `/api/v1/admin/members/${s0101}`,
        token: admin,
        body: { roles: ['member'] },
      })
      assert.equal(demoted.statusCode, 200, demoted.body)
      const after = await s.request({ method: 'GET', url: '/api/v1/me', token: staffToken })
      assert.equal(after.statusCode, 401)
      // Restore for the other tests (its cached token is gone too).
      const restored = await s.request({
        method: 'PATCH',
        url: `/api/v1/admin/members/${s0101}`,
        token: admin,
        body: {
          roles: ['member', 'staff'],
          staffUnionId: (await first<{ id: number }>(
            s.database.db,
            sql`SELECT id FROM unions WHERE name = '石景山区总工会'`,
          ))!.id,
        },
      })
      assert.equal(restored.statusCode, 200, restored.body)

      const m5 = (
        (
          await s.request({
            method: 'POST',
            url: '/api/v1/auth/dev-login',
            body: { memberNo: 'M0005' },
          })
        ).json() as {
          token: string
        }
      ).token
      const revoked = await s.request({
        method: 'POST',
        url: `/api/v1/admin/members/${await memberIdOf(s.database.db, 'M0005')}/sessions/revoke`,
        token: admin,
      })
      assert.equal(revoked.statusCode, 200)
      assert.equal((revoked.json() as { revoked: number }).revoked, 1)
      assert.equal(
        (await s.request({ method: 'GET', url: '/api/v1/me', token: m5 })).statusCode,
        401,
      )
    })

    test('unbinding (self or staff) ends the sessions; re-binding needs proof again', async () => {
      const bound = (await (await login({ code: 'ok:openid-m0003' })).json()) as { token: string }
      const self = await s.request({
        method: 'POST',
        url: '/api/v1/me/wechat/unbind',
        token: bound.token,
      })
      assert.equal(self.statusCode, 200)
      assert.equal(
        (await s.request({ method: 'GET', url: '/api/v1/me', token: bound.token })).statusCode,
        401,
      )
      assert.equal(await openidOf(s, 'M0003'), null)
      const codeOnly = await login({ code: 'ok:openid-m0003' })
      assert.equal(code(codeOnly), 'WECHAT_NOT_BOUND')
      // A new phone's WeChat binds by the roster phone.
      const rebound = await login({ code: 'ok:openid-m0003-new', phoneCode: 'phone:13800000003' })
      assert.equal(rebound.statusCode, 200)
      const token = (rebound.json() as { token: string }).token

      const staff = await s.request({
        method: 'POST',
        url: `/api/v1/staff/members/${await memberIdOf(s.database.db, 'M0003')}/wechat/unbind`,
        token: await s.login('S0001'),
      })
      assert.equal(staff.statusCode, 200, staff.body)
      assert.equal((staff.json() as { member: { wechatBound: boolean } }).member.wechatBound, false)
      assert.equal((await s.request({ method: 'GET', url: '/api/v1/me', token })).statusCode, 401)
      const audits = await rows<{ after: { by: string } }>(
        s.database.db,
        sql`SELECT after FROM audit_log WHERE action = 'wechat.unbind'
            AND entity_id = ${String(await memberIdOf(s.database.db, 'M0003'))} ORDER BY id`,
      )
      assert.deepEqual(
        audits.map((a) => a.after.by),
        ['self', 'staff'],
      )
    })

    test('QR sign-in: pending → approved by the member → the token once → used', async () => {
      const created = await s.app.inject({
        method: 'POST',
        url: '/api/v1/auth/qr-tickets',
        headers: {
          'user-agent':
            'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
        },
      })
      assert.equal(created.statusCode, 201)
      const { ticket, expiresAt } = created.json() as { ticket: string; expiresAt: string }
      const seconds = (new Date(expiresAt).getTime() - Date.now()) / 1000
      assert.ok(seconds > 100 && seconds <= 120)
      const poll = () => s.request({ method: 'GET', url: `/api/v1/auth/qr-tickets/${ticket}` })
      const pending = (await poll()).json() as { status: string; browser: string; token?: string }
      assert.equal(pending.status, 'pending')
      assert.equal(pending.browser, 'Chrome 126 · Windows')
      assert.equal(pending.token, undefined)

      const member = await s.login('M0001')
      const approved = await s.request({
        method: 'POST',
        url: `/api/v1/auth/qr-tickets/${ticket}/approve`,
        token: member,
      })
      assert.equal(approved.statusCode, 200, approved.body)
      // Another member cannot take over a ticket approved by someone else.
      const other = await s.request({
        method: 'POST',
        url: `/api/v1/auth/qr-tickets/${ticket}/approve`,
        token: await s.login('M0006'),
      })
      assert.equal(other.statusCode, 409)

      // Many polls at once: exactly one gets the token.
      const polls = await Promise.all(Array.from({ length: 8 }, () => poll()))
      const withToken = polls.filter((p) => (p.json() as { token?: string }).token)
      assert.equal(withToken.length, 1)
      const signedIn = withToken[0].json() as {
        token: string
        member: { memberNo: string }
        status: string
      }
      assert.equal(signedIn.member.memberNo, 'M0001')
      const me = await s.request({ method: 'GET', url: '/api/v1/me', token: signedIn.token })
      assert.equal(me.statusCode, 200)
      const kind = await first<{ kind: string; client: string }>(
        s.database.db,
        sql`SELECT kind, client FROM sessions WHERE token_hash = ${hashToken(signedIn.token)}`,
      )
      assert.equal(kind?.kind, 'web')
      const used = (await poll()).json() as { status: string; token?: string }
      assert.equal(used.status, 'used')
      assert.equal(used.token, undefined)

      // A web session cannot approve another web page.
      const next = (
        (await s.request({ method: 'POST', url: '/api/v1/auth/qr-tickets' })).json() as {
          ticket: string
        }
      ).ticket
      const chained = await s.request({
        method: 'POST',
        url: `/api/v1/auth/qr-tickets/${next}/approve`,
        token: signedIn.token,
      })
      assert.equal(chained.statusCode, 403)
      assert.equal(code(chained), 'QR_APPROVE_NOT_ALLOWED')
    })

    test('QR tickets expire, can be declined, and unknown ones are 404', async () => {
      const member = await s.login('M0001')
      const make = async () =>
        (
          (await s.request({ method: 'POST', url: '/api/v1/auth/qr-tickets' })).json() as {
            ticket: string
          }
        ).ticket
      const stale = await make()
      await s.database.db.execute(
        sql`UPDATE qr_tickets SET expires_at = now() - interval '1 second'
            WHERE ticket_hash = ${hashToken(stale)}`,
      )
      const poll = await s.request({ method: 'GET', url: `/api/v1/auth/qr-tickets/${stale}` })
      assert.equal((poll.json() as { status: string }).status, 'expired')
      const late = await s.request({
        method: 'POST',
        url: `/api/v1/auth/qr-tickets/${stale}/approve`,
        token: member,
      })
      assert.equal(late.statusCode, 409)
      assert.equal(code(late), 'QR_TICKET_EXPIRED')

      const declined = await make()
      const cancel = await s.request({
        method: 'POST',
        url: `/api/v1/auth/qr-tickets/${declined}/cancel`,
        token: member,
      })
      assert.equal(cancel.statusCode, 200)
      const afterCancel = await s.request({
        method: 'GET',
        url: `/api/v1/auth/qr-tickets/${declined}`,
      })
      assert.equal((afterCancel.json() as { status: string }).status, 'expired')

      const unknown = await s.request({
        method: 'GET',
        url: `/api/v1/auth/qr-tickets/${'x'.repeat(43)}`,
      })
      assert.equal(unknown.statusCode, 404)
      assert.equal(code(unknown), 'QR_TICKET_NOT_FOUND')
      const malformed = await s.request({ method: 'GET', url: '/api/v1/auth/qr-tickets/abc' })
      assert.equal(malformed.statusCode, 400)
    })

    test('a request without a valid token is 401 whatever its body', async () => {
      for (const payload of [{ itemId: 'junk' }, 'not json at all', { quantity: 1e99 }]) {
        const res = await s.app.inject({
          method: 'POST',
          url: '/api/v1/mall/orders',
          payload,
          headers: { 'content-type': 'application/json' },
        })
        assert.equal(res.statusCode, 401, res.body)
        assert.equal(code(res), 'UNAUTHENTICATED')
      }
    })

    test('auth options say what the sign-in page may offer', async () => {
      const res = await s.request({ method: 'GET', url: '/api/v1/auth/options' })
      assert.deepEqual(res.json(), { devLogin: true, wechat: true })
    })
  })

  describe(`sign-in limits on ${engine}`, () => {
    test('200 different members signing in from one address within a minute all pass', async () => {
      const wechat = await startFakeWechat(APP.appId, APP.appSecret)
      const s = await startTestServer(engine, {
        wechat: { ...APP, baseUrl: wechat.baseUrl },
        loginRateLimit: configFromEnv({}).loginRateLimit,
      })
      try {
        await s.database.db.execute(
          sql`UPDATE members SET wechat_openid = 'venue-' || member_no
              WHERE member_no LIKE 'M%' AND member_no <= 'M0200'`,
        )
        // 200 people at a venue, 20 at a time (they arrive within the minute, not in one instant).
        const results = []
        for (let wave = 0; wave < 10; wave++) {
          results.push(
            ...(await Promise.all(
              Array.from({ length: 20 }, (_, i) =>
                s.app.inject({
                  method: 'POST',
                  url: '/api/v1/auth/wechat',
                  payload: { code: `ok:venue-M${String(wave * 20 + i + 1).padStart(4, '0')}` },
                  remoteAddress: '203.0.113.7',
                }),
              ),
            )),
          )
        }
        const statuses = new Map<number, number>()
        for (const r of results) statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1)
        assert.deepEqual([...statuses], [[200, 200]])
      } finally {
        await s.close()
        await wechat.close()
      }
    })

    test('X-Forwarded-For is ignored unless TRUST_PROXY says so', async () => {
      const attempt = (s: TestServer, xff: string) =>
        s.app.inject({
          method: 'POST',
          url: '/api/v1/auth/dev-login',
          payload: { memberNo: 'M0001' },
          remoteAddress: '198.51.100.1',
          headers: { 'x-forwarded-for': xff },
        })
      const plain = await startTestServer(engine, { loginRateLimit: 3 })
      try {
        const codes: number[] = []
        for (let i = 0; i < 5; i++) codes.push((await attempt(plain, `192.0.2.${i}`)).statusCode)
        assert.deepEqual(codes, [200, 200, 200, 429, 429])
      } finally {
        await plain.close()
      }
      const proxied = await startTestServer(engine, { loginRateLimit: 3, trustProxy: 1 })
      try {
        const codes: number[] = []
        for (let i = 0; i < 5; i++) codes.push((await attempt(proxied, `192.0.2.${i}`)).statusCode)
        assert.deepEqual(codes, [200, 200, 200, 200, 200])
      } finally {
        await proxied.close()
      }
    })
  })
}

describe('demo and production are different starts', () => {
  const runServer = (env: Record<string, string>) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', DATA_DIR: 'memory://', PORT: '0', ...env },
      })
      let out = ''
      child.stdout.on('data', (d: Buffer) => (out += d.toString()))
      child.stderr.on('data', (d: Buffer) => (out += d.toString()))
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
      child.on('exit', (c) => {
        clearTimeout(timer)
        resolve({ code: c, out })
      })
    })

  test('production refuses dev-login', async () => {
    const r = await runServer({ NODE_ENV: 'production', DEV_LOGIN: '1', DATA_KEY: 'a'.repeat(64) })
    assert.equal(r.code, 1)
    assert.match(r.out, /DEV_LOGIN=1 不能用于生产环境/)
  })

  test('production refuses to start without its data key', async () => {
    const r = await runServer({ NODE_ENV: 'production' })
    assert.equal(r.code, 1)
    assert.match(r.out, /生产环境需要 DATA_KEY/)
  })

  test('dev-login on an address reachable from the network refuses to start', async () => {
    const r = await runServer({ DEV_LOGIN: '1', HOST: '0.0.0.0' })
    assert.equal(r.code, 1)
    assert.match(r.out, /DEV_LOGIN=1 只允许在本机地址上运行/)
  })

  test('production seeds no demo data unless SEED=1, and dev-login answers 404', async () => {
    for (const engine of engines()) {
      const s = await startTestServer(
        engine,
        { production: true, devLogin: false, dataKey: 'b'.repeat(64) },
        { seed: false },
      )
      try {
        const n = await first<{ n: number }>(
          s.database.db,
          sql`SELECT count(*)::int AS n FROM members`,
        )
        assert.equal(n?.n, 0)
        const res = await s.request({
          method: 'POST',
          url: '/api/v1/auth/dev-login',
          body: { memberNo: 'A0001' },
        })
        assert.equal(res.statusCode, 404)
      } finally {
        await s.close()
      }
    }
    const { shouldSeed } = await import('../../server/main')
    assert.equal(shouldSeed({}, true), false)
    assert.equal(shouldSeed({ SEED: '1' }, true), true)
    assert.equal(shouldSeed({}, false), true)
    assert.equal(shouldSeed({ SEED: '0' }, false), false)
  })
})
