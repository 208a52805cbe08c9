// Phone habits with real data (issue #12): a legal service point's phone and a workstation's
// place on the map, a mixer venue's place; validated by the contract (Chinese messages) and held
// by the database's CHECKs; in the demo seed; staff write only within their union subtree.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type { MemberEvent, StaffEvent } from '../../src/contract/events'
import type { ServicePoint } from '../../src/contract/legal'
import { first, pgErrorCode } from '../../server/db/sql'
import { expectError } from '../support/api'
import { openWindows, rootHosts } from '../support/events'
import { unionIdOf } from '../support/points'
import { engines, startTestServer, type TestServer } from '../support/server'

const WANDA = '石景山区 万达广场 写字楼劳动关系工作站'

for (const engine of engines()) {
  describe(`places and phones on ${engine}`, () => {
    let s: TestServer
    const tok: Record<string, string> = {}
    const post = (url: string, no: string, body: unknown) =>
      s.request({
        method: 'POST',
        url,
        token: tok[no],
        body,
        headers: { 'idempotency-key': `k-${Math.random()}` },
      })
    const get = (url: string, no: string) => s.request({ method: 'GET', url, token: tok[no] })
    const points = async (no: string) => {
      const res = await get('/api/v1/legal/service-points', no)
      assert.equal(res.statusCode, 200, res.body)
      return (res.json() as { servicePoints: ServicePoint[] }).servicePoints
    }

    before(async () => {
      s = await startTestServer(engine)
      for (const no of ['S0001', 'S0101', 'M0001', 'M0003', 'M0289']) tok[no] = await s.login(no)
    })
    after(async () => {
      await s?.close()
    })

    test('the demo workstations have a phone and a place; online services have no place', async () => {
      const list = await points('M0003')
      const wanda = list.find((p) => p.name === WANDA)
      assert.ok(wanda, 'the member sees the workstation')
      assert.match(wanda.phone ?? '', /^010-\d{8}$/)
      assert.ok(wanda.location, 'on the map')
      // Plausibly in Beijing's 石景山 (GCJ-02).
      assert.ok(wanda.location.latitude > 39.8 && wanda.location.latitude < 40.0)
      assert.ok(wanda.location.longitude > 116.1 && wanda.location.longitude < 116.3)
      const online = list.filter((p) => p.kind === 'online')
      assert.ok(online.length > 0)
      assert.ok(online.every((p) => p.location === null))
    })

    test('staff add a workstation with phone and place; members see them', async () => {
      const unionId = await unionIdOf(s.database.db, '石景山区总工会')
      const res = await post('/api/v1/staff/legal/service-points', 'S0101', {
        unionId,
        name: '石景山 鲁谷 工会驿站',
        kind: 'workstation',
        address: '北京市石景山区鲁谷路 74 号',
        phone: ' 010 6863 9001 ',
        location: { latitude: 39.8893, longitude: 116.2351, address: '鲁谷社区服务中心 1 层' },
      })
      assert.equal(res.statusCode, 201, res.body)
      const created = (res.json() as { servicePoint: ServicePoint }).servicePoint
      assert.equal(created.phone, '010 6863 9001')
      assert.deepEqual(created.location, {
        latitude: 39.8893,
        longitude: 116.2351,
        address: '鲁谷社区服务中心 1 层',
      })
      const seen = (await points('M0003')).find((p) => p.id === created.id)
      assert.deepEqual(seen, created)

      // Phone only, no place: the location stays null; an empty map address is no address.
      const plain = await post('/api/v1/staff/legal/service-points', 'S0101', {
        unionId,
        name: '石景山 古城 工会驿站',
        kind: 'workstation',
        address: '北京市石景山区古城大街 1 号',
        location: { latitude: 39.9075, longitude: 116.1905, address: '' },
      })
      assert.equal(plain.statusCode, 201, plain.body)
      const p2 = (plain.json() as { servicePoint: ServicePoint }).servicePoint
      assert.deepEqual([p2.phone, p2.location?.address], [null, null])
    })

    test('bad coordinates, a location on an online service and a bad phone are 400 in Chinese', async () => {
      const unionId = await unionIdOf(s.database.db, '石景山区总工会')
      const workstation = {
        unionId,
        name: '石景山 校验工作站',
        kind: 'workstation',
        address: '北京市石景山区 测试路 2 号',
      }
      const cases: Array<[unknown, RegExp]> = [
        [{ ...workstation, location: { latitude: 116.4, longitude: 39.9 } }, /纬度应在 -90 到 90/],
        [
          { ...workstation, location: { latitude: 39.9, longitude: 216.4 } },
          /经度应在 -180 到 180/,
        ],
        [{ ...workstation, location: { latitude: '39.9', longitude: 116.4 } }, /纬度须为数字/],
        [{ ...workstation, location: { latitude: 39.9 } }, /经度/],
        [{ ...workstation, phone: '打电话' }, /请填写正确的电话号码/],
        [{ ...workstation, phone: '1234' }, /请填写正确的电话号码|至少 5 位/],
        [
          {
            unionId,
            name: '线上 校验',
            kind: 'online',
            channel: 'phone',
            location: { latitude: 39.9, longitude: 116.4 },
          },
          /只有工作站可以标注地图位置/,
        ],
      ]
      for (const [body, message] of cases) {
        const msg = expectError(
          await post('/api/v1/staff/legal/service-points', 'S0101', body),
          400,
          'BAD_REQUEST',
        )
        assert.match(msg, message, JSON.stringify(body))
      }
      const n = await first<{ n: number }>(
        s.database.db,
        sql`SELECT count(*)::int AS n FROM legal_service_points WHERE name LIKE '%校验%'`,
      )
      assert.equal(n?.n, 0)
    })

    test('staff of another union may not add a point there', async () => {
      // S0101 is staff of 石景山; 通州 is outside their subtree.
      const res = await post('/api/v1/staff/legal/service-points', 'S0101', {
        unionId: await unionIdOf(s.database.db, '通州区总工会'),
        name: '通州 越权工作站',
        kind: 'workstation',
        address: '北京市通州区 测试路 3 号',
        phone: '010-69551234',
        location: { latitude: 39.9, longitude: 116.65 },
      })
      expectError(res, 403, 'FORBIDDEN')
    })

    test('the database holds the ranges and pairs itself', async () => {
      const db = s.database.db
      const union = await unionIdOf(db, '石景山区总工会')
      const tries = [
        sql`INSERT INTO legal_service_points (union_id, name, kind, address, latitude, longitude)
            VALUES (${union}, 'x1', 'workstation', 'a', 91, 116)`,
        sql`INSERT INTO legal_service_points (union_id, name, kind, address, latitude)
            VALUES (${union}, 'x2', 'workstation', 'a', 39.9)`,
        sql`INSERT INTO legal_service_points (union_id, name, kind, channel, latitude, longitude)
            VALUES (${union}, 'x3', 'online', 'phone', 39.9, 116.4)`,
        sql`INSERT INTO legal_service_points (union_id, name, kind, address, phone)
            VALUES (${union}, 'x4', 'workstation', 'a', 'call me')`,
        sql`INSERT INTO legal_service_points (union_id, name, kind, address, location_address)
            VALUES (${union}, 'x5', 'workstation', 'a', '无坐标的地址')`,
        sql`UPDATE events SET venue_latitude = 39.9, venue_longitude = NULL
            WHERE id = (SELECT min(id) FROM events)`,
        sql`UPDATE events SET venue_latitude = 39.9, venue_longitude = -181
            WHERE id = (SELECT min(id) FROM events)`,
      ]
      for (const [i, q] of tries.entries()) {
        await assert.rejects(
          () => db.execute(q),
          (err: unknown) => pgErrorCode(err) === '23514',
          `statement ${i} is refused by a CHECK`,
        )
      }
    })

    test('a mixer venue on the map: set on create, seen by members; bad ones refused', async () => {
      const hostUnionIds = await rootHosts(s.database.db)
      const base = {
        title: '地图测试联谊',
        venue: '朝阳公园 南门',
        capacity: 20,
        hostUnionIds,
        ...openWindows(),
      }
      const res = await post('/api/v1/staff/events', 'S0001', {
        ...base,
        venueLocation: {
          latitude: 39.9405,
          longitude: 116.4781,
          address: '北京市朝阳区朝阳公园南路 1 号',
        },
      })
      assert.equal(res.statusCode, 201, res.body)
      const created = (res.json() as { event: StaffEvent }).event
      const location = {
        latitude: 39.9405,
        longitude: 116.4781,
        address: '北京市朝阳区朝阳公园南路 1 号',
      }
      assert.deepEqual(created.venueLocation, location)
      const seen = await get(`/api/v1/events/${created.id}`, 'M0001')
      assert.equal(seen.statusCode, 200, seen.body)
      assert.deepEqual((seen.json() as { event: MemberEvent }).event.venueLocation, location)

      const none = await post('/api/v1/staff/events', 'S0001', { ...base, title: '无地图联谊' })
      assert.equal(none.statusCode, 201, none.body)
      assert.equal((none.json() as { event: StaffEvent }).event.venueLocation, null)

      const msg = expectError(
        await post('/api/v1/staff/events', 'S0001', {
          ...base,
          title: '坐标错误联谊',
          venueLocation: { latitude: -95, longitude: 116.4 },
        }),
        400,
        'BAD_REQUEST',
      )
      assert.match(msg, /纬度应在 -90 到 90/)
    })

    test('staff edit a point’s phone and place: set, clear, refused when bad or outside', async () => {
      const patch = (id: number, no: string, body: unknown) =>
        s.request({
          method: 'PATCH',
          url: `/api/v1/staff/legal/service-points/${id}`,
          token: tok[no],
          body,
        })
      const unionId = await unionIdOf(s.database.db, '石景山区总工会')
      const res = await post('/api/v1/staff/legal/service-points', 'S0101', {
        unionId,
        name: '石景山 八角 工会驿站',
        kind: 'workstation',
        address: '北京市石景山区八角路 1 号',
      })
      assert.equal(res.statusCode, 201, res.body)
      const point = (res.json() as { servicePoint: ServicePoint }).servicePoint
      assert.deepEqual([point.phone, point.location], [null, null])

      const set = await patch(point.id, 'S0101', {
        phone: ' 010-6886 1234 ',
        location: { latitude: 39.9072, longitude: 116.2123, address: ' 八角街道 ' },
      })
      assert.equal(set.statusCode, 200, set.body)
      const placed = (set.json() as { servicePoint: ServicePoint }).servicePoint
      assert.equal(placed.phone, '010-6886 1234')
      assert.deepEqual(placed.location, {
        latitude: 39.9072,
        longitude: 116.2123,
        address: '八角街道',
      })
      assert.deepEqual(
        (await points('M0003')).find((p) => p.id === point.id),
        placed,
      )

      // A rename leaves phone and place; null clears each on its own.
      const renamed = await patch(point.id, 'S0101', { name: '石景山 八角 职工驿站' })
      assert.equal(renamed.statusCode, 200, renamed.body)
      const r = (renamed.json() as { servicePoint: ServicePoint }).servicePoint
      assert.deepEqual([r.phone, r.location], [placed.phone, placed.location])
      const noPlace = await patch(point.id, 'S0101', { location: null })
      assert.equal(noPlace.statusCode, 200, noPlace.body)
      const np = (noPlace.json() as { servicePoint: ServicePoint }).servicePoint
      assert.deepEqual([np.phone, np.location], ['010-6886 1234', null])
      const noPhone = await patch(point.id, 'S0101', { phone: null })
      assert.equal(noPhone.statusCode, 200, noPhone.body)
      assert.equal((noPhone.json() as { servicePoint: ServicePoint }).servicePoint.phone, null)
      const row = await first<{ lat: number | null; addr: string | null; phone: string | null }>(
        s.database.db,
        sql`SELECT latitude AS lat, location_address AS addr, phone
            FROM legal_service_points WHERE id = ${point.id}`,
      )
      assert.deepEqual(row, { lat: null, addr: null, phone: null })

      const cases: Array<[unknown, RegExp]> = [
        [{ location: { latitude: 116.4, longitude: 39.9 } }, /纬度应在 -90 到 90/],
        [{ location: { latitude: 39.9, longitude: 216.4 } }, /经度应在 -180 到 180/],
        [{ phone: '打电话' }, /请填写正确的电话号码/],
      ]
      for (const [body, message] of cases) {
        const msg = expectError(await patch(point.id, 'S0101', body), 400, 'BAD_REQUEST')
        assert.match(msg, message, JSON.stringify(body))
      }
      // Only a workstation has a place.
      const online = (await points('M0003')).find((p) => p.kind === 'online')!
      const onlineMsg = expectError(
        await patch(online.id, 'S0001', { location: { latitude: 39.9, longitude: 116.4 } }),
        400,
        'BAD_REQUEST',
      )
      assert.match(onlineMsg, /只有工作站可以标注地图位置/)
      // Staff of another union: 通州's point is outside 石景山's subtree.
      const tongzhou = await post('/api/v1/staff/legal/service-points', 'S0001', {
        unionId: await unionIdOf(s.database.db, '通州区总工会'),
        name: '通州 编辑测试工作站',
        kind: 'workstation',
        address: '北京市通州区 测试路 5 号',
      })
      assert.equal(tongzhou.statusCode, 201, tongzhou.body)
      const outside = (tongzhou.json() as { servicePoint: ServicePoint }).servicePoint
      expectError(await patch(outside.id, 'S0101', { phone: '010-69551234' }), 403, 'FORBIDDEN')
      expectError(await patch(outside.id, 'M0003', { location: null }), 403, 'FORBIDDEN')
      const untouched = await first<{ phone: string | null }>(
        s.database.db,
        sql`SELECT phone FROM legal_service_points WHERE id = ${outside.id}`,
      )
      assert.equal(untouched?.phone, null)
    })

    test('a mixer venue on the map is edited: set, cleared, refused when bad or outside', async () => {
      const patch = (id: number, no: string, body: unknown) =>
        s.request({ method: 'PATCH', url: `/api/v1/staff/events/${id}`, token: tok[no], body })
      const res = await post('/api/v1/staff/events', 'S0001', {
        title: '地图编辑联谊',
        venue: '朝阳公园 北门',
        capacity: 20,
        hostUnionIds: await rootHosts(s.database.db),
        ...openWindows(),
      })
      assert.equal(res.statusCode, 201, res.body)
      const created = (res.json() as { event: StaffEvent }).event
      assert.equal(created.venueLocation, null)

      const location = { latitude: 39.9522, longitude: 116.4795, address: '朝阳公园 北门' }
      const set = await patch(created.id, 'S0001', { venueLocation: location })
      assert.equal(set.statusCode, 200, set.body)
      assert.deepEqual((set.json() as { event: StaffEvent }).event.venueLocation, location)
      const seen = await get(`/api/v1/events/${created.id}`, 'M0001')
      assert.deepEqual((seen.json() as { event: MemberEvent }).event.venueLocation, location)

      // Another edit leaves the place; null clears it.
      const retitled = await patch(created.id, 'S0001', { title: '地图编辑联谊（改）' })
      assert.deepEqual((retitled.json() as { event: StaffEvent }).event.venueLocation, location)
      const cleared = await patch(created.id, 'S0001', { venueLocation: null })
      assert.equal(cleared.statusCode, 200, cleared.body)
      assert.equal((cleared.json() as { event: StaffEvent }).event.venueLocation, null)

      const msg = expectError(
        await patch(created.id, 'S0001', { venueLocation: { latitude: 39.9, longitude: -190 } }),
        400,
        'BAD_REQUEST',
      )
      assert.match(msg, /经度应在 -180 到 180/)
      // Staff below the hosting unions do not run the event.
      expectError(await patch(created.id, 'S0101', { venueLocation: location }), 403, 'FORBIDDEN')
      const row = await first<{ lat: number | null }>(
        s.database.db,
        sql`SELECT venue_latitude AS lat FROM events WHERE id = ${created.id}`,
      )
      assert.equal(row?.lat, null)
    })

    test('the demo mixer has its venue on the map', async () => {
      const res = await get('/api/v1/events', 'M0289')
      assert.equal(res.statusCode, 200, res.body)
      const mixer = (res.json() as { events: MemberEvent[] }).events.find(
        (e) => e.title === '爱在运河畔 缘定副中心',
      )
      assert.ok(mixer?.venueLocation, 'the seeded mixer is on the map')
      // 通州 大运河森林公园.
      assert.ok(Math.abs(mixer.venueLocation.latitude - 39.89) < 0.05)
      assert.ok(Math.abs(mixer.venueLocation.longitude - 116.72) < 0.05)
    })
  })
}
