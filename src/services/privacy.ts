import Taro from '@tarojs/taro'

/** The summary of the 用户隐私保护指引 shown before the first phone-number or scan request. */
export const PRIVACY_SUMMARY =
  '为提供会员服务，我们会收集：手机号（绑定会员身份）、收货人姓名/电话/地址（配送清凉礼包）、' +
  '法律咨询的问题描述（仅你和接待律师可见）、微信 openid（登录）。扫码仅用于核销与签到。' +
  '数据保存在工会服务站服务器，可联系所在工会删除。同意后继续。'

/**
 * Answers WeChat's `onNeedPrivacyAuthorization` (app.json `__usePrivacyCheck__`): the first time
 * the app asks for the phone number or the camera, a modal shows the 用户隐私保护指引 summary,
 * and the waiting request goes on (同意) or fails (拒绝). Mini-program only; H5 never asks.
 */
export function installPrivacyPrompt(): void {
  if (process.env.TARO_ENV !== 'weapp') return
  if (typeof Taro.onNeedPrivacyAuthorization !== 'function') return
  Taro.onNeedPrivacyAuthorization((resolve) => {
    resolve({ event: 'exposureAuthorization' })
    Taro.showModal({
      title: '用户隐私保护指引',
      content: PRIVACY_SUMMARY,
      confirmText: '同意',
      cancelText: '拒绝',
    })
      .then(({ confirm }) => resolve(confirm ? { event: 'agree' } : { event: 'disagree' }))
      .catch(() => resolve({ event: 'disagree' }))
  })
}
