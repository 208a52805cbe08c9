import Taro from '@tarojs/taro'
import { act, screen, waitFor } from '@testing-library/react'
import { FlowersView } from '@/features/events/components/flowers-view'
import { useFlowersStore } from '@/features/events/flowers-store'
import { forgetDevice } from '@/services/device-keep'
import { ApiError, OFFLINE_MESSAGE } from '@/services/http'
import { getFlowers, listAttendees, sendFlower } from '@/services/events'
import { LIVE_REFRESH_MS } from '@/features/events/use-polling'
import { aMember, mountPage, signedInAs, tap } from './render'
import { anAttendee, someFlowers } from './events-fixtures'

jest.mock('@/services/events')
const mockedFlowers = jest.mocked(getFlowers)
const mockedAttendees = jest.mocked(listAttendees)
const mockedSend = jest.mocked(sendFlower)

let showModal: jest.SpyInstance
let showToast: jest.SpyInstance

const me = anAttendee({ attendeeId: 'me-attendee', nickname: '运河边的风', gender: 'male' })
const xiaoyu = anAttendee({ attendeeId: 'a-1', nickname: '小雨', intro: '爱读书，也爱爬山' })
const ajing = anAttendee({ attendeeId: 'a-2', nickname: '阿静', intro: '周末学烘焙' })

function attendees() {
  mockedAttendees.mockResolvedValue({ attendees: [xiaoyu, me, ajing], myAttendeeId: 'me-attendee' })
}

function card(container: HTMLElement, nickname: string): HTMLElement {
  const found = Array.from(container.querySelectorAll<HTMLElement>('.attendee')).find(
    (c) => c.querySelector('.attendee-name')?.textContent === nickname,
  )
  if (!found) throw new Error(`no card for ${nickname}`)
  return found
}

function flowersLeft(container: HTMLElement): number {
  return container.querySelectorAll('.flower-icon.is-left').length
}

beforeEach(() => {
  useFlowersStore.setState(useFlowersStore.getInitialState(), true)
  forgetDevice()
  jest.resetAllMocks()
  showModal = jest.spyOn(Taro, 'showModal')
  showToast = jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  signedInAs(aMember({ memberNo: 'M0141' }))
})

afterEach(() => {
  jest.useRealTimers()
  jest.restoreAllMocks()
})

test('before the organiser opens the phase: a waiting note, nobody listed', async () => {
  mockedFlowers.mockResolvedValue(someFlowers({ phase: 'not_open' }))
  const { container } = await mountPage(<FlowersView eventId={7} />)

  expect(await screen.findByText('送花环节还没开始')).toBeTruthy()
  expect(container.querySelector('.attendee')).toBeNull()
  expect(mockedAttendees).not.toHaveBeenCalled()
})

test('3 flowers; sending one after confirming leaves 2 and marks the card', async () => {
  mockedFlowers.mockResolvedValue(someFlowers())
  attendees()
  mockedSend.mockResolvedValue({ left: 2, sentTo: ['a-1'] })
  showModal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  const { container } = await mountPage(<FlowersView eventId={7} />)

  expect(await screen.findByText('还剩 3 朵花')).toBeTruthy()
  expect(flowersLeft(container)).toBe(3)
  // Everyone but the member, with nickname and intro only.
  const names = Array.from(container.querySelectorAll('.attendee-name')).map((n) => n.textContent)
  expect(names).toEqual(['小雨', '阿静'])
  expect(screen.getByText('爱读书，也爱爬山')).toBeTruthy()
  expect(container.textContent).not.toMatch(/M\d{4}/)

  await tap(card(container, '小雨'), '.attendee-send')

  expect(showModal).toHaveBeenCalledWith(
    expect.objectContaining({
      title: '送一朵花给「小雨」',
      content: expect.stringContaining('送出后不可撤回'),
    }),
  )
  await waitFor(() =>
    expect(mockedSend).toHaveBeenCalledWith(7, 'a-1', {
      idempotencyKey: expect.stringMatching(/\S{8,}/),
    }),
  )
  expect(
    (showModal.mock.calls[0][0] as { confirmText: string }).confirmText.length,
  ).toBeLessThanOrEqual(4)
  expect(await screen.findByText('还剩 2 朵花')).toBeTruthy()
  expect(flowersLeft(container)).toBe(2)
  expect(container.querySelectorAll('.flower-icon.is-sent')).toHaveLength(1)
  expect(card(container, '小雨').classList.contains('is-sent')).toBe(true)
  expect(card(container, '小雨').textContent).toContain('已送花')
  expect(card(container, '小雨').querySelector('.attendee-send')).toBeNull()
  expect(card(container, '阿静').querySelector('.attendee-send')).not.toBeNull()
})

