import Taro from '@tarojs/taro'
import { act, screen, waitFor } from '@testing-library/react'
import MePage from '@/pages/me/index'
import { careModeKey, CARE_HINT_KEY, useCareModeStore } from '@/services/care-mode'
import { useSession } from '@/services/session'
import { aMember, mountPage, showPage, signedInAs, tap } from './render'

jest.mock('@/services/auth')

let showModal: jest.SpyInstance
const env = process.env.TARO_ENV

beforeEach(() => {
  showModal = jest.spyOn(Taro, 'showModal')
})

afterEach(() => {
  process.env.TARO_ENV = env
  jest.restoreAllMocks()
  document.documentElement.classList.remove('is-care-root')
})

/** The page's top element (CarePage) and the switch row on 我的. */
function parts(container: HTMLElement) {
  const page = container.querySelector('.care-page')
  const toggle = container.querySelector('.care-switch')
  if (!page || !toggle) throw new Error('the page or the switch is missing')
  return { page, toggle }
}

test('the 长辈版 switch puts the page into care mode and back, saying so in words', async () => {
  signedInAs(aMember({ id: 7 }))
  const { container } = await mountPage(<MePage />)
  const { page, toggle } = parts(container)
  expect(page.classList.contains('is-care')).toBe(false)
  expect(toggle.getAttribute('aria-checked')).toBe('false')
  expect(screen.getByText('已关闭')).toBeTruthy()

  await tap(container, '.care-switch')

  expect(page.classList.contains('is-care')).toBe(true)
  expect(toggle.getAttribute('aria-checked')).toBe('true')
  expect(screen.getByText('已开启')).toBeTruthy()
  // H5: the root element too, for the tab bar outside the page.
  expect(document.documentElement.classList.contains('is-care-root')).toBe(true)
  expect(Taro.getStorageSync(careModeKey(7))).toBe('on')

  await tap(container, '.care-switch')

  expect(page.classList.contains('is-care')).toBe(false)
  expect(screen.getByText('已关闭')).toBeTruthy()
  expect(document.documentElement.classList.contains('is-care-root')).toBe(false)
  expect(Taro.getStorageSync(careModeKey(7))).toBe('off')
})

test('each member on a shared phone keeps their own choice across sign-out', async () => {
  signedInAs(aMember({ id: 7, name: '王师傅' }))
  const first = await mountPage(<MePage />)
  await tap(first.container, '.care-switch')
  expect(parts(first.container).page.classList.contains('is-care')).toBe(true)
  first.unmount()

  // Another member signs in on the same phone (storage kept): standard mode for them.
  act(() => {
    useSession.getState().signOut()
    useSession.getState().signIn({ token: 'token-2', member: aMember({ id: 8, name: '李姐' }) })
  })
  const second = await mountPage(<MePage />)
  expect(screen.getByText('李姐')).toBeTruthy()
  expect(parts(second.container).page.classList.contains('is-care')).toBe(false)
  second.unmount()

  // The first member comes back: 长辈版 again, without touching the switch.
  act(() => {
    useSession.getState().signOut()
    useSession.getState().signIn({ token: 'token-3', member: aMember({ id: 7, name: '王师傅' }) })
  })
  const third = await mountPage(<MePage />)
  expect(screen.getByText('王师傅')).toBeTruthy()
  expect(parts(third.container).page.classList.contains('is-care')).toBe(true)
  expect(screen.getByText('已开启')).toBeTruthy()
})

test('an enlarged WeChat font turns care mode on, with a hint shown once', async () => {
  process.env.TARO_ENV = 'weapp'
  const baseInfo = jest
    .spyOn(Taro, 'getAppBaseInfo')
    .mockReturnValue({ fontSizeScaleFactor: 1 } as unknown as ReturnType<
      typeof Taro.getAppBaseInfo
    >)
  signedInAs(aMember({ id: 9 }))
  showModal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })

  // Standard font: no hint, standard mode.
  const plain = await mountPage(<MePage />)
  await showPage()
  expect(parts(plain.container).page.classList.contains('is-care')).toBe(false)
  expect(showModal).not.toHaveBeenCalled()
  plain.unmount()

  // The person enlarges WeChat's font and comes back to the app.
  baseInfo.mockReturnValue({ fontSizeScaleFactor: 1.4 } as unknown as ReturnType<
    typeof Taro.getAppBaseInfo
  >)
  const large = await mountPage(<MePage />)
  await showPage()
  expect(parts(large.container).page.classList.contains('is-care')).toBe(true)
  large.unmount()
  const again = await mountPage(<MePage />)
  await waitFor(() => expect(showModal).toHaveBeenCalledTimes(1))
  expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '已为您换成长辈版' }))
  expect(Taro.getStorageSync(CARE_HINT_KEY)).toBeTruthy()
  // Following the font is not a choice: nothing is stored for the member yet.
  expect(Taro.getStorageSync(careModeKey(9))).toBeFalsy()
  expect(parts(again.container).page.classList.contains('is-care')).toBe(true)

  // The member prefers the standard look: the switch wins over the font size.
  await tap(again.container, '.care-switch')
  expect(parts(again.container).page.classList.contains('is-care')).toBe(false)
  expect(useCareModeStore.getState().fontScale).toBe(1.4)
  expect(Taro.getStorageSync(careModeKey(9))).toBe('off')
})
