import Taro from '@tarojs/taro'
import { act, fireEvent, screen } from '@testing-library/react'
import { PrivacySheet } from '@/components/privacy-sheet'
import {
  PRIVACY_AGREE_BUTTON_ID,
  PRIVACY_SUMMARY,
  installPrivacyPrompt,
  usePrivacyPrompt,
} from '@/services/privacy'
import { mountPage, tap } from './render'

type Resolve = (option: Taro.onNeedPrivacyAuthorization.ResolveOption) => void

beforeEach(() => {
  usePrivacyPrompt.setState({ waiting: null })
})

afterEach(() => {
  jest.restoreAllMocks()
})

test('nothing shows until WeChat waits for the person', async () => {
  const { container } = await mountPage(<PrivacySheet />)
  expect(container.querySelector('.privacy-sheet')).toBeNull()
})

test('同意并继续 is WeChat’s agree button; its event lets the request go on with its id', async () => {
  const resolve = jest.fn<void, Parameters<Resolve>>()
  const { container } = await mountPage(<PrivacySheet />)
  act(() => usePrivacyPrompt.getState().ask(resolve))
  expect(screen.getByText('用户隐私保护指引')).toBeTruthy()
  expect(screen.getByText(PRIVACY_SUMMARY)).toBeTruthy()
  const agree = container.querySelector('.privacy-agree')!
  expect(agree.getAttribute('id')).toBe(PRIVACY_AGREE_BUTTON_ID)
  expect(agree.getAttribute('open-type') ?? agree.getAttribute('openType')).toBe(
    'agreePrivacyAuthorization',
  )
  // A plain tap is not the agreement: only WeChat's agree event is.
  await tap(container, '.privacy-agree')
  expect(resolve).not.toHaveBeenCalled()
  await act(async () => {
    fireEvent(agree, new CustomEvent('agreeprivacyauthorization', { bubbles: true }))
  })
  expect(resolve).toHaveBeenCalledWith({ event: 'agree', buttonId: PRIVACY_AGREE_BUTTON_ID })
  expect(container.querySelector('.privacy-sheet')).toBeNull()
})

test('拒绝 refuses the waiting request and closes the sheet', async () => {
  const resolve = jest.fn<void, Parameters<Resolve>>()
  const { container } = await mountPage(<PrivacySheet />)
  act(() => usePrivacyPrompt.getState().ask(resolve))
  await tap(container, '.privacy-refuse')
  expect(resolve).toHaveBeenCalledWith({ event: 'disagree' })
  expect(container.querySelector('.privacy-sheet')).toBeNull()
})

test('the full text opens in WeChat’s viewer', async () => {
  const open = jest
    .spyOn(Taro, 'openPrivacyContract')
    .mockImplementation((() => Promise.resolve({ errMsg: 'ok' })) as never)
  const { container } = await mountPage(<PrivacySheet />)
  act(() => usePrivacyPrompt.getState().ask(jest.fn()))
  await tap(container, '.privacy-link')
  expect(open).toHaveBeenCalledTimes(1)
})

test('a second request while one waits refuses the first', () => {
  const first = jest.fn<void, Parameters<Resolve>>()
  const second = jest.fn<void, Parameters<Resolve>>()
  usePrivacyPrompt.getState().ask(first)
  usePrivacyPrompt.getState().ask(second)
  expect(first).toHaveBeenCalledWith({ event: 'disagree' })
  expect(second).not.toHaveBeenCalled()
  expect(usePrivacyPrompt.getState().waiting).toBe(second)
})

test('in the mini-program the listener reports the prompt shown and opens the sheet (no modal)', () => {
  const env = process.env.TARO_ENV
  let listener: ((resolve: Resolve) => void) | null = null
  const modal = jest.spyOn(Taro, 'showModal')
  const on = jest.fn((l: (resolve: Resolve) => void) => {
    listener = l
  })
  Object.assign(Taro, { onNeedPrivacyAuthorization: on })
  process.env.TARO_ENV = 'weapp'
  try {
    installPrivacyPrompt()
  } finally {
    process.env.TARO_ENV = env
  }
  expect(on).toHaveBeenCalledTimes(1)
  const resolve = jest.fn<void, Parameters<Resolve>>()
  listener!(resolve)
  expect(resolve).toHaveBeenCalledWith({ event: 'exposureAuthorization' })
  expect(usePrivacyPrompt.getState().waiting).toBe(resolve)
  expect(modal).not.toHaveBeenCalled()
})

test('on H5 nothing is installed', () => {
  const on = jest.fn()
  Object.assign(Taro, { onNeedPrivacyAuthorization: on })
  installPrivacyPrompt()
  expect(on).not.toHaveBeenCalled()
})
