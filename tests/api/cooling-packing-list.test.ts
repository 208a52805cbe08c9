import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { routes } from '../../src/contract/routes'
import { first } from '../../server/db/sql'
import { parseAnswer } from '../support/api'
import { coolingFixture } from '../support/cooling'
import { memberIdOf } from '../support/points'
import { engines, type TestServer } from '../support/server'

// The packing list (server/modules/cooling/packing-list.ts): JSON and CSV.
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
        '收货地点,地址,会员号,会员姓名,所在工会,收件人,联系电话,状态,默认礼包,喷雾运动水壶,防晒棒球帽,凉茶,矿泉水,件数',
      )
      assert.equal(
        lines[1],
        `${site.name},"新疆若羌县, 5 号营地",M0003,${m3?.name},四方继保工会,"王""小,明",13812345678,待发货,否,1,,,2,3`,
      )
      assert.equal(lines[2], `${site.name},"新疆若羌县, 5 号营地",,小计（1 份）,,,,,,1,,,2,3`)
      assert.ok(lines.some((l) => l.startsWith('到工会自取,,M0008,') && l.endsWith(',否,,,3,,3')))
      assert.equal(lines.at(-2), '合计,,,共 28 份,,,,,,1,,55,54,110')
      assert.equal(lines.at(-1), '')
      assert.equal(lines.length, 1 + 1 + 1 + 27 + 1 + 1 + 1)

      const viaQuery = await staff('GET', `/campaigns/${c.id}/packing-list?format=csv`)
      assert.equal(viaQuery.body, csv.body)
    })
  })
}
