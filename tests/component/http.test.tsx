import Taro from '@tarojs/taro'
import { z } from 'zod'
import { routes, type RouteDef } from '@/contract/routes'
import { ApiError, call, callText } from '@/services/http'
import { useSession } from '@/services/session'
import { aMember, signedInAs, signedOut } from './render'

type RequestOptions = {
  url: string
  method: string
  header: Record<string, string>
  data?: unknown
  success: (res: { statusCode: number; data: unknown; header: object; errMsg: string }) => void
  fail: (err: { errMsg: string }) => void
}

/** Answers every Taro.request with the given replies in turn; records what was sent. */
function stubRequest(...replies: Array<{ status: number; data: unknown } | 'network-down'>) {
  const sent: RequestOptions[] = []
  const spy = jest.spyOn(Taro, 'request').mockImplementation(((options: RequestOptions) => {
    sent.push(options)
    const reply = replies[Math.min(sent.length, replies.length) - 1]
    setTimeout(() => {
      if (reply === 'network-down') options.fail({ errMsg: 'request:fail' })
      else options.success({ statusCode: reply.status, data: reply.data, header: {}, errMsg: 'ok' })
    }, 0)
    return {}
  }) as unknown as typeof Taro.request)
  return { sent, spy }
}

const thingRoute = {
  method: 'GET',
  path: '/unions/:unionId/things/:id',
  body: undefined,
  params: z.object({ unionId: z.number(), id: z.string() }),
  query: z.object({ limit: z.number().optional(), cursor: z.string().optional() }),
  response: z.object({ ok: z.literal(true) }),
  status: 200,
} satisfies RouteDef

let reLaunch: jest.SpyInstance

beforeEach(() => {
  signedInAs(aMember(), 'secret-token')
  reLaunch = jest.spyOn(Taro, 'reLaunch').mockResolvedValue({ errMsg: 'reLaunch:ok' })
})

afterEach(() => {
  jest.restoreAllMocks()
})

test('substitutes path params, encodes the query and sends the bearer token', async () => {
  const { sent } = stubRequest({ status: 200, data: { ok: true } })

  const answer = await call(thingRoute, {
    params: { unionId: 7, id: 'a/b' },
    query: { limit: 5, cursor: '12 34' },
  })

  expect(answer).toEqual({ ok: true })
  expect(sent).toHaveLength(1)
  expect(sent[0].url).toBe('/api/v1/unions/7/things/a%2Fb?limit=5&cursor=12%2034')
  expect(sent[0].method).toBe('GET')
  expect(sent[0].header.Authorization).toBe('Bearer secret-token')
  expect(sent[0].header['Idempotency-Key']).toBeUndefined()
})

test('leaves out empty query values', async () => {
  const { sent } = stubRequest({ status: 200, data: { entries: [], nextCursor: null } })
  await call(routes.ledger, { query: { limit: 20, cursor: undefined } })
  expect(sent[0].url).toBe('/api/v1/points/ledger?limit=20')
})

test('sends an Idempotency-Key on creating calls and reuses a given one', async () => {
  const union = { id: 3, name: '小米工会', parentId: 1 }
  const { sent } = stubRequest({ status: 201, data: { union } })

  await expect(
    call(routes.createUnion, { body: { name: '小米工会', parentId: 1 } }),
  ).resolves.toEqual({ union })
  await call(routes.createUnion, { body: { name: '小米工会', parentId: 1 } })
  await call(
    routes.createUnion,
    { body: { name: '小米工会', parentId: 1 } },
    { idempotencyKey: 'k-1' },
  )

  const keys = sent.map((s) => s.header['Idempotency-Key'])
  expect(keys[0]).toMatch(/\S{8,}/)
  expect(keys[1]).not.toBe(keys[0])
  expect(keys[2]).toBe('k-1')
  expect(sent[0].method).toBe('POST')
  expect(sent[0].data).toEqual({ name: '小米工会', parentId: 1 })
})

test('does not send the token to public routes', async () => {
  const { sent } = stubRequest({ status: 200, data: { token: 't', member: aMember() } })
  await call(routes.devLogin, { body: { memberNo: 'M0001' } })
  expect(sent[0].header.Authorization).toBeUndefined()
  expect(sent[0].header['Idempotency-Key']).toBeUndefined()
})

