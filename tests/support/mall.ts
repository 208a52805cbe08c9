import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before } from 'node:test'
import type { CreateItemBody, StaffMallItem } from '../../src/contract/mall'
import { routes } from '../../src/contract/routes'
import { api, newKey, type ApiClient } from './api'
import { brokenInvariants, memberIdOf, unionIdOf } from './points'
import { startTestServer, type Engine, type TestServer } from './server'

/** The server of a mall test file, its unions, member and tokens, and the shared helpers. */
export interface MallFixture {
  s: TestServer
  client: ApiClient
  /** 中关村科学城工会: M0001 (小米工会, below it) sees its items. */
  zgc: number
  xiaomi: number
  shijingshan: number
  /** M0001's member id. */
  m1: number
  tok: Record<string, string>
  /** Creates an item of 中关村 (10 points, stock 100, limit 5) through the staff route. */
  createItem(fields: Partial<CreateItemBody>, who?: string): Promise<StaffMallItem>
  /** Redeems through the route; `key: null` sends no idempotency key. */
  redeem(
    who: string,
    itemId: number,
    quantity?: number,
    key?: string | null,
  ): ReturnType<TestServer['request']>
}

/**
 * Starts a seeded server of `engine` before the tests of the calling `describe` and checks the
 * books of points and mall after them. The fields are set once the `before` hook has run.
 */
export function mallFixture(engine: Engine): MallFixture {
  const tok: Record<string, string> = {}
  const f = {
    tok,
    async createItem(fields, who = 'S0001') {
      const { item } = await f.client.call(routes.createItem, {
        token: tok[who],
        body: {
          unionId: f.zgc,
          name: `测试商品${crypto.randomBytes(3).toString('hex')}`,
          pointsCost: 10,
          stock: 100,
          perMemberLimit: 5,
          ...fields,
        },
      })
      return item
    },
    redeem(who, itemId, quantity = 1, key = newKey()) {
      return f.client.callRaw(routes.createOrder, {
        token: tok[who],
        body: { itemId, quantity },
        idempotencyKey: key,
      })
    },
  } as MallFixture

  before(async () => {
    f.s = await startTestServer(engine)
    f.client = api(f.s)
    f.zgc = await unionIdOf(f.s.database.db, '中关村科学城工会')
    f.xiaomi = await unionIdOf(f.s.database.db, '小米工会')
    f.shijingshan = await unionIdOf(f.s.database.db, '石景山区总工会')
    f.m1 = await memberIdOf(f.s.database.db, 'M0001')
    for (const no of ['M0001', 'M0006', 'M0003', 'S0001', 'S0101', 'A0001']) {
      tok[no] = await f.s.login(no)
    }
  })
  after(async () => {
    try {
      if (f.s) assert.deepEqual(await brokenInvariants(f.s.database.db), [])
    } finally {
      await f.s?.close()
    }
  })
  return f
}