test('no flower goes out when the member thinks again', async () => {
  mockedFlowers.mockResolvedValue(someFlowers())
  attendees()
  showModal.mockResolvedValue({ confirm: false, cancel: true, errMsg: 'showModal:ok' })
  const { container } = await mountPage(<FlowersView eventId={7} />)
  await screen.findByText('还剩 3 朵花')

  await tap(card(container, '阿静'), '.attendee-send')
  await waitFor(() => expect(showModal).toHaveBeenCalled())
  expect(mockedSend).not.toHaveBeenCalled()
  expect(flowersLeft(container)).toBe(3)
})

test('NO_FLOWERS_LEFT shows the server message and the flowers as they are now', async () => {
  mockedFlowers
    .mockResolvedValueOnce(someFlowers({ left: 1, sentTo: ['a-9', 'a-8'] }))
    .mockResolvedValue(someFlowers({ left: 0, sentTo: ['a-9', 'a-8', 'a-7'] }))
  attendees()
  mockedSend.mockRejectedValue(new ApiError('NO_FLOWERS_LEFT', '你的 3 朵花已经送完了', 409))
  showModal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  const { container } = await mountPage(<FlowersView eventId={7} />)
  await screen.findByText('还剩 1 朵花')

  await tap(card(container, '小雨'), '.attendee-send')

  expect(await screen.findByText('你的 3 朵花已经送完了')).toBeTruthy()
  expect(showToast).toHaveBeenCalledWith(
    expect.objectContaining({ title: '你的 3 朵花已经送完了' }),
  )
  expect(await screen.findByText('3 朵花都已送出')).toBeTruthy()
  expect(flowersLeft(container)).toBe(0)
  // No flower left: every send button is disabled.
  const buttons = Array.from(container.querySelectorAll('.attendee-send'))
  expect(buttons.length).toBe(2)
  expect(buttons.every((b) => b.classList.contains('is-disabled'))).toBe(true)
})

test('while the phase is open nothing reveals matches or counts; closed, the matches show', async () => {
  // The server never sends matches while open; even if it did, the page would not show them.
  mockedFlowers.mockResolvedValueOnce(
    someFlowers({ left: 2, sentTo: ['a-1'], matches: [{ attendeeId: 'a-1', nickname: '小雨' }] }),
  )
  attendees()
  const { container } = await mountPage(<FlowersView eventId={7} />)
  await screen.findByText('还剩 2 朵花')
  expect(screen.queryByText('牵手成功')).toBeNull()
  expect(screen.queryByText(/你收到了/)).toBeNull()

  mockedFlowers.mockResolvedValue(
    someFlowers({
      phase: 'closed',
      left: 2,
      sentTo: ['a-1'],
      oneSided: 'some',
      matches: [{ attendeeId: 'a-1', nickname: '小雨' }],
    }),
  )
  await tap(container, '.flowers-reload')

  expect(await screen.findByText('牵手成功')).toBeTruthy()
  expect(screen.getByText('小雨', { selector: '.match-name' })).toBeTruthy()
  // Beyond the match only that someone sent a flower: no number, no name.
  expect(screen.getByText('另外，还有人向你送了花')).toBeTruthy()
  expect(screen.getByText('为保护送花人，不显示是谁送的，也不显示有几朵。')).toBeTruthy()
  expect(container.querySelector('.flowers-one-sided')?.textContent).not.toMatch(/\d/)
  expect(container.querySelector('.attendee-send')).toBeNull()
})

test('closed without a match: a kind message', async () => {
  mockedFlowers.mockResolvedValue(someFlowers({ phase: 'closed', oneSided: 'none', left: 0 }))
  const { container } = await mountPage(<FlowersView eventId={7} />)

  expect(await screen.findByText('送花已结束')).toBeTruthy()
  expect(screen.getByText('这次没有收到花，别灰心')).toBeTruthy()
  expect(screen.getByText(/今天认识的每一位朋友都是收获/)).toBeTruthy()
  expect(screen.queryByText('牵手成功')).toBeNull()
  expect(container.querySelector('.match')).toBeNull()
})

