import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { first, rows } from '../../server/db/sql'
import { routes } from '../../src/contract/routes'
import { parseAnswer } from '../support/api'
import { engines, startTestServer, type TestServer } from '../support/server'

// Member search (`GET /staff/members?q=`) through the character-pair index (migration 0019): for
// every query, the answer is exactly what a plain substring scan of the staff's members gives —
// two-character Chinese names, one character, a pair in the middle, member numbers in lower case,
// LIKE's wildcards taken literally.
for (const engine of engines()) {
  describe(`member search on ${engine}`, () => {
    let s: TestServer
    let staff: string
    let admin: string

    before(async () => {
      s = await startTestServer(engine)
      staff = await s.login('S0101')
      admin = await s.login('A0001')
      // Into the staff's own union, so that their search reaches them.
      const own = await first<{ id: number }>(
        s.database.db,
        sql`SELECT staff_union_id AS id FROM members WHERE member_no = 'S0101'`,
      )
      const union = own!.id
      await s.database.db.execute(
        sql`INSERT INTO members (member_no, name, union_id, roles) VALUES
              ('ZS9001', '王小明', ${union}, ARRAY['member']),
              ('ZS9002', '张伟', ${union}, ARRAY['member']),
              ('ZS9003', '欧阳娜娜', ${union}, ARRAY['member']),
              ('ZS9004', '小明_100%', ${union}, ARRAY['member']),
              ('ZS9005', 'Anna Li', ${union}, ARRAY['member'])`,
      )
    })
    after(async () => {
      await s?.close()
    })

    /** The members a token's search answers, by number. */
    const search = async (token: string, q: string) => {
      const res = await s.request({
        method: 'GET',
        url: `/api/v1/staff/members?q=${encodeURIComponent(q)}&limit=100`,
        token,
      })
      return parseAnswer(routes.staffMembers, res).members.map((m) => m.memberNo)
    }

    /** A plain scan: the members of those unions whose name holds q or whose number holds Q. */
    const scan = async (unionIds: number[] | null, q: string) => {
      const all = await rows<{ member_no: string; name: string; union_id: number }>(
        s.database.db,
        sql`SELECT member_no, name, union_id FROM members`,
      )
      return all
        .filter((m) => unionIds === null || unionIds.includes(m.union_id))
        .filter((m) => m.name.includes(q) || m.member_no.includes(q.toUpperCase()))
        .map((m) => m.member_no)
        .sort()
        .slice(0, 100)
    }

    const queries = [
      '小明',
      '张',
      '阳娜',
      '娜娜',
      'zs90',
      'ZS9003',
      '伟张',
      '_1',
      '%',
      'anna',
      'Anna',
      'M00',
      '1',
    ]

    test('every query answers what a substring scan answers (staff scope and admin)', async () => {
      const scope = (
        await rows<{ id: number }>(
          s.database.db,
          sql`WITH RECURSIVE down(id) AS (
                SELECT staff_union_id FROM members WHERE member_no = 'S0101'
                UNION ALL SELECT u.id FROM unions u JOIN down ON u.parent_id = down.id)
              SELECT id FROM down`,
        )
      ).map((u) => u.id)
      for (const q of queries) {
        assert.deepEqual(await search(staff, q), await scan(scope, q), `staff: ${q}`)
        assert.deepEqual(await search(admin, q), await scan(null, q), `admin: ${q}`)
      }
      assert.deepEqual(await search(staff, '小明'), ['ZS9001', 'ZS9004'])
      assert.deepEqual(await search(staff, '%'), ['ZS9004'], 'a wildcard is a character')
      assert.deepEqual(await search(staff, '伟张'), [])
    })
  })
}
