import Taro from '@tarojs/taro'
import { act, fireEvent, screen, waitFor } from '@testing-library/react'
import LoginPage from '@/pages/login/index'
import { wechatLogin } from '@/services/auth'
import { ApiError } from '@/services/http'
import { useSession } from '@/services/session'
import { aMember, mountPage, signedOut, tap, typeInto } from './render'

jest.mock('@/services/auth')
const mockedWechatLogin = jest.mocked(wechatLogin)

let login: jest.SpyInstance
let switchTab: jest.SpyInstance
let scanCode: jest.SpyInstance
const env = process.env.TARO_ENV

const NOT_BOUND = new ApiError(
  'WECHAT_NOT_BOUND',
  '该微信还未绑定会员：请用微信绑定的手机号验证，或输入工会发放的激活码',
  404,
)

beforeEach(() => {
  process.env.TARO_ENV = 'weapp'
  signedOut()
  mockedWechatLogin.mockReset()
  let n = 0
  login = jest.spyOn(Taro, 'login').mockImplementation(async () => ({
    code: `code-${++n}`,
    errMsg: 'login:ok',
  }))
  switchTab = jest.spyOn(Taro, 'switchTab').mockResolvedValue({ errMsg: 'switchTab:ok' })
  scanCode = jest.spyOn(Taro, 'scanCode')
})

afterEach(() => {
  process.env.TARO_ENV = env
  login.mockRestore()
  switchTab.mockRestore()
  scanCode.mockRestore()
})

/** WeChat's phone-number sheet closing: a code when allowed, none when refused. */
async function answerPhoneSheet(container: HTMLElement, detail: { code?: string; errMsg: string }) {
  const button = container.querySelector('.login-phone')
  if (!button) throw new Error('no phone button')
  await act(async () => {
    fireEvent(button, new CustomEvent('getphonenumber', { detail, bubbles: true }))
  })
}

/** Taps 微信一键登录 on an unbound WeChat: the bind screen opens. */
async function openBindScreen() {
  mockedWechatLogin.mockRejectedValueOnce(NOT_BOUND)
  const mounted = await mountPage(<LoginPage />)
  await tap(mounted.container, '.login-wechat')
  expect(await screen.findByText(NOT_BOUND.message)).toBeTruthy()
  expect(mockedWechatLogin).toHaveBeenLastCalledWith({ code: 'code-1' })
  await waitFor(() => expect(mounted.container.querySelector('.login-phone')).toBeTruthy())
  return mounted
}

