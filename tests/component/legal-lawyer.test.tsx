import Taro from '@tarojs/taro'
import { act, fireEvent, screen } from '@testing-library/react'
import LawyerPage from '@/packages/lawyer/pages/index'
import { useLawyerDayStore } from '@/features/legal/lawyer-store'
import { listLawyerDay, recordOutcome, saveLawyerNotes } from '@/services/legal'
import { aMember, mountPage, signedInAs, typeInto } from './render'
import { aLawyerBooking, NOW } from './legal-fixtures'

jest.mock('@/services/legal')
const mockedDay = jest.mocked(listLawyerDay)
const mockedOutcome = jest.mocked(recordOutcome)
const mockedNotes = jest.mocked(saveLawyerNotes)

let showModal: jest.SpyInstance

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['requestAnimationFrame', 'queueMicrotask', 'nextTick'] })
  jest.setSystemTime(NOW)
  useLawyerDayStore.setState({ ...useLawyerDayStore.getInitialState(), date: '2026-11-26' })
  signedInAs(aMember({ id: 30, name: '韩律明', memberNo: 'L0001', roles: ['lawyer'] }))
  mockedDay.mockReset()
  mockedOutcome.mockReset()
  mockedNotes.mockReset()
  showModal = jest.spyOn(Taro, 'showModal').mockResolvedValue({
    confirm: true,
    cancel: false,
    errMsg: 'showModal:ok',
  })
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
})

afterEach(() => {
  jest.useRealTimers()
  jest.restoreAllMocks()
})

test('the lawyer sees the day’s bookings with descriptions and records an outcome with notes', async () => {
  mockedDay.mockImplementation(async (date) => ({
    date: date ?? '2026-11-26',
    bookings:
      date === '2026-11-27'
        ? [
            aLawyerBooking({
              id: 9,
              memberName: '李娜',
              topicName: '工伤认定',
              description: '上班路上摔伤，公司不给认定工伤。',
              startsAt: '2026-11-27T06:00:00.000Z',
              endsAt: '2026-11-27T06:30:00.000Z',
            }),
          ]
        : [
            // 14:00 (not yet started) listed before the 09:00 one by the server; shown by time.
            aLawyerBooking({
              id: 6,
              startsAt: '2026-11-26T06:00:00.000Z',
              endsAt: '2026-11-26T06:30:00.000Z',
              memberName: '赵强',
            }),
            aLawyerBooking({ id: 5 }),
          ],
  }))
  const { container } = await mountPage(<LawyerPage />)
  await screen.findByText('当天预约（2）')
  expect(mockedDay).toHaveBeenCalledWith('2026-11-26')
  const cards = Array.from(container.querySelectorAll<HTMLElement>('.lawyer-booking'))
  expect(cards.map((c) => c.querySelector('.booking-time')?.textContent)).toEqual([
    '09:00–09:30',
    '14:00–14:30',
  ])
  expect(cards[0].textContent).toContain('王建军 · 13912345678')
  expect(cards[0].querySelector('.lawyer-description')?.textContent).toBe(
    '公司已经两个月没有发工资了，我想知道怎么办。',
  )
  // Not started yet: no outcome buttons.
  expect(cards[1].querySelector('.lawyer-completed')).toBeNull()
  expect(cards[1].textContent).toContain('咨询开始后可以保存备注、记录结果')
  expect(cards[1].querySelector('.lawyer-save-notes')).toBeNull()

  // Mark the 09:00 one completed with private notes (after a confirm).
  mockedOutcome.mockResolvedValue(
    aLawyerBooking({ id: 5, status: 'completed', notes: '建议先申请劳动仲裁' }),
  )
  // The textarea inside Taro's web component appears a frame after the list.
  await act(async () => {
    await new Promise((resolve) => requestAnimationFrame(resolve))
  })
  typeInto(cards[0], '.lawyer-notes', '建议先申请劳动仲裁')
  await act(async () => {
    ;(cards[0].querySelector('.lawyer-completed') as HTMLElement).click()
  })
  expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '标记为已完成' }))
  expect(mockedOutcome).toHaveBeenCalledWith(5, {
    status: 'completed',
    notes: '建议先申请劳动仲裁',
  })
  const done = container.querySelectorAll<HTMLElement>('.lawyer-booking')[0]
  expect(done.querySelector('.booking-status')?.textContent).toBe('已完成')
  expect(done.querySelector<HTMLTextAreaElement>('.lawyer-notes textarea')?.value).toBe(
    '建议先申请劳动仲裁',
  )
  expect(done.querySelector('.lawyer-completed')).toBeNull()

  // Another day from the strip.
  await act(async () => {
    fireEvent.click(screen.getByText('明天'))
  })
  await screen.findByText('当天预约（1）')
  expect(mockedDay).toHaveBeenLastCalledWith('2026-11-27')
  expect(screen.getByText('上班路上摔伤，公司不给认定工伤。')).toBeTruthy()
  expect(screen.queryByText('赵强 · 13912345678')).toBeNull()
})

test('a no-show needs a confirm; declining it records nothing', async () => {
  mockedDay.mockResolvedValue({ date: '2026-11-26', bookings: [aLawyerBooking({ id: 5 })] })
  showModal.mockResolvedValueOnce({ confirm: false, cancel: true, errMsg: 'showModal:ok' })
  const { container } = await mountPage(<LawyerPage />)
  await screen.findByText('当天预约（1）')
  await act(async () => {
    ;(container.querySelector('.lawyer-no-show') as HTMLElement).click()
  })
  expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '标记为未到场' }))
  expect(mockedOutcome).not.toHaveBeenCalled()
})

test('members without the lawyer role are turned away', async () => {
  signedInAs(aMember())
  await mountPage(<LawyerPage />)
  expect(screen.getByText('仅律师可用')).toBeTruthy()
  expect(mockedDay).not.toHaveBeenCalled()
})

test('notes are saved on their own after the start, and edited after the outcome', async () => {
  mockedDay.mockResolvedValue({
    date: '2026-11-26',
    bookings: [aLawyerBooking({ id: 5, status: 'completed', notes: '建议先申请劳动仲裁' })],
  })
  const { container } = await mountPage(<LawyerPage />)
  await screen.findByText('当天预约（1）')
  await act(async () => {
    await new Promise((resolve) => requestAnimationFrame(resolve))
  })
  const card = container.querySelector<HTMLElement>('.lawyer-booking')!
  // Unchanged notes: nothing to save.
  expect(card.querySelector('.lawyer-save-notes')?.textContent).toBe('备注已保存')
  typeInto(card, '.lawyer-notes', '建议先申请劳动仲裁；已电话回访，会员已提交仲裁申请')
  mockedNotes.mockResolvedValue(
    aLawyerBooking({
      id: 5,
      status: 'completed',
      notes: '建议先申请劳动仲裁；已电话回访，会员已提交仲裁申请',
    }),
  )
  await act(async () => {
    ;(card.querySelector('.lawyer-save-notes') as HTMLElement).click()
  })
  expect(mockedNotes).toHaveBeenCalledWith(5, '建议先申请劳动仲裁；已电话回访，会员已提交仲裁申请')
  expect(mockedOutcome).not.toHaveBeenCalled()
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '备注已保存' }))
  expect(container.querySelector('.lawyer-save-notes')?.textContent).toBe('备注已保存')
})
