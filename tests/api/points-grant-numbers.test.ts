/**
 * Grants by member number (issue 14): staff have numbers, not internal ids. The preview lists the
 * numbers it cannot find among the caller's members; the grant refuses while any are left.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { first, rows } from '../../server/db/sql'
import { parseMemberNos } from '../../src/contract/points'
import { routes } from '../../src/contract/routes'
import { expectError, parseAnswer } from '../support/api'
import { balanceOf, brokenInvariants, memberIdOf } from '../support/points'
import { engines, startTestServer, type TestServer } from '../support/server'

test('parseMemberNos: pasted lists split on spaces, commas, 、； and lines; upper-cased, once each', () => {
  assert.deepEqual(parseMemberNos(' m0001, M0002，M0003\r\nM0001 、m0004;M0005；\tM0006  '), [
    'M0001',
    'M0002',
    'M0003',
    'M0004',
    'M0005',
    'M0006',
  ])
  assert.deepEqual(parseMemberNos(' \n ,， '), [])
})

for (const engine of engines()) {
  describe(`grants by member number on ${engine}`, () => {
    let s: TestServer
    let staff: string
    /** Two members under 石景山 (S0101's scope), and one outside it. */
    let mine: string[]
    let foreign: string

    before(async () => {
      s = await startTestServer(engine)
      staff = await s.login('S0101')
      const under = await rows<{ member_no: string }>(
        s.database.db,
        sql`SELECT m.member_no FROM members m JOIN unions u ON u.id = m.union_id
            WHERE u.name IN ('石景山区总工会', '四方继保工会') AND m.member_no LIKE 'M%'
            ORDER BY m.member_no LIMIT 2`,
      )
      mine = under.map((m) => m.member_no)
      assert.equal(mine.length, 2)
      const outside = await first<{ member_no: string }>(
        s.database.db,
        sql`SELECT m.member_no FROM members m JOIN unions u ON u.id = m.union_id
            WHERE u.name = '小米工会' ORDER BY m.member_no LIMIT 1`,
      )
      assert.ok(outside)
      foreign = outside.member_no
    })
    after(async () => {
      if (s) assert.deepEqual(await brokenInvariants(s.database.db), [])
      await s?.close()
    })

    const preview = (body: unknown) =>
      s.request({
        method: 'POST',
        url: '/api/v1/staff/points/grants/preview',
        token: staff,
        body,
      })
    const grant = (body: unknown) =>
      s.request({ method: 'POST', url: '/api/v1/staff/points/grants', token: staff, body })
    const grantCount = async () =>
      (await first<{ n: number }>(s.database.db, sql`SELECT count(*)::int AS n FROM point_grants`))
        ?.n ?? 0

    test('preview: known members counted, unknown and out-of-scope numbers listed alike', async () => {
      const asked = [mine[0].toLowerCase(), ` ${mine[1]} `, mine[0], foreign, 'X9999']
      const res = await preview({ memberNos: asked })
      assert.equal(res.statusCode, 200, res.body)
      const p = parseAnswer(routes.previewGrant, res)
      assert.equal(p.memberCount, 2)
      assert.deepEqual(
        p.sample.map((m) => m.memberNo),
        [...mine].sort(),
      )
      assert.deepEqual(p.unknownMemberNos, [foreign, 'X9999'])
      // Other targets answer an empty list.
      const byId = parseAnswer(
        routes.previewGrant,
        await preview({ memberIds: [await memberIdOf(s.database.db, mine[0])] }),
      )
      assert.deepEqual(byId.unknownMemberNos, [])
    })

    test('grant: refused while any number is unknown, nothing written; then granted by number', async () => {
      const before = await grantCount()
      const balances = await Promise.all(
        mine.map(async (no) => balanceOf(s.database.db, await memberIdOf(s.database.db, no))),
      )
      const refused = await grant({
        amount: 30,
        reason: '技能比武',
        memberNos: [...mine, foreign, 'X9999'],
      })
      const message = expectError(refused, 422, 'UNKNOWN_MEMBER_NOS')
      assert.match(message, new RegExp(`有 2 个会员号不存在或不在管理范围内：${foreign}、X9999`))
      assert.equal(await grantCount(), before)

      const res = await grant({ amount: 30, reason: '技能比武', memberNos: mine })
      assert.equal(res.statusCode, 201, res.body)
      assert.equal(parseAnswer(routes.grantPoints, res).granted, 2)
      for (const [i, no] of mine.entries()) {
        const memberId = await memberIdOf(s.database.db, no)
        assert.equal(await balanceOf(s.database.db, memberId), balances[i] + 30)
      }
    })

    test('one target only; numbers must be given', async () => {
      const id = await memberIdOf(s.database.db, mine[0])
      for (const body of [
        { amount: 1, reason: '两者', memberNos: mine, memberIds: [id] },
        { amount: 1, reason: '空', memberNos: [] },
        { amount: 1, reason: '空白', memberNos: ['  '] },
      ]) {
        expectError(await grant(body), 400, 'BAD_REQUEST')
      }
      expectError(await preview({ memberNos: [] }), 400, 'BAD_REQUEST')
    })
  })
}
