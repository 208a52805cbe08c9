import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { rows } from '../../server/db/sql'
import { createSessions, hashToken } from '../../server/lib/sessions'
import { mayActOnUnion } from '../../server/modules/org/union-tree'
import { findMemberByNo } from '../../server/modules/org/members'
import { engines, startTestServer, type TestServer } from '../support/server'
import { startFakeWechat } from '../support/fake-wechat'

type ErrorJson = { error: { code: string; message: string } }
const hasChinese = (s: string) => /[\u4e00-\u9fa5]/.test(s)

for (const engine of engines()) {
  describe(`foundation API on ${engine}`, () => {
    let s: TestServer
    let wechat: Awaited<ReturnType<typeof startFakeWechat>>

    before(async () => {
      wechat = await startFakeWechat('wx-test-app', 'wx-test-secret')
      s = await startTestServer(engine, {
        wechat: { appId: 'wx-test-app', appSecret: 'wx-test-secret', baseUrl: wechat.baseUrl },
      })
    })
    after(async () => {
      await s?.close()
      await wechat?.close()
    })

    test('health answers once the database does', async () => {
      const res = await s.request({ method: 'GET', url: '/api/health' })
      assert.equal(res.statusCode, 200)
      assert.deepEqual(res.json(), { ok: true })
    })

    test('401 without a token, with a forged one and with an expired one', async () => {
      const none = await s.request({ method: 'GET', url: '/api/v1/me' })
      assert.equal(none.statusCode, 401)
      assert.equal((none.json() as ErrorJson).error.code, 'UNAUTHENTICATED')
      assert.ok(hasChinese((none.json() as ErrorJson).error.message))

      // A well-formed token that no session has.
      const forged = 's1.' + 'A'.repeat(43)
      const bad = await s.request({ method: 'GET', url: '/api/v1/me', token: forged })
      assert.equal(bad.statusCode, 401)

      const garbage = await s.request({ method: 'GET', url: '/api/v1/me', token: 'v1.abc.def' })
      assert.equal(garbage.statusCode, 401)

      const member = await findMemberByNo(s.database.db, 'M0001')
      assert.ok(member)
      const [expired] = await createSessions(s.database.db, [member.id], 'dev', 60)
      await s.database.db.execute(
        sql`UPDATE sessions SET expires_at = now() - interval '1 second'
            WHERE token_hash = ${hashToken(expired)}`,
      )
      const res = await s.request({ method: 'GET', url: '/api/v1/me', token: expired })
      assert.equal(res.statusCode, 401)
      assert.equal((res.json() as ErrorJson).error.message, '登录已失效，请重新登录')

      const [valid] = await createSessions(s.database.db, [member.id], 'dev', 60)
      const ok = await s.request({ method: 'GET', url: '/api/v1/me', token: valid })
      assert.equal(ok.statusCode, 200)
    })

    test('/me answers the signed-in member with union and roles', async () => {
      const token = await s.login('M0001')
      const res = await s.request({ method: 'GET', url: '/api/v1/me', token })
      assert.equal(res.statusCode, 200)
      const { member } = res.json() as { member: Record<string, unknown> }
      assert.equal(member.memberNo, 'M0001')
      assert.equal(member.name, '张伟')
      assert.equal(member.unionName, '小米工会')
      assert.deepEqual(member.roles, ['member'])
      assert.equal(member.staffUnionId, undefined)

      const staff = await s.request({
        method: 'GET',
        url: '/api/v1/me',
        token: await s.login('S0101'),
      })
      const sm = (staff.json() as { member: { roles: string[]; staffUnionId: number } }).member
      assert.ok(sm.roles.includes('staff'))
      assert.equal(typeof sm.staffUnionId, 'number')
    })

    test('dev-login: unknown member → 404 in Chinese; bad member number → 400', async () => {
      const unknown = await s.request({
        method: 'POST',
        url: '/api/v1/auth/dev-login',
        body: { memberNo: 'M9999' },
      })
      assert.equal(unknown.statusCode, 404)
      assert.match((unknown.json() as ErrorJson).error.message, /M9999 不存在/)
      const bad = await s.request({
        method: 'POST',
        url: '/api/v1/auth/dev-login',
        body: { memberNo: 'hello' },
      })
      assert.equal(bad.statusCode, 400)
      assert.equal((bad.json() as ErrorJson).error.code, 'BAD_REQUEST')
      assert.match((bad.json() as ErrorJson).error.message, /会员号格式不正确/)
    })

    test('an unknown field in a body → 400 BAD_REQUEST naming the field', async () => {
      const res = await s.request({
        method: 'POST',
        url: '/api/v1/auth/dev-login',
        body: { memberNo: 'M0001', isAdmin: true },
      })
      assert.equal(res.statusCode, 400)
      const { error } = res.json() as ErrorJson
      assert.equal(error.code, 'BAD_REQUEST')
      assert.match(error.message, /不认识的字段：isAdmin/)
    })

    test('malformed JSON and unknown routes answer in the contract shape', async () => {
      const res = await s.app.inject({
        method: 'POST',
        url: '/api/v1/auth/dev-login',
        headers: { 'content-type': 'application/json' },
        payload: '{"memberNo":',
      })
      assert.equal(res.statusCode, 400)
      assert.equal((res.json() as ErrorJson).error.code, 'BAD_REQUEST')
      const missing = await s.request({
        method: 'GET',
        url: '/api/v1/nope',
        token: await s.login('M0001'),
      })
      assert.equal(missing.statusCode, 404)
      assert.equal((missing.json() as ErrorJson).error.code, 'NOT_FOUND')
    })

    test('WeChat errors become a clear Chinese error', async () => {
      const res = await s.request({
        method: 'POST',
        url: '/api/v1/auth/wechat',
        body: { code: 'junk' },
      })
      assert.equal(res.statusCode, 401)
      const { error } = res.json() as ErrorJson
      assert.equal(error.code, 'WECHAT_LOGIN_FAILED')
      assert.equal(error.message, '微信登录凭证无效或已过期，请重新登录')
      const used = await s.request({
        method: 'POST',
        url: '/api/v1/auth/wechat',
        body: { code: 'used' },
      })
      assert.equal(used.statusCode, 401)
    })

    test('admin creates a union and a member; a duplicate member number → 409', async () => {
      const token = await s.login('A0001')
      const unions = await s.request({ method: 'GET', url: '/api/v1/unions', token })
      const list = (
        unions.json() as { unions: Array<{ id: number; name: string; parentId: number | null }> }
      ).unions
      const chaoyang = list.find((u) => u.name === '朝阳区总工会')
      assert.ok(chaoyang)

      const created = await s.request({
        method: 'POST',
        url: '/api/v1/admin/unions',
        token,
        body: { name: '京东物流工会', parentId: chaoyang.id },
      })
      assert.equal(created.statusCode, 201, created.body)
      const union = (created.json() as { union: { id: number; name: string; parentId: number } })
        .union
      assert.equal(union.parentId, chaoyang.id)

      const member = await s.request({
        method: 'POST',
        url: '/api/v1/admin/members',
        token,
        body: { memberNo: 'M1001', name: '刘快递', unionId: union.id },
      })
      assert.equal(member.statusCode, 201, member.body)
      assert.equal(
        (member.json() as { member: { unionName: string } }).member.unionName,
        '京东物流工会',
      )

      const dup = await s.request({
        method: 'POST',
        url: '/api/v1/admin/members',
        token,
        body: { memberNo: 'M1001', name: '另一个人', unionId: union.id },
      })
      assert.equal(dup.statusCode, 409)
      assert.equal((dup.json() as ErrorJson).error.code, 'MEMBER_EXISTS')

      const badUnion = await s.request({
        method: 'POST',
        url: '/api/v1/admin/members',
        token,
        body: { memberNo: 'M1002', name: '王五', unionId: 999999 },
      })
      assert.equal(badUnion.statusCode, 404)
      assert.equal((badUnion.json() as ErrorJson).error.code, 'UNION_NOT_FOUND')

      const staffWithoutScope = await s.request({
        method: 'POST',
        url: '/api/v1/admin/members',
        token,
        body: { memberNo: 'S1001', name: '赵干部', unionId: union.id, roles: ['member', 'staff'] },
      })
      assert.equal(staffWithoutScope.statusCode, 400)

      // The new member can sign in and has an empty points account.
      const newToken = await s.login('M1001')
      const pts = await s.request({ method: 'GET', url: '/api/v1/points', token: newToken })
      assert.deepEqual(pts.json(), { balance: 0, expiring: [] })

      // Both writes are in the audit log with who and what.
      const log = await rows<{ action: string; actor: string; after: { name: string } }>(
        s.database.db,
        sql`SELECT a.action, m.member_no AS actor, a.after FROM audit_log a
            JOIN members m ON m.id = a.actor_id ORDER BY a.id`,
      )
      assert.deepEqual(
        log.map((l) => [l.action, l.actor, l.after.name]),
        [
          ['union.create', 'A0001', '京东物流工会'],
          ['member.create', 'A0001', '刘快递'],
        ],
      )
    })

    test('a retried create with the same Idempotency-Key creates nothing new', async () => {
      const token = await s.login('A0001')
      const body = { name: '首钢园联合工会', parentId: null }
      const headers = { 'idempotency-key': 'create-union-0001' }
      const a = await s.request({
        method: 'POST',
        url: '/api/v1/admin/unions',
        token,
        body,
        headers,
      })
      const b = await s.request({
        method: 'POST',
        url: '/api/v1/admin/unions',
        token,
        body,
        headers,
      })
      assert.equal(a.statusCode, 201)
      assert.equal(b.statusCode, 201)
      assert.deepEqual(a.json(), b.json())
      const count = await rows<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM unions WHERE name = '首钢园联合工会'`,
      )
      assert.equal(count[0].n, 1)
      const reuse = await s.request({
        method: 'POST',
        url: '/api/v1/admin/unions',
        token,
        body: { name: '别的工会', parentId: null },
        headers,
      })
      assert.equal(reuse.statusCode, 422)
      assert.equal((reuse.json() as ErrorJson).error.code, 'IDEMPOTENCY_KEY_REUSED')
    })

    test('members and staff cannot use admin routes (403)', async () => {
      for (const who of ['M0001', 'S0001', 'S0101', 'L0001']) {
        const token = await s.login(who)
        const res = await s.request({
          method: 'POST',
          url: '/api/v1/admin/unions',
          token,
          body: { name: `不该出现的工会${who}`, parentId: null },
        })
        assert.equal(res.statusCode, 403, who)
        assert.equal((res.json() as ErrorJson).error.code, 'FORBIDDEN')
        const m = await s.request({
          method: 'POST',
          url: '/api/v1/admin/members',
          token,
          body: { memberNo: 'M2000', name: '某人', unionId: 1 },
        })
        assert.equal(m.statusCode, 403, who)
      }
      const count = await rows<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM unions WHERE name LIKE '不该出现的工会%'`,
      )
      assert.equal(count[0].n, 0)
    })

    test('staff scope follows the union tree', async () => {
      const db = s.database.db
      const byName = new Map(
        (await rows<{ id: number; name: string }>(db, sql`SELECT id, name FROM unions`)).map(
          (u) => [u.name, u.id],
        ),
      )
      const id = (n: string) => byName.get(n) as number
      const s0101 = await findMemberByNo(db, 'S0101')
      const s0001 = await findMemberByNo(db, 'S0001')
      const m0001 = await findMemberByNo(db, 'M0001')
      const admin = await findMemberByNo(db, 'A0001')
      assert.ok(s0101 && s0001 && m0001 && admin)
      assert.equal(await mayActOnUnion(db, s0101, id('石景山区总工会')), true)
      assert.equal(await mayActOnUnion(db, s0101, id('四方继保工会')), true)
      assert.equal(await mayActOnUnion(db, s0101, id('小米工会')), false)
      assert.equal(await mayActOnUnion(db, s0101, id('北京市总工会')), false)
      assert.equal(await mayActOnUnion(db, s0001, id('小米工会')), true)
      assert.equal(await mayActOnUnion(db, s0001, id('武清区总工会')), false)
      assert.equal(await mayActOnUnion(db, m0001, id('小米工会')), false)
      assert.equal(await mayActOnUnion(db, admin, id('廊坊市总工会')), true)
    })

    test('points: the balance is the ledger sum and the ledger pages by cursor', async () => {
      const token = await s.login('M0003')
      const summary = (await s.request({ method: 'GET', url: '/api/v1/points', token })).json() as {
        balance: number
      }
      const page = await s.request({ method: 'GET', url: '/api/v1/points/ledger?limit=1', token })
      assert.equal(page.statusCode, 200)
      const { entries } = page.json() as {
        entries: Array<{ amount: number; balanceAfter: number }>
      }
      assert.equal(entries.length, 1)
      assert.equal(entries[0].balanceAfter, summary.balance)
      const bad = await s.request({ method: 'GET', url: '/api/v1/points/ledger?limit=0', token })
      assert.equal(bad.statusCode, 400)
      const sums = await rows<{ mismatched: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS mismatched FROM point_accounts a
            WHERE a.balance <> (SELECT coalesce(sum(amount), 0) FROM point_ledger l WHERE l.member_id = a.member_id)`,
      )
      assert.equal(sums[0].mismatched, 0)
    })
  })

  describe(`sign-in switches on ${engine}`, () => {
    test('dev-login off → 404', async () => {
      const s = await startTestServer(engine, { devLogin: false })
      try {
        const res = await s.request({
          method: 'POST',
          url: '/api/v1/auth/dev-login',
          body: { memberNo: 'M0001' },
        })
        assert.equal(res.statusCode, 404)
        assert.equal((res.json() as ErrorJson).error.code, 'DEV_LOGIN_DISABLED')
      } finally {
        await s.close()
      }
    })

    test('sign-in routes are rate limited per client', async () => {
      const s = await startTestServer(engine, { loginRateLimit: 3 })
      try {
        const codes: number[] = []
        for (let i = 0; i < 5; i++) {
          const res = await s.request({
            method: 'POST',
            url: '/api/v1/auth/dev-login',
            body: { memberNo: 'M0001' },
          })
          codes.push(res.statusCode)
          if (res.statusCode === 429) {
            assert.equal((res.json() as ErrorJson).error.code, 'RATE_LIMITED')
          }
        }
        assert.deepEqual(codes, [200, 200, 200, 429, 429])
      } finally {
        await s.close()
      }
    })

    test('WeChat sign-in without configuration says so', async () => {
      const s = await startTestServer(engine, { wechat: { baseUrl: 'http://127.0.0.1:9' } })
      try {
        const res = await s.request({
          method: 'POST',
          url: '/api/v1/auth/wechat',
          body: { code: 'x' },
        })
        assert.equal(res.statusCode, 503)
        assert.equal((res.json() as ErrorJson).error.code, 'WECHAT_UNAVAILABLE')
      } finally {
        await s.close()
      }
    })
  })
}
