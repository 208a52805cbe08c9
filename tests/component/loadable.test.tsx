import { create } from 'zustand'
import { ApiError } from '@/services/http'
import Taro from '@tarojs/taro'
import { makeLoader, upsertById, type Loadable, type LoaderOptions } from '@/services/loadable'
import { useSession } from '@/services/session'
import { registerReset } from '@/services/store-reset'
import { aMember, signedInAs } from './render'

interface ListState extends Loadable {
  day: string
  list: number[]
  load: (options?: { maxAgeMs?: number }) => Promise<void>
}

function listStore(fetch: () => Promise<number[]>, options?: LoaderOptions<ListState>) {
  const store = create<ListState>()((set, get) => ({
    day: 'mon',
    list: [],
    status: 'idle',
    error: null,
    load: makeLoader(set, get, async () => ({ list: await fetch() }), options),
  }))
  registerReset(store)
  return store
}

beforeEach(() => signedInAs(aMember(), 'token-1'))

test('concurrent loads share one request', async () => {
  const fetch = jest.fn().mockResolvedValue([1, 2])
  const store = listStore(fetch)
  await Promise.all([store.getState().load(), store.getState().load()])
  expect(fetch).toHaveBeenCalledTimes(1)
  expect(store.getState()).toMatchObject({ list: [1, 2], status: 'ready', error: null })
})

test('a failed first load shows the error; a failed refresh keeps the data', async () => {
  const fetch = jest.fn().mockRejectedValueOnce(new ApiError('INTERNAL', '服务器开小差了', 500))
  const store = listStore(fetch)
  await store.getState().load()
  expect(store.getState()).toMatchObject({ status: 'error', error: '服务器开小差了' })

  fetch.mockResolvedValueOnce([3])
  await store.getState().load()
  fetch.mockRejectedValueOnce(new ApiError('NETWORK', '网络不给力', 0))
  await store.getState().load()
  expect(store.getState()).toMatchObject({ list: [3], status: 'ready', error: null })
})

test('an answer for the previous member is dropped and a new member starts empty', async () => {
  let resolve: (v: number[]) => void = () => undefined
  const store = listStore(() => new Promise((r) => (resolve = r)))
  const pending = store.getState().load()
  expect(store.getState().status).toBe('loading')
  useSession.getState().signIn({ token: 'token-2', member: aMember({ id: 2, memberNo: 'M0002' }) })
  expect(store.getState()).toMatchObject({ list: [], status: 'idle' })
  resolve([9])
  await pending
  expect(store.getState()).toMatchObject({ list: [], status: 'idle' })
})

test('signing out puts every registered store back to its start', async () => {
  const store = listStore(async () => [1])
  await store.getState().load()
  expect(store.getState().list).toEqual([1])
  useSession.getState().signOut()
  expect(store.getState()).toMatchObject({ list: [], status: 'idle', error: null })
})

test('a new member does not share the previous member’s request', async () => {
  const answers: ((v: number[]) => void)[] = []
  const fetch = jest.fn(() => new Promise<number[]>((r) => answers.push(r)))
  const store = listStore(fetch)
  void store.getState().load()
  useSession.getState().signIn({ token: 'token-2', member: aMember({ id: 2, memberNo: 'M0002' }) })
  const second = store.getState().load()
  expect(fetch).toHaveBeenCalledTimes(2)
  answers[1]([2])
  await second
  answers[0]([1])
  await Promise.resolve()
  expect(store.getState()).toMatchObject({ list: [2], status: 'ready' })
})

test('maxAgeMs keeps young data; a load without it asks again', async () => {
  const fetch = jest.fn().mockResolvedValue([1])
  const store = listStore(fetch)
  await store.getState().load()
  await store.getState().load({ maxAgeMs: 60_000 })
  expect(fetch).toHaveBeenCalledTimes(1)
  await store.getState().load()
  expect(fetch).toHaveBeenCalledTimes(2)
})

test('an answer for a key no longer chosen is dropped', async () => {
  const answers: ((v: number[]) => void)[] = []
  const store = listStore(() => new Promise<number[]>((r) => answers.push(r)), {
    key: (s) => s.day,
  })
  const monday = store.getState().load()
  store.setState({ day: 'tue' })
  const tuesday = store.getState().load()
  expect(answers).toHaveLength(2)
  answers[1]([2])
  await tuesday
  answers[0]([1])
  await monday
  expect(store.getState()).toMatchObject({ list: [2], status: 'ready' })
})

test('with `toast`, a failed refresh keeps the data and says why', async () => {
  const showToast = jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  const fetch = jest.fn().mockResolvedValueOnce([1])
  const store = listStore(fetch, { toast: true })
  await store.getState().load()
  fetch.mockRejectedValueOnce(new ApiError('NETWORK', '网络不给力', 0))
  await store.getState().load()
  expect(store.getState()).toMatchObject({ list: [1], status: 'ready', error: null })
  expect(showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '网络不给力' }))
  showToast.mockRestore()
})

test('upsertById replaces by id or puts a new entry first', () => {
  const list = [
    { id: 1, n: 'a' },
    { id: 2, n: 'b' },
  ]
  expect(upsertById(list, { id: 2, n: 'B' })).toEqual([
    { id: 1, n: 'a' },
    { id: 2, n: 'B' },
  ])
  expect(upsertById(list, { id: 3, n: 'c' })[0]).toEqual({ id: 3, n: 'c' })
})
