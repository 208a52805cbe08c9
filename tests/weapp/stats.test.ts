import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { StatsResponse } from '../../src/contract/stats'
import { startWeapp, type WeappEnv } from './support/env'

// 数据看板 in the mini-program: S0001 (staff of the city federation) opens it from the staff
// tools; the page (with AntV F2 in the staff subpackage) loads and shows the server's figures.

let env: WeappEnv
before(async () => {
  env = await startWeapp({ signedInAs: 'S0001' })
})
after(async () => {
  await env?.close()
})

test('数据看板: opened from the staff tools, it shows the figures of the union', async () => {
  const { weapp } = env
  await weapp.tap('工会干部')
  await weapp.tap('数据看板')
  assert.equal(weapp.route, 'packages/staff/pages/stats')
  await weapp.waitFor('积分收支')
  const stats = await env.api<StatsResponse>('S0001', 'GET', '/staff/stats')
  assert.ok(stats.members.total > 0)
  const text = weapp.text()
  assert.match(text, new RegExp(`${stats.union.name} · `))
  assert.ok(text.includes(stats.members.total.toLocaleString('en-US')), 'the members tile')
  assert.ok(text.includes(`${stats.points.granted.toLocaleString('en-US')}分`), 'granted points')
})
