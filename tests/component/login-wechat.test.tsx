import Taro from '@tarojs/taro'
import { screen, waitFor } from '@testing-library/react'
import LoginPage from '@/pages/login/index'
import { wechatLogin } from '@/services/auth'
import { ApiError } from '@/services/http'
import { useSession } from '@/services/session'
import { aMember, mountPage, signedOut, tap, typeInto } from './render'

jest.mock('@/services/auth')
const mockedWechatLogin = jest.mocked(wechatLogin)

let login: jest.SpyInstance
let switchTab: jest.SpyInstance
const env = process.env.TARO_ENV

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
})

afterEach(() => {
  process.env.TARO_ENV = env
  login.mockRestore()
  switchTab.mockRestore()
})

test('first WeChat sign-in asks for member number and name, then binds with a fresh code', async () => {
  mockedWechatLogin.mockRejectedValueOnce(
    new ApiError('WECHAT_NOT_BOUND', '该微信还未绑定会员，请输入会员号和姓名完成绑定', 404),
  )
  const member = aMember({ memberNo: 'M0002', name: '李芳' })
  mockedWechatLogin.mockResolvedValueOnce({ token: 'tok-2', member })
  const { container } = await mountPage(<LoginPage />)

  await tap(container, '.login-wechat')
  expect(await screen.findByText('该微信还未绑定会员，请输入会员号和姓名完成绑定')).toBeTruthy()
  expect(mockedWechatLogin).toHaveBeenLastCalledWith({ code: 'code-1' })

  await waitFor(() => expect(container.querySelector('.login-name input')).toBeTruthy())
  typeInto(container, '.login-input', 'm0002')
  typeInto(container, '.login-name', '李芳')
  await tap(container, '.btn-primary')

  expect(mockedWechatLogin).toHaveBeenLastCalledWith({
    code: 'code-2',
    memberNo: 'M0002',
    name: '李芳',
  })
  expect(useSession.getState().session?.token).toBe('tok-2')
  expect(switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' })
})
