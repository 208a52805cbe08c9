import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import { routes } from '../../src/contract/routes'
import { first, rows } from '../../server/db/sql'
import {
  campaignCloseResponse,
  type CoolingSite,
  type PackingListResponse,
} from '../../src/contract/cooling'
import { parseAnswer } from '../support/api'
import { coolingFixture } from '../support/cooling'
import { memberIdOf } from '../support/points'
import { engines, type TestServer } from '../support/server'
import { XLSX_TYPE } from '../../server/lib/xlsx'

/** The first sheet of an .xlsx as text cells (numbers as written, empty cells as ''). */
async function sheetRows(file: Buffer): Promise<{ rows: string[][]; bold: boolean[] }> {
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(file as never)
  assert.equal(book.worksheets.length, 1)
  const ws = book.worksheets[0]!
  const rows: string[][] = []
  const bold: boolean[] = []
  ws.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = []
    for (let n = 1; n <= ws.columnCount; n++) {
      const v = row.getCell(n).value
      assert.ok(v === null || typeof v === 'string' || typeof v === 'number', `cell ${n}: ${v}`)
      cells.push(v === null ? '' : String(v))
    }
    rows.push(cells)
    bold.push(row.getCell(1).font?.bold === true)
  })
  return { rows, bold }
}

/** A CSV body (after its BOM) as rows of cells. */
function csvRows(raw: Buffer): string[][] {
  assert.equal(raw.subarray(0, 3).toString('hex'), 'efbbbf')
  return parse(raw.subarray(3).toString('utf8'), { relaxColumnCount: false }) as string[][]
}

