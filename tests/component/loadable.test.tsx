import { create } from 'zustand'
import { ApiError } from '@/services/http'
import { makeLoader, resetOnSessionChange, upsertById, type Loadable } from '@/services/loadable'
import { aMember, signedInAs } from './render'

interface ListState extends Loadable {
  list: number[]
  load: () => Promise<void>
}

function listStore(fetch: () => Promise<number[]>) {
  const store = create<ListState>()((set, get) => ({
    list: [],
    status: 'idle',
    error: null,
    load: makeLoader(set, get, async () => ({ list: await fetch() })),
  }))
  resetOnSessionChange(store, { list: [], status: 'idle', error: null })
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
  signedInAs(aMember({ id: 2, memberNo: 'M0002' }), 'token-2')
  resolve([9])
  await pending
  expect(store.getState()).toMatchObject({ list: [], status: 'idle' })
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