test('a bound WeChat signs in with one tap', async () => {
  const member = aMember()
  mockedWechatLogin.mockResolvedValueOnce({ token: 'tok-1', member })
  const { container } = await mountPage(<LoginPage />)

  await tap(container, '.login-wechat')

  expect(mockedWechatLogin).toHaveBeenCalledWith({ code: 'code-1' })
  await waitFor(() => expect(switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' }))
  expect(useSession.getState().session?.token).toBe('tok-1')
})

test('first sign-in binds with the WeChat-verified phone and a fresh login code', async () => {
  const { container } = await openBindScreen()
  // No name field anywhere: a name never binds.
  expect(screen.queryByText('姓名')).toBeNull()
  const phoneButton = container.querySelector('.login-phone')!
  expect(phoneButton.getAttribute('open-type') ?? phoneButton.getAttribute('openType')).toBe(
    'getPhoneNumber',
  )
  expect(screen.getByText('手机号快速验证')).toBeTruthy()

  const member = aMember({ memberNo: 'M0002', name: '李芳' })
  mockedWechatLogin.mockResolvedValueOnce({ token: 'tok-2', member })
  await answerPhoneSheet(container, { code: 'phone-123', errMsg: 'getPhoneNumber:ok' })

  await waitFor(() =>
    expect(mockedWechatLogin).toHaveBeenLastCalledWith({ code: 'code-2', phoneCode: 'phone-123' }),
  )
  await waitFor(() => expect(switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' }))
  expect(useSession.getState().session).toEqual({ token: 'tok-2', member })
})

test('refusing the phone sheet explains the choices and calls nobody', async () => {
  const { container } = await openBindScreen()

  await answerPhoneSheet(container, { errMsg: 'getPhoneNumber:fail user deny' })

  expect(await screen.findByText(/您没有同意使用手机号/)).toBeTruthy()
  expect(mockedWechatLogin).toHaveBeenCalledTimes(1)
  expect(useSession.getState().session).toBeNull()
  // The phone button is still there to try again.
  expect(container.querySelector('.login-phone')).toBeTruthy()
})

test('a phone not on the roster says so and opens the activation code form', async () => {
  const { container } = await openBindScreen()
  mockedWechatLogin.mockRejectedValueOnce(
    new ApiError(
      'PHONE_NOT_ON_ROSTER',
      '工会名册中没有这个手机号。请联系所在工会核对手机号，或领取激活码绑定',
      404,
    ),
  )
  await answerPhoneSheet(container, { code: 'phone-9', errMsg: 'getPhoneNumber:ok' })

  expect(await screen.findByText(/工会名册中没有这个手机号/)).toBeTruthy()
  await waitFor(() => expect(container.querySelector('.bind-activation-code')).toBeTruthy())
  expect(useSession.getState().session).toBeNull()
})

test('a member already bound elsewhere gets the server message', async () => {
  const { container } = await openBindScreen()
  mockedWechatLogin.mockRejectedValueOnce(
    new ApiError(
      'MEMBER_ALREADY_BOUND',
      '该会员已绑定其他微信。如更换了微信，请联系所在工会解绑后再绑定',
      409,
    ),
  )
  await answerPhoneSheet(container, { code: 'phone-9', errMsg: 'getPhoneNumber:ok' })
  expect(await screen.findByText(/该会员已绑定其他微信/)).toBeTruthy()
})

test('binds with member number and activation code; wrong codes and the lock are shown', async () => {
  const { container } = await openBindScreen()
  await tap(container, '.login-use-code')
  await waitFor(() => expect(container.querySelector('.bind-activation-code input')).toBeTruthy())

  // Checked before any call: the code has 8 characters.
  typeInto(container, '.bind-member-no', 'm0002')
  typeInto(container, '.bind-activation-code', 'abc')
  await tap(container, '.bind-activation-submit')
  expect(await screen.findByText('激活码为 8 位字母或数字')).toBeTruthy()
  expect(mockedWechatLogin).toHaveBeenCalledTimes(1)

  mockedWechatLogin.mockRejectedValueOnce(
    new ApiError('ACTIVATION_CODE_INVALID', '会员号或激活码不正确，或激活码已过期、已使用', 400),
  )
  typeInto(container, '.bind-activation-code', 'abcd efgh')
  await tap(container, '.bind-activation-submit')
  expect(await screen.findByText('会员号或激活码不正确，或激活码已过期、已使用')).toBeTruthy()
  expect(mockedWechatLogin).toHaveBeenLastCalledWith({
    code: 'code-2',
    memberNo: 'M0002',
    activationCode: 'ABCDEFGH',
  })

  mockedWechatLogin.mockRejectedValueOnce(
    new ApiError('ACTIVATION_LOCKED', '激活码错误次数过多，已暂时锁定，请稍后再试', 429),
  )
  await tap(container, '.bind-activation-submit')
  const locked = await screen.findByText(/激活码错误次数过多，已暂时锁定/)
  expect(locked.textContent).toContain('15 分钟后自动解锁')
  expect(container.querySelector('.login-error-locked')).toBeTruthy()
  expect(useSession.getState().session).toBeNull()

  const member = aMember({ memberNo: 'M0002', name: '李芳' })
  mockedWechatLogin.mockResolvedValueOnce({ token: 'tok-3', member })
  typeInto(container, '.bind-activation-code', 'abcd-efgk')
  await tap(container, '.bind-activation-submit')
  await waitFor(() => expect(useSession.getState().session?.token).toBe('tok-3'))
  expect(mockedWechatLogin).toHaveBeenLastCalledWith({
    code: 'code-4',
    memberNo: 'M0002',
    activationCode: 'ABCDEFGK',
  })
})

test('scanning the staff QR fills member number and code and binds', async () => {
  const { container } = await openBindScreen()
  await tap(container, '.login-use-code')
  await waitFor(() => expect(container.querySelector('.bind-scan')).toBeTruthy())

  scanCode.mockResolvedValueOnce({ result: 'something-else', errMsg: 'scanCode:ok' })
  await tap(container, '.bind-scan')
  expect(await screen.findByText(/这不是工会激活码的二维码/)).toBeTruthy()
  expect(mockedWechatLogin).toHaveBeenCalledTimes(1)

  const member = aMember({ memberNo: 'M0007' })
  mockedWechatLogin.mockResolvedValueOnce({ token: 'tok-7', member })
  scanCode.mockResolvedValueOnce({ result: 'uss-activate:M0007:K7MN2PQR', errMsg: 'scanCode:ok' })
  await tap(container, '.bind-scan')

  await waitFor(() =>
    expect(mockedWechatLogin).toHaveBeenLastCalledWith({
      code: 'code-2',
      memberNo: 'M0007',
      activationCode: 'K7MN2PQR',
    }),
  )
  await waitFor(() => expect(useSession.getState().session?.token).toBe('tok-7'))
})