// The packing list (server/modules/cooling/packing-list.ts): JSON, CSV and xlsx.
for (const engine of engines()) {
  describe(`cooling packing list on ${engine}`, () => {
    const f = coolingFixture(engine)
    const { tok, createCampaign, itemId, putPack, staff } = f
    let s: TestServer
    let sifangId: number
    before(() => {
      ;({ s, sifangId } = f)
    })

    test('packing list: JSON per site and pickup; CSV with BOM, quoting and a file name', async () => {
      const c = await createCampaign()
      const [bottle, tea, water] = ['喷雾运动水壶', '凉茶', '矿泉水'].map((n) => itemId(c, n))
      const siteRes = await s.request({
        method: 'POST',
        url: '/api/v1/staff/cooling/sites',
        token: tok.S0101,
        body: { unionId: sifangId, name: `装箱营地${c.id}`, address: '新疆若羌县, 5 号营地' },
      })
      const site = parseAnswer(routes.createCoolingSite, siteRes).site
      await putPack(
        'M0003',
        c.id,
        [
          [bottle, 1],
          [water, 2],
        ],
        { kind: 'site', siteId: site.id, recipient: '王"小,明', phone: '13812345678' },
      )
      await putPack('M0008', c.id, [[tea, 3]])
      assert.equal((await staff('POST', `/campaigns/${c.id}/close`)).statusCode, 200)

      const json = await staff('GET', `/campaigns/${c.id}/packing-list`)
      assert.equal(json.statusCode, 200, json.body)
      assert.match(String(json.headers['content-type']), /application\/json/)
      const list = parseAnswer(routes.coolingPackingList, json)
      assert.equal(list.campaign.final, true)
      assert.equal(list.packCount, 28)
      assert.deepEqual(
        list.groups.map((g) => [g.kind, g.name, g.packs.length]),
        [
          ['site', site.name, 1],
          ['pickup', '到工会自取', 27],
        ],
      )
      const [siteGroup, pickupGroup] = list.groups
      assert.equal(siteGroup.address, '新疆若羌县, 5 号营地')
      assert.equal(siteGroup.recipient, null)
      const m3 = await first<{ name: string }>(
        s.database.db,
        sql`SELECT name FROM members WHERE member_no = 'M0003'`,
      )
      assert.deepEqual(siteGroup.packs[0], {
        packId: siteGroup.packs[0].packId,
        memberId: await memberIdOf(s.database.db, 'M0003'),
        memberNo: 'M0003',
        memberName: m3?.name,
        unionName: '四方继保工会',
        recipient: '王"小,明',
        phone: '13812345678',
        status: 'submitted',
        isDefault: false,
        items: [
          { itemId: bottle, name: '喷雾运动水壶', quantity: 1 },
          { itemId: water, name: '矿泉水', quantity: 2 },
        ],
        shippedTo: null,
      })
      // Pickup: M0008's 3 凉茶 and 26 default packs of 2 凉茶 + 2 矿泉水.
      assert.deepEqual(
        pickupGroup.totals.map((t) => [t.name, t.quantity]),
        [
          ['凉茶', 55],
          ['矿泉水', 52],
        ],
      )
      assert.equal(pickupGroup.packs.filter((p) => p.isDefault).length, 26)
      assert.deepEqual(
        list.totals.map((t) => [t.name, t.quantity]),
        [
          ['喷雾运动水壶', 1],
          ['凉茶', 55],
          ['矿泉水', 54],
        ],
      )

      const csv = await s.request({
        method: 'GET',
        url: `/api/v1/staff/cooling/campaigns/${c.id}/packing-list`,
        token: tok.S0101,
        headers: { accept: 'text/csv' },
      })
      assert.equal(csv.statusCode, 200, csv.body)
      assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
      assert.match(
        String(csv.headers['content-disposition']),
        new RegExp(
          `^attachment; filename="cooling-packing-list-${c.id}\\.csv"; filename\\*=UTF-8''`,
        ),
      )
      assert.match(
        decodeURIComponent(String(csv.headers['content-disposition']).split("''")[1]),
        /测试清凉活动-装箱单\.csv$/,
      )
      assert.equal(csv.rawPayload.subarray(0, 3).toString('hex'), 'efbbbf')
      const lines = csv.rawPayload.subarray(3).toString('utf8').split('\r\n')
      assert.equal(
        lines[0],
        '收货地点,地址,现场收货人,会员号,会员姓名,所在工会,收件人,联系电话,状态,默认礼包,喷雾运动水壶,防晒棒球帽,凉茶,矿泉水,件数',
      )
      assert.equal(
        lines[1],
        `${site.name},"新疆若羌县, 5 号营地",,M0003,${m3?.name},四方继保工会,"王""小,明",13812345678,待发货,否,1,,,2,3`,
      )
      assert.equal(lines[2], `${site.name},"新疆若羌县, 5 号营地",,,小计（1 份）,,,,,,1,,,2,3`)
      assert.ok(lines.some((l) => l.startsWith('到工会自取,,,M0008,') && l.endsWith(',否,,,3,,3')))
      assert.equal(lines.at(-2), '合计,,,,共 28 份,,,,,,1,,55,54,110')
      assert.equal(lines.at(-1), '')
      assert.equal(lines.length, 1 + 1 + 1 + 27 + 1 + 1 + 1)

      const viaQuery = await staff('GET', `/campaigns/${c.id}/packing-list?format=csv`)
      assert.equal(viaQuery.body, csv.body)

      // The xlsx: same rows and cells as the CSV, a Chinese file name, a bold frozen header.
      const xlsx = await staff('GET', `/campaigns/${c.id}/packing-list?format=xlsx`)
      assert.equal(xlsx.statusCode, 200, xlsx.body)
      assert.equal(xlsx.headers['content-type'], XLSX_TYPE)
      assert.match(
        String(xlsx.headers['content-disposition']),
        new RegExp(
          `^attachment; filename="cooling-packing-list-${c.id}\\.xlsx"; filename\\*=UTF-8''`,
        ),
      )
      assert.match(
        decodeURIComponent(String(xlsx.headers['content-disposition']).split("''")[1]),
        /测试清凉活动-装箱单\.xlsx$/,
      )
      assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK')
      const sheet = await sheetRows(xlsx.rawPayload)
      assert.deepEqual(sheet.rows, csvRows(csv.rawPayload))
      assert.equal(sheet.rows[1]![6], '王"小,明')
      // Header, the site's subtotal, pickup's subtotal and the total are bold; packs are not.
      assert.deepEqual(
        sheet.bold.flatMap((b, n) => (b ? [n] : [])),
        [0, 2, sheet.rows.length - 2, sheet.rows.length - 1],
      )
      const viaAccept = await s.request({
        method: 'GET',
        url: `/api/v1/staff/cooling/campaigns/${c.id}/packing-list`,
        token: tok.S0101,
        headers: { accept: XLSX_TYPE },
      })
      assert.equal(viaAccept.headers['content-type'], XLSX_TYPE)
      assert.deepEqual((await sheetRows(viaAccept.rawPayload)).rows, sheet.rows)
    })

    test('3,000 packs: JSON pages in list order match the streamed CSV row by row', async () => {
      const c = await createCampaign({
        items: [
          { name: '凉茶', quotaCost: 15, maxPerPack: 3, stock: 20_000 },
          { name: '矿泉水', quotaCost: 10, maxPerPack: 4, stock: 20_000 },
        ],
        defaultPack: [
          { itemIndex: 0, quantity: 2 },
          { itemIndex: 1, quantity: 2 },
        ],
      })
      const [tea] = ['凉茶'].map((n) => itemId(c, n))
      const db = s.database.db
      // One after the other: the list orders sites as they were added.
      const sites: CoolingSite[] = []
      for (const name of ['北营地', '南营地']) {
        const res = await s.request({
          method: 'POST',
          url: '/api/v1/staff/cooling/sites',
          token: tok.S0101,
          body: { unionId: sifangId, name: `${name}${c.id}`, address: `新疆若羌县${name}` },
        })
        sites.push(parseAnswer(routes.createCoolingSite, res).site)
      }
      await db.execute(
        sql`INSERT INTO members (member_no, name, union_id, roles)
            SELECT 'P' || lpad(n::text, 7, '0'), '装箱' || n, ${sifangId}, ARRAY['member']::text[]
            FROM generate_series(1, 3000) AS n`,
      )
      // A third of them chose one 凉茶 to one of the two sites (in SQL, keeping the books).
      const chosen = await rows<{ id: number }>(
        db,
        sql`INSERT INTO cooling_packs (campaign_id, member_id, quota_used, quota_limit, delivery_kind,
                                       site_id, recipient, phone)
            SELECT ${c.id}, m.id, 15, 100, 'site',
                   CASE WHEN m.rn % 2 = 0 THEN ${sites[0]!.id}::int ELSE ${sites[1]!.id}::int END,
                   '收件人' || m.rn, '13800000000'
            FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM members
                  WHERE member_no LIKE 'P%') m
            WHERE m.rn % 3 = 0
            RETURNING id`,
      )
      await db.execute(
        sql`INSERT INTO cooling_pack_items (pack_id, item_id, quantity)
            SELECT id, ${tea}, 1 FROM unnest(${sql.param(chosen.map((p) => p.id))}::int[]) AS p(id)`,
      )
      await db.execute(
        sql`UPDATE cooling_items SET stock_left = stock_left - ${chosen.length} WHERE id = ${tea}`,
      )
      const closed = await staff('POST', `/campaigns/${c.id}/close`)
      assert.equal(closed.statusCode, 202, closed.body)
      for (let i = 0; ; i++) {
        const res = await staff('GET', `/campaigns/${c.id}/close`)
        if (campaignCloseResponse.parse(res.json()).close.status === 'done') break
        assert.ok(i < 800, 'close did not end')
        await new Promise((r) => setTimeout(r, 25))
      }

      // JSON, page by page (700 packs each, across destinations).
      const pages: PackingListResponse[] = []
      let cursor: string | null = ''
      while (cursor !== null) {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
        const res = await staff('GET', `/campaigns/${c.id}/packing-list?limit=700${query}`)
        assert.equal(res.statusCode, 200, res.body)
        const page = parseAnswer(routes.coolingPackingList, res)
        pages.push(page)
        cursor = page.next
        assert.ok(pages.length < 20)
      }
      const packCount = 28 + 3000
      assert.equal(pages[0]!.packCount, packCount)
      assert.equal(pages[0]!.campaign.final, true)
      assert.deepEqual(
        pages[0]!.destinations.map((d) => [d.name, d.packCount]),
        [
          [sites[0]!.name, 500],
          [sites[1]!.name, 500],
          ['到工会自取', packCount - 1000],
        ],
      )
      assert.ok(pages.slice(0, -1).every((p) => p.groups.flatMap((g) => g.packs).length === 700))
      const fromJson = pages.flatMap((p) =>
        p.groups.flatMap((g) =>
          g.packs.map((pk) =>
            [
              g.name,
              pk.memberNo,
              pk.recipient,
              ...pk.items.map((l) => `${l.name}×${l.quantity}`),
            ].join('|'),
          ),
        ),
      )
      assert.equal(fromJson.length, packCount)
      assert.equal(new Set(fromJson.map((r) => r.split('|')[1])).size, packCount, 'each pack once')

      // One destination alone, in pages of its own.
      const north: string[] = []
      let at: string | null = ''
      while (at !== null) {
        const query: string = at ? `&cursor=${encodeURIComponent(at)}` : ''
        const res = await staff(
          'GET',
          `/campaigns/${c.id}/packing-list?site=${sites[0]!.id}&limit=300${query}`,
        )
        const page = parseAnswer(routes.coolingPackingList, res)
        assert.ok(page.groups.every((g) => g.siteId === sites[0]!.id))
        north.push(...page.groups.flatMap((g) => g.packs.map((p) => p.memberNo)))
        at = page.next
      }
      assert.deepEqual(
        north,
        fromJson.filter((r) => r.startsWith(`${sites[0]!.name}|`)).map((r) => r.split('|')[1]),
      )

      // The CSV, streamed: BOM, then the same rows in the same order, a subtotal per destination.
      const csv = await s.request({
        method: 'GET',
        url: `/api/v1/staff/cooling/campaigns/${c.id}/packing-list?format=csv`,
        token: tok.S0101,
      })
      assert.equal(csv.statusCode, 200)
      assert.equal(csv.rawPayload.subarray(0, 3).toString('hex'), 'efbbbf')
      const lines = csv.rawPayload.subarray(3).toString('utf8').split('\r\n')
      const header = lines[0]!.split(',')
      const itemColumns = header.slice(10, -1)
      const fromCsv: string[] = []
      const subtotals: string[] = []
      for (const line of lines.slice(1, -2)) {
        const cells = line.split(',')
        if (cells[3] === '') {
          subtotals.push(`${cells[0]}:${cells[4]}`)
          continue
        }
        const items = itemColumns.flatMap((name, n) =>
          cells[10 + n] === '' ? [] : [`${name}×${cells[10 + n]}`],
        )
        fromCsv.push([cells[0], cells[3], cells[6], ...items].join('|'))
      }
      assert.deepEqual(fromCsv, fromJson)
      assert.deepEqual(subtotals, [
        `${sites[0]!.name}:小计（500 份）`,
        `${sites[1]!.name}:小计（500 份）`,
        `到工会自取:小计（${packCount - 1000} 份）`,
      ])
      assert.ok(lines.at(-2)!.startsWith(`合计,,,,共 ${packCount} 份,`))
      assert.equal(lines.at(-1), '')

      // The xlsx of two sites and pickup holds the CSV's rows, cell for cell.
      const xlsx = await s.request({
        method: 'GET',
        url: `/api/v1/staff/cooling/campaigns/${c.id}/packing-list?format=xlsx`,
        token: tok.S0101,
      })
      assert.equal(xlsx.statusCode, 200)
      const sheet = await sheetRows(xlsx.rawPayload)
      assert.equal(sheet.rows.length, packCount + 1 + 3 + 1)
      assert.deepEqual(sheet.rows, csvRows(csv.rawPayload))

      // One destination only: that site's rows, its subtotal and the total.
      const northXlsx = await s.request({
        method: 'GET',
        url: `/api/v1/staff/cooling/campaigns/${c.id}/packing-list?format=xlsx&site=${sites[0]!.id}`,
        token: tok.S0101,
      })
      const northRows = (await sheetRows(northXlsx.rawPayload)).rows
      assert.equal(northRows.length, 1 + 500 + 1 + 1)
      assert.ok(northRows.slice(1, -1).every((r) => r[0] === sites[0]!.name))

      // A cursor this server did not give out is refused.
      const bad = await staff('GET', `/campaigns/${c.id}/packing-list?cursor=bm9wZQ`)
      assert.equal(bad.statusCode, 400, bad.body)
    })
  })
}
