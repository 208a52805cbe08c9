import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { savePackBody } from '../../src/contract/cooling'
import { checkPack, problemCode, type PackRules } from '../../src/contract/cooling-pack'
import {
  allocateDefaultPacks,
  campaignStatus,
  stockDeltas,
} from '../../server/modules/cooling/rules'

/** The demo's quota: 100 units; a bottle 40, a cap 30, a towel 20 (max 2), tea 15 (max 3). */
const rules: PackRules = {
  quota: 100,
  maxItems: null,
  items: [
    { id: 11, name: '喷雾运动水壶', quotaCost: 40, maxPerPack: 1 },
    { id: 12, name: '防晒棒球帽', quotaCost: 30, maxPerPack: 1 },
    { id: 13, name: '速干运动毛巾', quotaCost: 20, maxPerPack: 2 },
    { id: 14, name: '凉茶', quotaCost: 15, maxPerPack: 3 },
    { id: 15, name: '风油精', quotaCost: 0, maxPerPack: 3 },
  ],
}

describe('checkPack: quota, piece limit and per-item maximum', () => {
  test('a pack within every rule: quota used, pieces, lines by item id without zeros', () => {
    const result = checkPack(rules, [
      { itemId: 14, quantity: 2 },
      { itemId: 11, quantity: 1 },
      { itemId: 12, quantity: 0 },
    ])
    assert.deepEqual(result, {
      ok: true,
      lines: [
        { itemId: 11, quantity: 1 },
        { itemId: 14, quantity: 2 },
      ],
      quotaUsed: 70,
      pieces: 3,
    })
  })

  test('exactly the quota is allowed; one unit more is OVER_QUOTA', () => {
    const full = checkPack(rules, [
      { itemId: 11, quantity: 1 },
      { itemId: 12, quantity: 1 },
      { itemId: 14, quantity: 2 },
    ])
    assert.equal(full.ok && full.quotaUsed, 100)
    const over = checkPack(rules, [
      { itemId: 11, quantity: 1 },
      { itemId: 12, quantity: 1 },
      { itemId: 13, quantity: 2 },
    ])
    assert.equal(over.ok, false)
    assert.equal(!over.ok && over.problem, 'OVER_QUOTA')
    assert.match(!over.ok ? over.message : '', /已选 110，每人额度 100/)
    assert.equal(problemCode('OVER_QUOTA'), 'OVER_QUOTA')
  })

  test('more of an item than a pack may hold is OVER_ITEM_MAX, naming the item', () => {
    const result = checkPack(rules, [{ itemId: 13, quantity: 3 }])
    assert.equal(result.ok, false)
    if (result.ok) return
    assert.equal(result.problem, 'OVER_ITEM_MAX')
    assert.equal(result.itemId, 13)
    assert.match(result.message, /「速干运动毛巾」每份最多选 2 件/)
    assert.equal(problemCode(result.problem), 'OVER_ITEM_MAX')
  })

  test('the per-item maximum is reported before the quota (fix the item first)', () => {
    const result = checkPack(rules, [
      { itemId: 11, quantity: 2 },
      { itemId: 12, quantity: 1 },
      { itemId: 13, quantity: 2 },
    ])
    assert.equal(!result.ok && result.problem, 'OVER_ITEM_MAX')
  })

  test('"pick up to N items": more pieces than maxItems is over the quota too', () => {
    const upTo5 = { ...rules, quota: 1000, maxItems: 5 }
    const five = checkPack(upTo5, [
      { itemId: 14, quantity: 3 },
      { itemId: 15, quantity: 2 },
    ])
    assert.equal(five.ok && five.pieces, 5)
    const six = checkPack(upTo5, [
      { itemId: 14, quantity: 3 },
      { itemId: 15, quantity: 3 },
    ])
    assert.equal(!six.ok && six.problem, 'OVER_MAX_ITEMS')
    assert.match(!six.ok ? six.message : '', /每份最多选 5 件，你选了 6 件/)
    assert.equal(problemCode('OVER_MAX_ITEMS'), 'OVER_QUOTA')
  })

  test('free items still count against the per-item maximum', () => {
    const result = checkPack(rules, [{ itemId: 15, quantity: 4 }])
    assert.equal(!result.ok && result.problem, 'OVER_ITEM_MAX')
  })

  test('nothing chosen (no lines, or only zeros) is EMPTY_PACK', () => {
    for (const lines of [[], [{ itemId: 11, quantity: 0 }]]) {
      const result = checkPack(rules, lines)
      assert.equal(!result.ok && result.problem, 'EMPTY_PACK')
      assert.equal(!result.ok && result.message, '请至少选择一件物品')
    }
    assert.equal(problemCode('EMPTY_PACK'), 'EMPTY_PACK')
  })

  test('an item of another campaign, or an item twice, is a bad request', () => {
    const unknown = checkPack(rules, [{ itemId: 99, quantity: 1 }])
    assert.equal(!unknown.ok && unknown.problem, 'UNKNOWN_ITEM')
    const twice = checkPack(rules, [
      { itemId: 14, quantity: 1 },
      { itemId: 14, quantity: 1 },
    ])
    assert.equal(!twice.ok && twice.problem, 'DUPLICATE_ITEM')
    assert.equal(problemCode('UNKNOWN_ITEM'), 'BAD_REQUEST')
    assert.equal(problemCode('DUPLICATE_ITEM'), 'BAD_REQUEST')
  })

  test('the contract refuses a repeated item and a bad phone before the rules run', () => {
    const twice = savePackBody.safeParse({
      items: [
        { itemId: 1, quantity: 1 },
        { itemId: 1, quantity: 2 },
      ],
      delivery: { kind: 'pickup' },
    })
    assert.equal(twice.success, false)
    const base = { items: [{ itemId: 1, quantity: 1 }] }
    const site = (phone: string, recipient = '张伟') =>
      savePackBody.safeParse({ ...base, delivery: { kind: 'site', siteId: 1, recipient, phone } })
    assert.equal(site('13812345678').success, true)
    assert.equal(site(' 19912345678 ').success, true)
    for (const bad of ['12812345678', '1381234567', '138123456789', '+8613812345678', '']) {
      const r = site(bad)
      assert.equal(r.success, false, bad)
      assert.match(r.error?.issues[0].message ?? '', /手机号码/)
    }
    assert.equal(site('13812345678', '一'.repeat(20)).success, true)
    assert.match(site('13812345678', '一'.repeat(21)).error?.issues[0].message ?? '', /20 个字/)
    assert.match(site('13812345678', '  ').error?.issues[0].message ?? '', /收件人/)
  })
})

