import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { rows } from '../../server/db/sql'
import { routes } from '../../src/contract/routes'
import { expectError, parseAnswer, type ApiClient } from '../support/api'
import { coolingFixture } from '../support/cooling'
import { engines, type TestServer } from '../support/server'

// Work sites (server/modules/cooling/sites.ts): delivery to a site, and staff adding sites.
for (const engine of engines()) {
  describe(`cooling sites on ${engine}`, () => {
    const f = coolingFixture(engine)
    const { tok, createCampaign, itemId, putPack, getPack, staff, sifangSites } = f
    let s: TestServer
    let client: ApiClient
    let sifangId: number
    let parkId: number
    let shijingshanId: number
    before(() => {
      ;({ s, client, sifangId, parkId, shijingshanId } = f)
    })

    test('delivery: recipient and a mainland mobile; only a site of the own enterprise', async () => {
      const c = await createCampaign()
      const tea = itemId(c, '凉茶')
      const [site] = await sifangSites()
      const toSite = (fields: Record<string, unknown>) =>
        putPack('M0003', c.id, [[tea, 1]], {
          kind: 'site',
          siteId: site.id,
          recipient: '张伟',
          phone: '13912345678',
          ...fields,
        })
      for (const phone of [
        '12912345678',
        '1391234567',
        '139123456789',
        '0109876543',
        '139-1234-5678',
      ]) {
        const msg = expectError(await toSite({ phone }), 400, 'BAD_REQUEST')
        assert.match(msg, /手机号码/)
      }
      assert.match(expectError(await toSite({ recipient: '' }), 400, 'BAD_REQUEST'), /收件人/)
      assert.match(
        expectError(await toSite({ recipient: '名'.repeat(21) }), 400, 'BAD_REQUEST'),
        /20 个字/,
      )
      expectError(await toSite({ phone: undefined }), 400, 'BAD_REQUEST')

      // A site of 帕克国际 (another enterprise), and one that does not exist.
      const parkSites = await s.request({
        method: 'GET',
        url: '/api/v1/cooling/sites',
        token: tok.M0004,
      })
      const [parkSite] = parseAnswer(routes.coolingSites, parkSites).sites
      expectError(await toSite({ siteId: parkSite.id }), 422, 'UNKNOWN_SITE')
      expectError(await toSite({ siteId: 999_999 }), 422, 'UNKNOWN_SITE')
      assert.equal(await getPack('M0003', c.id), null)

      const ok = await toSite({ recipient: ' 张伟 ', phone: ' 13912345678 ', siteId: site.id })
      assert.equal(ok.statusCode, 200, ok.body)
      const { delivery } = parseAnswer(routes.saveCoolingPack, ok).pack
      assert.deepEqual(delivery.kind === 'site' ? [delivery.recipient, delivery.phone] : [], [
        '张伟',
        '13912345678',
      ])
    })

    test('sites: staff add them to enterprise unions of their subtree; members see their own', async () => {
      const post = (body: unknown, who = 'S0101') =>
        s.request({ method: 'POST', url: '/api/v1/staff/cooling/sites', token: tok[who], body })
      const created = await post({
        unionId: sifangId,
        name: '和田光伏项目部',
        address: '新疆维吾尔自治区和田地区 洛浦县 光伏项目部',
      })
      assert.equal(created.statusCode, 201, created.body)
      const site = parseAnswer(routes.createCoolingSite, created).site
      assert.deepEqual([site.unionId, site.unionName], [sifangId, '四方继保工会'])
      assert.ok((await sifangSites()).some((x) => x.id === site.id))

      expectError(
        await post({ unionId: sifangId, name: '和田光伏项目部', address: '别处' }),
        409,
        'SITE_EXISTS',
      )
      expectError(
        await post({ unionId: shijingshanId, name: '区工会', address: '石景山' }),
        422,
        'NOT_ENTERPRISE_UNION',
      )
      expectError(await post({ unionId: parkId, name: '越权', address: '朝阳' }), 403, 'FORBIDDEN')
      expectError(
        await post({ unionId: 999_999, name: '无', address: '无' }),
        404,
        'UNION_NOT_FOUND',
      )
      expectError(await post({ unionId: sifangId, name: ' ', address: '无' }), 400, 'BAD_REQUEST')
      expectError(
        await post({ unionId: sifangId, name: '会员', address: '无' }, 'M0003'),
        403,
        'FORBIDDEN',
      )

      const mine = parseAnswer(routes.staffCoolingSites, await staff('GET', '/sites'))
      assert.equal(mine.sites.length, 5)
      assert.ok(mine.sites.every((x) => x.unionName === '四方继保工会'))
      const filtered = await client.call(routes.staffCoolingSites, {
        query: { unionId: parkId },
        token: tok.S0001,
      })
      assert.equal(filtered.sites.length, 4)
      assert.ok(filtered.sites.every((x) => x.unionName === '帕克国际工会'))
    })

    // Runs last: it adds a site (the count above is of the seeded ones and the one added there).
    test('editing a site: name and address; a shipped pack keeps the address it went to', async () => {
      const created = await s.request({
        method: 'POST',
        url: '/api/v1/staff/cooling/sites',
        token: tok.S0101,
        body: {
          unionId: sifangId,
          name: '若羌风电项目部',
          address: '新疆 若羌县 风电一期 项目部',
          recipient: ' 陈工 ',
        },
      })
      assert.equal(created.statusCode, 201, created.body)
      const site = parseAnswer(routes.createCoolingSite, created).site
      assert.equal(site.recipient, '陈工')
      const c = await createCampaign()
      const tea = itemId(c, '凉茶')
      for (const who of ['M0003', 'M0008']) {
        const saved = await putPack(who, c.id, [[tea, 1]], {
          kind: 'site',
          siteId: site.id,
          recipient: '李强',
          phone: '13912345678',
        })
        assert.equal(saved.statusCode, 200, saved.body)
      }
      const closed = await staff('POST', `/campaigns/${c.id}/close`)
      assert.equal(closed.statusCode, 200, closed.body)
      const shippedPack = (await getPack('M0003', c.id))!
      const ship = await staff('POST', `/packs/${shippedPack.id}/shipped`)
      assert.equal(ship.statusCode, 200, ship.body)

      const patch = (body: unknown, who = 'S0101', id = site.id) =>
        s.request({
          method: 'PATCH',
          url: `/api/v1/staff/cooling/sites/${id}`,
          token: tok[who],
          body,
        })
      const moved = await patch({
        name: '若羌风电二期项目部',
        address: '新疆 若羌县 风电二期 项目部',
        recipient: '刘站长',
      })
      assert.equal(moved.statusCode, 200, moved.body)
      const after = parseAnswer(routes.patchCoolingSite, moved).site
      assert.deepEqual(
        [after.name, after.address, after.recipient],
        ['若羌风电二期项目部', '新疆 若羌县 风电二期 项目部', '刘站长'],
      )

      // The packing list: the shipped pack at the site as it was, the waiting one at the new one.
      const listed = parseAnswer(
        routes.coolingPackingList,
        await staff('GET', `/campaigns/${c.id}/packing-list?site=${site.id}`),
      )
      const group = listed.groups.find((g) => g.siteId === site.id)!
      assert.deepEqual(
        [group.name, group.address, group.recipient],
        ['若羌风电二期项目部', '新疆 若羌县 风电二期 项目部', '刘站长'],
      )
      const byMember = new Map(group.packs.map((p) => [p.memberNo, p]))
      assert.deepEqual(byMember.get('M0003')!.shippedTo, {
        name: '若羌风电项目部',
        address: '新疆 若羌县 风电一期 项目部',
        recipient: '陈工',
      })
      assert.equal(byMember.get('M0008')!.shippedTo, null)
      const csv = await staff('GET', `/campaigns/${c.id}/packing-list?format=csv&site=${site.id}`)
      assert.equal(csv.statusCode, 200, csv.body)
      const csvLines = csv.body.replace(/^\uFEFF/, '').split('\r\n')
      const rowOf = (memberNo: string) =>
        csvLines
          .find((l) => l.split(',')[3] === memberNo)
          ?.split(',')
          .slice(0, 3)
      assert.deepEqual(rowOf('M0003'), ['若羌风电项目部', '新疆 若羌县 风电一期 项目部', '陈工'])
      assert.deepEqual(rowOf('M0008'), [
        '若羌风电二期项目部',
        '新疆 若羌县 风电二期 项目部',
        '刘站长',
      ])
      const shippedRow = await rows<{ shipped_recipient: string | null }>(
        s.database.db,
        sql`SELECT shipped_recipient FROM cooling_packs WHERE id = ${shippedPack.id}`,
      )
      assert.deepEqual(shippedRow, [{ shipped_recipient: '陈工' }])

      // The contact: at most 20 characters; null or an empty text clears it.
      assert.match(
        expectError(await patch({ recipient: '名'.repeat(21) }), 400, 'BAD_REQUEST'),
        /现场收货人最多 20 个字/,
      )
      const cleared = parseAnswer(routes.patchCoolingSite, await patch({ recipient: null })).site
      assert.equal(cleared.recipient, null)
      const again = parseAnswer(routes.patchCoolingSite, await patch({ recipient: '刘站长' })).site
      assert.equal(again.recipient, '刘站长')
      assert.equal(
        parseAnswer(routes.patchCoolingSite, await patch({ recipient: '  ' })).site.recipient,
        null,
      )

      // The shipped pack keeps where it went; the waiting one goes to the new address.
      const shippedView = (await getPack('M0003', c.id))!.delivery
      const waitingView = (await getPack('M0008', c.id))!.delivery
      assert.deepEqual(
        shippedView.kind === 'site' ? [shippedView.siteName, shippedView.address] : [],
        ['若羌风电项目部', '新疆 若羌县 风电一期 项目部'],
      )
      assert.deepEqual(
        waitingView.kind === 'site' ? [waitingView.siteName, waitingView.address] : [],
        ['若羌风电二期项目部', '新疆 若羌县 风电二期 项目部'],
      )
      // Shipping the second now snapshots the new address.
      const second = (await getPack('M0008', c.id))!
      assert.equal((await staff('POST', `/packs/${second.id}/shipped`)).statusCode, 200)
      assert.equal((await patch({ address: '新疆 若羌县 风电三期' })).statusCode, 200)
      const secondView = (await getPack('M0008', c.id))!.delivery
      assert.equal(
        secondView.kind === 'site' ? secondView.address : '',
        '新疆 若羌县 风电二期 项目部',
      )

      // Rules: a name in use, scope, nothing to change, unknown site; audit with before and after.
      const [seeded] = (await sifangSites()).filter((x) => x.id !== site.id)
      expectError(await patch({ name: seeded.name }), 409, 'SITE_EXISTS')
      expectError(await patch({ address: '朝阳' }, 'M0003'), 403, 'FORBIDDEN')
      const parkSite = (
        await client.call(routes.staffCoolingSites, {
          query: { unionId: parkId },
          token: tok.S0001,
        })
      ).sites[0]
      expectError(await patch({ address: '越权' }, 'S0101', parkSite.id), 403, 'FORBIDDEN')
      expectError(await patch({}), 400, 'BAD_REQUEST')
      expectError(await patch({ address: ' ' }), 400, 'BAD_REQUEST')
      expectError(await patch({ address: '无' }, 'S0101', 999_999), 404, 'NOT_FOUND')
      const logged = await rows<{ before: { address: string }; after: { address: string } }>(
        s.database.db,
        sql`SELECT before, after FROM audit_log
            WHERE action = 'cooling_site.update' AND entity_id = ${String(site.id)} ORDER BY id`,
      )
      assert.deepEqual(
        logged
          .filter((l) => l.before.address !== l.after.address)
          .map((l) => [l.before.address, l.after.address]),
        [
          ['新疆 若羌县 风电一期 项目部', '新疆 若羌县 风电二期 项目部'],
          ['新疆 若羌县 风电二期 项目部', '新疆 若羌县 风电三期'],
        ],
      )
    })
  })
}
