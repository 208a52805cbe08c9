import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import { sql } from 'drizzle-orm'
import { first, rows } from '../../server/db/sql'
import { MEMBER_IMPORT_CSV, MEMBER_IMPORT_XLSX, type MemberImport } from '../../src/contract/org'
import { engines, startTestServer, type TestServer } from '../support/server'
import { countMismatches } from '../support/counts'
import { XLSX_TYPE } from '../../server/lib/xlsx'

const XIAOMI = '北京市总工会/中关村科学城工会/小米工会'
const SIFANG = '北京市总工会/石景山区总工会/四方继保工会'
const csv = (lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')

interface ErrorJson {
  error: { code: string; message: string }
}

for (const engine of engines()) {
  describe(`member import on ${engine}`, () => {
    let s: TestServer
    let admin: string
    let staff: string

    before(async () => {
      s = await startTestServer(engine)
      admin = await s.login('A0001')
      staff = await s.login('S0101')
    })
    after(async () => {
      await s?.close()
    })

    const upload = (token: string, file: Buffer, type = MEMBER_IMPORT_CSV) =>
      s.app.inject({
        method: 'POST',
        url: '/api/v1/admin/members/imports',
        payload: file,
        headers: { authorization: `Bearer ${token}`, 'content-type': type },
      })

    /** Uploads and waits for the import to end; its final state. */
    const importFile = async (token: string, file: Buffer, type = MEMBER_IMPORT_CSV) => {
      const res = await upload(token, file, type)
      assert.equal(res.statusCode, 202, res.body)
      const started = (res.json() as { import: MemberImport }).import
      assert.equal(started.status, 'running')
      for (let i = 0; i < 200; i++) {
        const got = await s.request({
          method: 'GET',
          url: `/api/v1/admin/members/imports/${started.id}`,
          token,
        })
        assert.equal(got.statusCode, 200, got.body)
        const imp = (got.json() as { import: MemberImport }).import
        if (imp.status !== 'running') return imp
        await new Promise((r) => setTimeout(r, 25))
      }
      throw new Error('import did not end')
    }

    const rejectedCsv = async (token: string, id: number) => {
      const res = await s.request({
        method: 'GET',
        url: `/api/v1/admin/members/imports/${id}/rejected`,
        token,
      })
      assert.equal(res.statusCode, 200, res.body)
      assert.match(String(res.headers['content-type']), /^text\/csv/)
      return res.body
    }

    const member = (no: string) =>
      first<{
        name: string
        phone: string | null
        union_name: string
        roles: string[]
        acct: number
      }>(
        s.database.db,
        sql`SELECT m.name, m.phone, u.name AS union_name, m.roles,
                   (SELECT count(*)::int FROM point_accounts p WHERE p.member_id = m.id) AS acct
            FROM members m JOIN unions u ON u.id = m.union_id WHERE m.member_no = ${no}`,
      )

    const valid = csv([
      '会员号,姓名,手机号,工会',
      `M9001,王一,13811110001,${XIAOMI}`,
      `M9002,王二,13811110002,${SIFANG}`,
      `M9003,"王三",,${XIAOMI}`,
    ])

    test('a valid CSV creates members with their phones and point accounts', async () => {
      const imp = await importFile(admin, valid)
      assert.deepEqual(
        { ...imp, id: 0 },
        {
          id: 0,
          status: 'done',
          total: 3,
          done: 3,
          created: 3,
          updated: 0,
          rejected: 0,
          error: null,
        },
      )
      assert.deepEqual(await member('M9001'), {
        name: '王一',
        phone: '13811110001',
        union_name: '小米工会',
        roles: ['member'],
        acct: 1,
      })
      assert.equal((await member('M9003'))?.phone, null)
    })

    test('re-importing the same file changes nothing; a changed row updates', async () => {
      const again = await importFile(admin, valid)
      assert.equal(again.status, 'done')
      assert.deepEqual([again.created, again.updated, again.rejected], [0, 0, 0])
      const changed = await importFile(
        admin,
        csv([
          'memberNo,name,phone,union',
          `M9001,王一一,13811110001,${XIAOMI}`,
          `M9002,王二,13811110002,${SIFANG}`,
        ]),
      )
      assert.deepEqual([changed.created, changed.updated, changed.rejected], [0, 1, 0])
      assert.equal((await member('M9001'))?.name, '王一一')
    })

    test('bad rows are rejected with their line numbers and reasons, the rest imported', async () => {
      const imp = await importFile(
        admin,
        csv([
          '会员号,姓名,手机号,工会,角色',
          `M9101,李一,13822220001,${XIAOMI},`,
          `M9102,李二,12345,${XIAOMI},`,
          `M9103,李三,13822220003,北京市总工会/不存在的工会,`,
          '',
          `m91x,李四,13822220004,${XIAOMI},`,
          `M9101,李一重复,13822220005,${XIAOMI},`,
          `M9106,,13822220006,${XIAOMI},`,
          `M9107,李七,13822220007,${XIAOMI},会员;厨师`,
          `M9108,李八,13822220008,${XIAOMI},会员;律师`,
        ]),
      )
      assert.equal(imp.status, 'done')
      assert.deepEqual([imp.total, imp.done, imp.created, imp.rejected], [8, 8, 2, 6])
      assert.deepEqual((await member('M9108'))?.roles, ['member', 'lawyer'])
      const text = await rejectedCsv(admin, imp.id)
      assert.ok(text.startsWith('\uFEFF行号,原因,会员号,姓名,手机号,工会,角色\r\n'))
      const lines = text.slice(1).trimEnd().split('\r\n').slice(1)
      const byLine = new Map(lines.map((l) => [Number(l.split(',')[0]), l]))
      assert.deepEqual([...byLine.keys()], [3, 4, 6, 7, 8, 9])
      assert.match(byLine.get(3)!, /手机号应为 11 位数字/)
      assert.match(byLine.get(3)!, /,M9102,李二,12345,/)
      assert.match(byLine.get(4)!, /工会不存在/)
      assert.match(byLine.get(6)!, /会员号格式不正确/)
      assert.match(byLine.get(7)!, /重复（见第 2 行）/)
      assert.match(byLine.get(8)!, /请填写姓名/)
      assert.match(byLine.get(9)!, /角色不认识：厨师/)

      // The same rows as an .xlsx staff can open: header bold, cells as the CSV's.
      const xlsx = await s.request({
        method: 'GET',
        url: `/api/v1/admin/members/imports/${imp.id}/rejected?format=xlsx`,
        token: admin,
      })
      assert.equal(xlsx.statusCode, 200, xlsx.body)
      assert.equal(xlsx.headers['content-type'], XLSX_TYPE)
      assert.match(
        decodeURIComponent(String(xlsx.headers['content-disposition']).split("''")[1]),
        /^导入会员-\d+-未导入\.xlsx$/,
      )
      const book = new ExcelJS.Workbook()
      await book.xlsx.load(xlsx.rawPayload as never)
      const ws = book.worksheets[0]!
      assert.equal(ws.getRow(1).getCell(1).font?.bold, true)
      const sheet: string[][] = []
      ws.eachRow((row) => {
        const cells: string[] = []
        for (let n = 1; n <= ws.columnCount; n++) {
          const v = row.getCell(n).value
          cells.push(v === null ? '' : String(v))
        }
        sheet.push(cells)
      })
      assert.deepEqual(
        sheet,
        parse(text.slice(1), { relaxColumnCount: true }).map((r: string[]) => [
          ...r,
          ...Array<string>(ws.columnCount - r.length).fill(''),
        ]),
      )
    })

    test('staff import only into their subtree; members of other unions are not moved', async () => {
      const outside = await first<{ member_no: string }>(
        s.database.db,
        sql`SELECT m.member_no FROM members m JOIN unions u ON u.id = m.union_id
            WHERE u.name = '小米工会' AND m.member_no LIKE 'M0%' ORDER BY 1 LIMIT 1`,
      )
      assert.ok(outside)
      const imp = await importFile(
        staff,
        csv([
          '会员号,姓名,手机号,工会,角色',
          `M9201,赵一,13833330001,${XIAOMI},`,
          `M9202,赵二,13833330002,${SIFANG},`,
          `${outside.member_no},赵三,13833330003,${SIFANG},`,
          `M9204,赵四,13833330004,${SIFANG},工会干部`,
          `M9205,赵五,13833330005,${SIFANG},会员`,
        ]),
      )
      assert.deepEqual([imp.created, imp.updated, imp.rejected], [2, 0, 3])
      assert.equal(await member('M9201'), undefined)
      assert.equal((await member(outside.member_no))?.union_name, '小米工会')
      const text = await rejectedCsv(staff, imp.id)
      assert.match(text, /\r\n2,工会「北京市总工会\/中关村科学城工会\/小米工会」不在你管理的范围内/)
      assert.match(text, /\r\n4,会员号 M\d+ 已登记在你管理范围以外的工会，未导入/)
      assert.match(text, /\r\n5,只有管理员可以导入会员以外的角色/)
      // The admin's imports are not the staff member's to read.
      const mine = await importFile(
        admin,
        csv(['会员号,姓名,手机号,工会', `M9301,钱一,,${SIFANG}`]),
      )
      const peek = await s.request({
        method: 'GET',
        url: `/api/v1/admin/members/imports/${mine.id}`,
        token: staff,
      })
      assert.equal(peek.statusCode, 404)
    })

    test('an xlsx file imports the same way (numbers as phones, union by id)', async () => {
      const sifangId = (await first<{ id: number }>(
        s.database.db,
        sql`SELECT id FROM unions WHERE name = '四方继保工会'`,
      ))!.id
      const wb = new ExcelJS.Workbook()
      const ws = wb.addWorksheet('会员')
      ws.addRow(['会员号', '姓名', '手机号', '工会'])
      ws.addRow(['M9401', '孙一', 13844440001, sifangId])
      ws.addRow(['M9402', '孙二', '13844440002', SIFANG])
      ws.addRow(['M9403', '孙三', 'abc', SIFANG])
      const file = Buffer.from(await wb.xlsx.writeBuffer())
      const imp = await importFile(staff, file, MEMBER_IMPORT_XLSX)
      assert.deepEqual([imp.total, imp.created, imp.rejected], [3, 2, 1])
      assert.equal((await member('M9401'))?.phone, '13844440001')
      assert.match(await rejectedCsv(staff, imp.id), /\r\n4,手机号应为 11 位数字/)
      const again = await importFile(staff, file, MEMBER_IMPORT_XLSX)
      assert.deepEqual([again.created, again.updated], [0, 0])
    })

    test('a job held by a live lease waits; once the lease runs out it resumes after its last batch', async () => {
      const adminId = (await first<{ id: number }>(
        s.database.db,
        sql`SELECT id FROM members WHERE member_no = 'A0001'`,
      ))!.id
      const file = csv([
        '会员号,姓名,手机号,工会',
        `M9601,吴一,,${SIFANG}`,
        `M9602,吴二,,${SIFANG}`,
      ])
      const job = (await first<{ id: number }>(
        s.database.db,
        sql`INSERT INTO jobs (name, created_by, locked_by, locked_until, attempts, total, done)
              VALUES ('member-import', ${adminId}, 'dead-worker', now() + interval '1 hour', 1, 2, 1)
              RETURNING id`,
      ))!.id
      // As if the dead worker had committed the first batch (row 2) before it died.
      const imp = (await first<{ id: number }>(
        s.database.db,
        sql`INSERT INTO member_imports (job_id, created_by, format, file, header, total, done)
              VALUES (${job}, ${adminId}, 'csv', ${file}, '["会员号","姓名","手机号","工会"]', 2, 1)
              RETURNING id`,
      ))!.id
      await s.app.jobQueue.kick()
      const held = await first<{ status: string }>(
        s.database.db,
        sql`SELECT status FROM member_imports WHERE id = ${imp}`,
      )
      assert.equal(held?.status, 'running')
      await s.database.db.execute(
        sql`UPDATE jobs SET locked_until = now() - interval '1 second' WHERE id = ${job}`,
      )
      await s.app.jobQueue.kick()
      const after = await first<{
        status: string
        done: number
        created: number
        attempts: number
      }>(
        s.database.db,
        sql`SELECT i.status, i.done, i.created, j.attempts FROM member_imports i
            JOIN jobs j ON j.id = i.job_id WHERE i.id = ${imp}`,
      )
      assert.deepEqual(after, { status: 'done', done: 2, created: 1, attempts: 2 })
      assert.equal(await member('M9601'), undefined, 'the committed batch is not run again')
      assert.equal((await member('M9602'))?.name, '吴二')
    })

    test('the upload is refused when it is not a roster file or the caller is not staff', async () => {
      const noColumn = await upload(admin, csv(['会员号,姓名', 'M9501,周一']))
      assert.equal(noColumn.statusCode, 400)
      assert.match((noColumn.json() as ErrorJson).error.message, /缺少列：手机号、工会/)
      const notXlsx = await upload(admin, csv(['a']), MEMBER_IMPORT_XLSX)
      assert.equal(notXlsx.statusCode, 400)
      const json = await s.request({
        method: 'POST',
        url: '/api/v1/admin/members/imports',
        token: admin,
        body: { memberNo: 'M1' },
      })
      assert.equal(json.statusCode, 400)
      const memberToken = await s.login('M0001')
      assert.equal((await upload(memberToken, valid)).statusCode, 403)
      const anon = await s.app.inject({
        method: 'POST',
        url: '/api/v1/admin/members/imports',
        payload: valid,
        headers: { 'content-type': MEMBER_IMPORT_CSV },
      })
      assert.equal(anon.statusCode, 401)
      const jobs = await rows<{ status: string }>(
        s.database.db,
        sql`SELECT status FROM jobs WHERE status <> 'done'`,
      )
      assert.deepEqual(jobs, [])
    })

    test('the maintained member counts agree with the imported members', async () => {
      assert.deepEqual(await countMismatches(s.database.db), [])
    })
  })
}