describe('campaign status', () => {
  const c = {
    opensAt: new Date('2026-06-20T00:00:00Z'),
    closesAt: new Date('2026-07-10T00:00:00Z'),
    closedAt: null,
  }
  test('upcoming, open, and closed from closesAt on (the moment itself is closed)', () => {
    assert.equal(campaignStatus(c, new Date('2026-06-19T23:59:59Z')), 'upcoming')
    assert.equal(campaignStatus(c, c.opensAt), 'open')
    assert.equal(campaignStatus(c, new Date(c.closesAt.getTime() - 1)), 'open')
    assert.equal(campaignStatus(c, c.closesAt), 'closed')
  })
  test('closed early by staff', () => {
    const early = { ...c, closedAt: new Date('2026-07-01T00:00:00Z') }
    assert.equal(campaignStatus(early, new Date('2026-07-02T00:00:00Z')), 'closed')
  })
})

describe('stock deltas of a pack change', () => {
  test('new items are taken, dropped ones given back, changed ones by the difference', () => {
    assert.deepEqual(
      stockDeltas(
        [
          { itemId: 5, quantity: 2 },
          { itemId: 3, quantity: 1 },
          { itemId: 9, quantity: 1 },
        ],
        [
          { itemId: 9, quantity: 1 },
          { itemId: 5, quantity: 3 },
          { itemId: 1, quantity: 2 },
        ],
      ),
      [
        { itemId: 1, delta: 2 },
        { itemId: 3, delta: -1 },
        { itemId: 5, delta: 1 },
      ],
    )
  })
  test('the same pack again moves nothing', () => {
    const lines = [{ itemId: 4, quantity: 2 }]
    assert.deepEqual(stockDeltas(lines, lines), [])
  })
  test('a first submit takes everything', () => {
    assert.deepEqual(stockDeltas([], [{ itemId: 2, quantity: 3 }]), [{ itemId: 2, delta: 3 }])
  })
})

describe('default packs at closing', () => {
  const pack = [
    { itemId: 1, quantity: 1 },
    { itemId: 2, quantity: 2 },
  ]
  test('enough stock: everyone is covered, stock taken per item', () => {
    const a = allocateDefaultPacks(
      [30, 10, 20],
      pack,
      new Map([
        [1, 10],
        [2, 10],
      ]),
    )
    assert.deepEqual(a, {
      covered: [10, 20, 30],
      notCovered: [],
      taken: [
        { itemId: 1, quantity: 3 },
        { itemId: 2, quantity: 6 },
      ],
    })
  })

  test('short stock: the scarcest item decides; the lowest member ids are covered first', () => {
    // Item 2: 7 left, 2 per pack → 3 packs; item 1 would allow 5.
    const a = allocateDefaultPacks(
      [105, 101, 104, 103, 102],
      pack,
      new Map([
        [1, 5],
        [2, 7],
      ]),
    )
    assert.deepEqual(a.covered, [101, 102, 103])
    assert.deepEqual(a.notCovered, [104, 105])
    assert.deepEqual(a.taken, [
      { itemId: 1, quantity: 3 },
      { itemId: 2, quantity: 6 },
    ])
  })

  test('deterministic whatever the input order; a member listed twice counts once', () => {
    const stock = new Map([
      [1, 2],
      [2, 4],
    ])
    const a = allocateDefaultPacks([3, 1, 2, 1], pack, stock)
    const b = allocateDefaultPacks([2, 3, 1], pack, stock)
    assert.deepEqual(a, b)
    assert.deepEqual([a.covered, a.notCovered], [[1, 2], [3]])
  })

  test('no stock, or an item missing: nobody is covered and nothing is taken', () => {
    const none = allocateDefaultPacks([1, 2], pack, new Map([[1, 9]]))
    assert.deepEqual(none, { covered: [], notCovered: [1, 2], taken: [] })
  })

  test('no members without a pack: nothing to do', () => {
    const a = allocateDefaultPacks([], pack, new Map([[1, 9]]))
    assert.deepEqual(a, { covered: [], notCovered: [], taken: [] })
  })
})