test('turns an error body into an ApiError with the server code and message', async () => {
  stubRequest({ status: 409, data: { error: { code: 'MEMBER_EXISTS', message: '会员号已存在' } } })

  const error = await call(routes.createMember, {
    body: { memberNo: 'M0001', name: '张三', unionId: 1 },
  }).catch((e: unknown) => e)

  expect(error).toBeInstanceOf(ApiError)
  expect(error).toMatchObject({ code: 'MEMBER_EXISTS', message: '会员号已存在', status: 409 })
})

test('keeps the Chinese message of an error code this build does not know', async () => {
  stubRequest({
    status: 409,
    data: { error: { code: 'SOME_NEWER_CODE', message: '新版本的说明' } },
  })

  const error = await call(routes.createMember, {
    body: { memberNo: 'M0001', name: '张三', unionId: 1 },
  }).catch((e: unknown) => e)

  expect(error).toMatchObject({ code: 'INTERNAL', message: '新版本的说明', status: 409 })
})

test('rejects an answer that does not match the contract', async () => {
  stubRequest({ status: 200, data: { balance: -5, expiring: 'soon' } })

  await expect(call(routes.points)).rejects.toMatchObject({
    code: 'INTERNAL',
    message: '服务器返回的数据格式不正确',
  })
})

test('retries a read once when the network fails, then reports NETWORK', async () => {
  const { sent } = stubRequest('network-down', 'network-down')

  await expect(call(routes.points)).rejects.toMatchObject({
    code: 'NETWORK',
    message: '网络不给力，请检查网络后重试',
    status: 0,
  })
  expect(sent).toHaveLength(2)
})

test('a retried creating call carries the same key', async () => {
  const union = { id: 3, name: '小米工会', parentId: 1 }
  const { sent } = stubRequest('network-down', { status: 201, data: { union } })

  await expect(
    call(routes.createUnion, { body: { name: '小米工会', parentId: 1 } }),
  ).resolves.toEqual({ union })
  expect(sent).toHaveLength(2)
  expect(sent[1].header['Idempotency-Key']).toBe(sent[0].header['Idempotency-Key'])
})

test('does not repeat an unkeyed write after a network failure', async () => {
  const { sent } = stubRequest('network-down', { status: 200, data: {} })
  await expect(call(routes.devLogin, { body: { memberNo: 'M0001' } })).rejects.toMatchObject({
    code: 'NETWORK',
  })
  expect(sent).toHaveLength(1)
})

test('a 401 signs the member out and opens the sign-in page', async () => {
  stubRequest({ status: 401, data: { error: { code: 'UNAUTHENTICATED', message: '请先登录' } } })

  await expect(call(routes.me)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', status: 401 })
  expect(useSession.getState().session).toBeNull()
  expect(Taro.getStorageSync('union-session')).toBeFalsy()
  expect(reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' })
})

test('a wrong member number at sign-in does not sign anyone out', async () => {
  signedOut()
  stubRequest({
    status: 401,
    data: { error: { code: 'UNAUTHENTICATED', message: '会员号不存在' } },
  })
  await expect(call(routes.devLogin, { body: { memberNo: 'M0999' } })).rejects.toMatchObject({
    message: '会员号不存在',
  })
  expect(reLaunch).not.toHaveBeenCalled()
})

test('callText asks for another format with the token and returns the body as sent', async () => {
  const csv = '\uFEFF收货地点,收件人\r\n若羌光伏项目部,李建国\r\n'
  const { sent } = stubRequest({ status: 200, data: csv })

  const text = await callText(
    routes.coolingPackingList,
    { params: { id: 7 }, query: {} },
    { accept: 'text/csv' },
  )

  expect(text).toBe(csv)
  expect(sent[0].url).toBe('/api/v1/staff/cooling/campaigns/7/packing-list')
  expect(sent[0].header.Accept).toBe('text/csv')
  expect(sent[0].header.Authorization).toBe('Bearer secret-token')
  expect((sent[0] as RequestOptions & { dataType?: string }).dataType).toBe('text')
})

test('callText turns an error answer (JSON text) into an ApiError', async () => {
  stubRequest({
    status: 403,
    data: JSON.stringify({ error: { code: 'FORBIDDEN', message: '该活动不属于你管理的工会' } }),
  })
  const failure = callText(
    routes.coolingPackingList,
    { params: { id: 7 }, query: {} },
    { accept: 'text/csv' },
  )
  await expect(failure).rejects.toMatchObject({
    code: 'FORBIDDEN',
    message: '该活动不属于你管理的工会',
    status: 403,
  })
})
