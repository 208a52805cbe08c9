import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { CoolingCampaign } from '../../src/contract/cooling'
import { checkPack, quotaUsed } from '../../src/contract/cooling-pack'
import { errorCodes, errorStatus, errorTable } from '../../src/contract/errors'
import { flowersPerAttendee } from '../../src/contract/events'
import {
  cancelCutoffHours,
  descriptionLength,
  maxUpcomingBookings,
  problemDescription,
  slotRangeDays,
} from '../../src/contract/legal'
import { AppError, errorMessages } from '../../server/lib/errors'

const campaign: CoolingCampaign = {
  id: 1,
  unionId: 1,
  unionName: '工会',
  title: '夏送清凉',
  opensAt: '2026-06-01T00:00:00+08:00',
  closesAt: '2026-06-30T00:00:00+08:00',
  status: 'open',
  quota: 100,
  maxItems: null,
  items: [
    { id: 1, name: '矿泉水', imageUrl: null, quotaCost: 40, maxPerPack: 4, stockLeft: 10 },
    { id: 2, name: '凉茶', imageUrl: null, quotaCost: 15, maxPerPack: 3, stockLeft: 1 },
  ],
} as unknown as CoolingCampaign

describe('the shared pack check', () => {
  test('quotaUsed counts cost × quantity; an item outside the campaign counts nothing', () => {
    assert.equal(
      quotaUsed(campaign.items, [
        { itemId: 1, quantity: 2 },
        { itemId: 2, quantity: 1 },
      ]),
      95,
    )
    assert.equal(quotaUsed(campaign.items, [{ itemId: 9, quantity: 5 }]), 0)
  })

  test('the check refuses over the quota, naming both numbers', () => {
    const result = checkPack(campaign, [
      { itemId: 1, quantity: 2 },
      { itemId: 2, quantity: 2 },
    ])
    assert.equal(result.ok, false)
    assert.equal(!result.ok && result.problem, 'OVER_QUOTA')
    assert.match(!result.ok ? result.message : '', /已选 110，每人额度 100/)
    const within = checkPack(campaign, [{ itemId: 1, quantity: 2 }])
    assert.equal(
      within.ok && within.quotaUsed,
      quotaUsed(campaign.items, [{ itemId: 1, quantity: 2 }]),
    )
  })
})

describe('limits live in the contract and the messages say them', () => {
  test('each message interpolates its constant', () => {
    assert.equal(
      errorMessages.TOO_MANY_BOOKINGS,
      `最多同时保留 ${maxUpcomingBookings} 个待进行的预约`,
    )
    assert.equal(
      errorMessages.TOO_LATE_TO_CANCEL,
      `距咨询开始不足 ${cancelCutoffHours} 小时，不能取消`,
    )
    assert.equal(
      errorMessages.RANGE_TOO_LONG,
      `查询时间范围过长：不指定律师或服务点时最多 ${slotRangeDays.unfiltered} 天`,
    )
    assert.equal(errorMessages.NO_FLOWERS_LEFT, `你的 ${flowersPerAttendee} 朵花已经送完了`)
  })

  test('the description schema holds descriptionLength', () => {
    const text = (n: number) => '问'.repeat(n)
    assert.equal(problemDescription.safeParse(text(descriptionLength.min)).success, true)
    assert.equal(problemDescription.safeParse(text(descriptionLength.min - 1)).success, false)
    assert.equal(problemDescription.safeParse(text(descriptionLength.max)).success, true)
    const over = problemDescription.safeParse(text(descriptionLength.max + 1))
    assert.equal(over.error?.issues[0].message, `问题描述最多 ${descriptionLength.max} 个字`)
  })
})

describe('error codes carry their status', () => {
  test('AppError answers with the table’s status, whatever the message', () => {
    assert.equal(new AppError('NOT_ON_SALE').status, 422)
    assert.equal(new AppError('PRICE_CHANGED').status, 409)
    assert.equal(new AppError('BAD_REQUEST', '别的说明').status, 400)
    assert.equal(new AppError('UNION_EXISTS').status, 409)
    assert.equal(new AppError('WECHAT_UNAVAILABLE').status, 503)
    assert.equal(new AppError('NOT_FOUND').message, errorMessages.NOT_FOUND)
  })

  test('every code has one status and a message', () => {
    assert.equal(errorCodes.length, Object.keys(errorTable).length)
    assert.equal(new Set(errorCodes).size, errorCodes.length)
    for (const code of errorCodes) {
      assert.ok([400, 401, 403, 404, 409, 422, 429, 500, 503].includes(errorStatus(code)), code)
      assert.ok(errorMessages[code].length > 0, code)
    }
  })
})
