import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { attributeOf } from './support/driver'
import { startWeapp, type WeappEnv } from './support/env'
import { switchMember } from './support/steps'

// Journey 5: M0003 chooses a topic, a workstation and a free slot, books; the lawyer sees the
// consultation on their day page; the member cancels it from 我的预约.

let env: WeappEnv
before(async () => {
  env = await startWeapp({ signedInAs: 'M0003' })
})
after(async () => {
  await env?.close()
})

const lawyerNos: Record<string, string> = { 韩律明: 'L0001', 苏婉清: 'L0002' }
const DESCRIPTION = '公司已经两个月没有发工资了，老板说再等等，我想知道该怎么维权。'
const classes = (e: Element) => String(attributeOf(e, 'class') ?? '').split(/\s+/)

test('legal: choose a topic and a slot, book, the lawyer’s day, cancel', async () => {
  const { weapp } = env
  const memberName = weapp.textOf({ className: 'home-greeting' }).replace('你好，', '')
  await weapp.tap('法律咨询')
  assert.equal(weapp.route, 'packages/legal/pages/index')
  await weapp.waitFor('工资拖欠')
  await weapp.tap({ className: 'legal-topic', text: '工资拖欠' })
  await weapp.tap('石景山区 万达广场 写字楼劳动关系工作站')
  await weapp.waitFor((w) => w.has({ className: 'day-chip' }))
  assert.equal(weapp.textOf({ className: 'legal-next' }), '请选择时间')

  // A free slot from tomorrow on (more than 2 hours away, so it can be cancelled).
  let chosenDay = ''
  const dayCount = weapp.findAll({ className: 'day-chip' }).length
  for (let i = 1; i < dayCount && !chosenDay; i++) {
    const day = weapp.findAll({ className: 'day-chip' })[i]
    await weapp.dispatch(day, 'tap', { x: 1, y: 1 })
    const free = weapp
      .findAll({ className: 'slot-chip' })
      .filter((e) => !classes(e).includes('is-taken'))
    if (free.length) {
      chosenDay = weapp.textsOf({ className: 'day-chip-date' })[i]
      await weapp.dispatch(free[0], 'tap', { x: 1, y: 1 })
    }
  }
  assert.ok(chosenDay, 'a free slot at 万达 in the next two weeks')
  const chosen = weapp.textOf({ className: 'legal-chosen-time' }).replace('已选：', '')
  assert.ok(chosen.includes(chosenDay), `${chosen} is on ${chosenDay}`)
  const lawyerName = weapp.textOf({ className: 'lawyer-name' }).replace(' 律师', '')
  assert.ok(lawyerNos[lawyerName], `a seeded lawyer: ${lawyerName}`)

  // The form: a wrong number is explained; then WeChat's modal confirms the booking.
  await weapp.tap({ button: '下一步：填写联系方式' })
  assert.equal(weapp.route, 'packages/legal/pages/book')
  await weapp.waitFor('仅你和接待律师可见，工会工作人员看不到')
  assert.match(weapp.textOf({ className: 'legal-summary-time' }), new RegExp(chosenDay))
  await weapp.type('律师会用这个号码联系你', '1391234')
  await weapp.type('例如：公司已经两个月没发工资，我想知道怎么维权', DESCRIPTION)
  await weapp.tap({ button: '确认预约' })
  assert.match(weapp.text(), /请填写正确的 11 位手机号码/)
  await weapp.type('律师会用这个号码联系你', '13912345678')
  weapp.answers.modals.push(true)
  await weapp.tap({ button: '确认预约' })
  assert.equal(weapp.log.modals.at(-1)?.title, '确认预约')
  await weapp.waitFor((w) => w.has({ className: 'booking-card' }))
  assert.equal(weapp.route, 'packages/legal/pages/booking')
  assert.equal(weapp.textOf({ className: 'booking-status' }), '已预约')
  assert.equal(weapp.textOf({ className: 'booking-lawyer' }), `接待律师：${lawyerName}`)
  assert.equal(weapp.textOf({ className: 'booking-description' }), DESCRIPTION)
  // The appointment goes into the phone's calendar (WeChat asks the person to confirm).
  await weapp.tap({ button: '添加到日历' })
  assert.deepEqual(
    weapp.log.calendar.map((c) => c.title),
    ['法律咨询：工资拖欠'],
  )
  assert.ok(weapp.log.calendar[0].endTime - weapp.log.calendar[0].startTime > 0)
  // The workstation's desk and place: WeChat's dialler (the number without its hyphen) and map.
  assert.match(weapp.textOf({ className: 'place-call' }), /拨打电话 010-\d{8}/)
  await weapp.tap({ className: 'place-call' })
  assert.equal(weapp.log.phoneCalls.length, 1)
  assert.match(weapp.log.phoneCalls[0], /^010\d{8}$/)
  await weapp.tap({ button: '查看地图' })
  const place = weapp.log.locations.at(-1)
  assert.equal(place?.name, '石景山区 万达广场 写字楼劳动关系工作站')
  assert.match(place?.address ?? '', /石景山路乙 18 号/)
  assert.ok(
    place && Math.abs(place.latitude - 39.9) < 0.1 && Math.abs(place.longitude - 116.2) < 0.1,
  )

  // The lawyer's day page: the consultation with the member's description and phone.
  await switchMember(weapp, lawyerNos[lawyerName])
  await weapp.tap('律师工作台')
  assert.equal(weapp.route, 'packages/lawyer/pages/index')
  await weapp.waitFor((w) => w.has({ className: 'day-chip' }))
  await weapp.tap({ className: 'day-chip', text: chosenDay })
  await weapp.waitFor(DESCRIPTION)
  const mine = { className: 'lawyer-booking', text: DESCRIPTION }
  assert.match(weapp.textOf(mine), new RegExp(`${memberName} · 13912345678`))
  assert.match(weapp.textOf(mine), /工资拖欠/)
  assert.equal(weapp.textOf({ className: 'booking-status' }, mine), '已预约')
  // Tap-to-call the member: WeChat's dialler gets the number.
  await weapp.tap('拨打', mine)
  assert.equal(weapp.log.phoneCalls.at(-1), '13912345678')

  // Back to the member, who cancels from 我的预约.
  await switchMember(weapp, 'M0003')
  await weapp.tap('法律咨询')
  await weapp.tap('我的预约')
  assert.equal(weapp.route, 'packages/legal/pages/mine')
  const upcoming = { className: 'booking-card', text: chosen }
  await weapp.waitFor((w) => w.has(upcoming))
  weapp.answers.modals.push(true)
  await weapp.tap({ button: '取消预约' }, upcoming)
  assert.equal(weapp.log.modals.at(-1)?.title, '取消预约')
  await weapp.waitFor((w) => w.textOf({ className: 'booking-status' }, upcoming) === '已取消')
  assert.equal(weapp.has({ button: '取消预约' }, upcoming), false)
  await weapp.waitFor('即将进行（0）')
})