test('closed without a match, one-sided flowers: 有人向你送了花, never how many or who', async () => {
  mockedFlowers.mockResolvedValue(someFlowers({ phase: 'closed', oneSided: 'some', left: 0 }))
  const { container } = await mountPage(<FlowersView eventId={7} />)

  expect(await screen.findByText('有人向你送了花')).toBeTruthy()
  expect(screen.getByText('为保护送花人，不显示是谁送的，也不显示有几朵。')).toBeTruthy()
  expect(screen.queryByText(/你收到了/)).toBeNull()
  expect(container.querySelector('.flowers-one-sided')?.textContent).not.toMatch(/\d/)
})

test('closed in a small circle: nothing is said about one-sided flowers, and why', async () => {
  mockedFlowers.mockResolvedValue(someFlowers({ phase: 'closed', oneSided: 'withheld', left: 0 }))
  const { container } = await mountPage(<FlowersView eventId={7} />)

  expect(
    await screen.findByText('本场可能向你送花的人不多，为保护送花人，不显示你是否收到了花。'),
  ).toBeTruthy()
  expect(screen.queryByText('有人向你送了花')).toBeNull()
  expect(screen.queryByText('这次没有收到花，别灰心')).toBeNull()
  expect(container.querySelector('.flowers-received')).toBeNull()
})

test('closed in a small circle with a match: the match by name, nothing about other flowers', async () => {
  mockedFlowers.mockResolvedValue(
    someFlowers({
      phase: 'closed',
      oneSided: 'withheld',
      sentTo: ['a-1'],
      matches: [{ attendeeId: 'a-1', nickname: '小雨' }],
    }),
  )
  await mountPage(<FlowersView eventId={7} />)
  expect(
    await screen.findByText('本场可能向你送花的人不多，为保护送花人，不显示你是否收到了其他的花。'),
  ).toBeTruthy()
  expect(screen.getByText('牵手成功')).toBeTruthy()
  expect(screen.getByText('小雨', { selector: '.match-name' })).toBeTruthy()
})

test('the attendee cards show gender and birth year only for attendees who chose to show them', async () => {
  mockedFlowers.mockResolvedValue(someFlowers())
  mockedAttendees.mockResolvedValue({
    attendees: [xiaoyu, me, anAttendee({ ...ajing, gender: 'female', birthYear: 1998 })],
    myAttendeeId: 'me-attendee',
  })
  const { container } = await mountPage(<FlowersView eventId={7} />)
  await screen.findByText('还剩 3 朵花')

  expect(card(container, '阿静').querySelector('.attendee-details')?.textContent).toBe(
    '女 · 1998 年',
  )
  expect(card(container, '小雨').querySelector('.attendee-details')).toBeNull()
  expect(card(container, '小雨').textContent).not.toMatch(/女|男|\d{4}/)
})

test('a load failure offers 重新加载', async () => {
  mockedFlowers.mockRejectedValueOnce(new ApiError('NOT_CHECKED_IN', '签到后才能参与送花', 422))
  mockedFlowers.mockResolvedValue(someFlowers({ phase: 'not_open' }))
  const { container } = await mountPage(<FlowersView eventId={7} />)

  expect(await screen.findByText('签到后才能参与送花')).toBeTruthy()
  await tap(container, '.state-retry')
  expect(await screen.findByText('送花环节还没开始')).toBeTruthy()
})

test('live: the phase opening and the 牵手 reveal arrive without 刷新, then the asking stops', async () => {
  jest.useFakeTimers({ advanceTimers: true })
  attendees()
  mockedFlowers
    .mockResolvedValueOnce(someFlowers({ phase: 'not_open' }))
    .mockResolvedValueOnce(someFlowers({ phase: 'open', left: 2, sentTo: ['a-1'] }))
    .mockResolvedValue(
      someFlowers({
        phase: 'closed',
        left: 2,
        sentTo: ['a-1'],
        oneSided: 'none',
        matches: [{ attendeeId: 'a-1', nickname: '小雨' }],
      }),
    )
  const tick = () =>
    act(async () => {
      jest.advanceTimersByTime(LIVE_REFRESH_MS)
    })
  await mountPage(<FlowersView eventId={7} />)
  expect(await screen.findByText('送花环节还没开始')).toBeTruthy()
  await tick()
  expect(await screen.findByText('还剩 2 朵花')).toBeTruthy()
  await tick()
  expect(await screen.findByText('牵手成功')).toBeTruthy()
  // Nothing left to wait for: no more asking.
  const asked = mockedFlowers.mock.calls.length
  await tick()
  await tick()
  expect(mockedFlowers.mock.calls.length).toBe(asked)
  // A live refresh never toasts.
  expect(showToast).not.toHaveBeenCalled()
})

describe('offline', () => {
  const NOTICE = /^网络不可用，显示的是 \d{1,2}月\d{1,2}日 \d{2}:\d{2} 的数据$/
  const noticeText = (container: HTMLElement) =>
    container.querySelector('.kept-notice-text')?.textContent ?? null
  const offline = () => Promise.reject(new ApiError('NETWORK', OFFLINE_MESSAGE))

  test('reopened without a network: the flowers and attendees last loaded, with the dated notice and 重试', async () => {
    mockedFlowers.mockResolvedValue(someFlowers({ left: 2, sentTo: ['a-1'] }))
    attendees()
    const first = await mountPage(<FlowersView eventId={7} />)
    expect(await screen.findByText('还剩 2 朵花')).toBeTruthy()
    expect(noticeText(first.container)).toBeNull()
    first.unmount()

    // The app opened again, offline.
    useFlowersStore.setState(useFlowersStore.getInitialState(), true)
    mockedFlowers.mockImplementation(offline)
    mockedAttendees.mockImplementation(offline)
    const { container } = await mountPage(<FlowersView eventId={7} />)
    expect(await screen.findByText('还剩 2 朵花')).toBeTruthy()
    expect(noticeText(container)).toMatch(NOTICE)
    expect(card(container, '小雨').textContent).toContain('已送花')
    expect(card(container, '阿静').querySelector('.attendee-send')).not.toBeNull()
    expect(container.querySelector('.state-error')).toBeNull()

    // 重试 once the network is back: fresh data, and the notice goes.
    mockedFlowers.mockResolvedValue(someFlowers({ left: 1, sentTo: ['a-1', 'a-2'] }))
    attendees()
    await tap(container, '.kept-notice-retry')
    expect(await screen.findByText('还剩 1 朵花')).toBeTruthy()
    expect(noticeText(container)).toBeNull()
  })

  test('the copy is per event: another event without one shows the error', async () => {
    mockedFlowers.mockResolvedValue(someFlowers())
    attendees()
    const first = await mountPage(<FlowersView eventId={7} />)
    expect(await screen.findByText('还剩 3 朵花')).toBeTruthy()
    first.unmount()

    mockedFlowers.mockImplementation(offline)
    const { container } = await mountPage(<FlowersView eventId={8} />)
    expect(await screen.findByText(OFFLINE_MESSAGE)).toBeTruthy()
    expect(screen.getByText('重新加载')).toBeTruthy()
    expect(noticeText(container)).toBeNull()
  })

  test('nothing kept on the device: offline shows the error with 重新加载', async () => {
    mockedFlowers.mockImplementation(offline)
    const { container } = await mountPage(<FlowersView eventId={7} />)
    expect(await screen.findByText(OFFLINE_MESSAGE)).toBeTruthy()
    expect(screen.getByText('重新加载')).toBeTruthy()
    expect(container.querySelector('.attendee')).toBeNull()
  })

  test('a live refresh without an answer keeps what is shown (a flower just sent too) and dates it', async () => {
    jest.useFakeTimers({ advanceTimers: true })
    mockedFlowers.mockResolvedValue(someFlowers())
    attendees()
    mockedSend.mockResolvedValue({ left: 2, sentTo: ['a-1'] })
    showModal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
    const { container, unmount } = await mountPage(<FlowersView eventId={7} />)
    expect(await screen.findByText('还剩 3 朵花')).toBeTruthy()
    await tap(card(container, '小雨'), '.attendee-send')
    expect(await screen.findByText('还剩 2 朵花')).toBeTruthy()

    mockedFlowers.mockImplementation(offline)
    mockedAttendees.mockImplementation(offline)
    const asked = mockedFlowers.mock.calls.length
    await act(async () => {
      jest.advanceTimersByTime(LIVE_REFRESH_MS)
    })
    await waitFor(() => expect(mockedFlowers.mock.calls.length).toBeGreaterThan(asked))
    await waitFor(() => expect(noticeText(container)).toMatch(NOTICE))
    expect(screen.getByText('还剩 2 朵花')).toBeTruthy()
    expect(card(container, '小雨').textContent).toContain('已送花')
    expect(showToast).not.toHaveBeenCalledWith(expect.objectContaining({ title: OFFLINE_MESSAGE }))

    // Reopened offline, the device's copy has the flower sent too: it is never offered again.
    unmount()
    jest.useRealTimers()
    useFlowersStore.setState(useFlowersStore.getInitialState(), true)
    const again = await mountPage(<FlowersView eventId={7} />)
    await waitFor(() => expect(noticeText(again.container)).toMatch(NOTICE))
    expect(card(again.container, '小雨').querySelector('.attendee-send')).toBeNull()
  })
})
