import Taro from '@tarojs/taro'
import { create } from 'zustand'

/** The summary of the 用户隐私保护指引 shown before the first phone-number or scan request. */
export const PRIVACY_SUMMARY =
  '为提供会员服务，我们会收集：手机号（绑定会员身份）、收货人姓名/电话/地址（配送清凉礼包）、' +
  '法律咨询的问题描述（仅你和接待律师可见）、微信 openid（登录）。扫码仅用于核销与签到。' +
  '数据保存在工会服务站服务器，可联系所在工会删除。同意后继续。'

/**
 * The id of the sheet's 同意 button (`openType="agreePrivacyAuthorization"`): WeChat lets the
 * waiting request go on only when `resolve` names a button of that kind that the person tapped.
 */
export const PRIVACY_AGREE_BUTTON_ID = 'privacy-agree'

type Resolve = (option: Taro.onNeedPrivacyAuthorization.ResolveOption) => void

interface PrivacyPromptState {
  /** WeChat's answer function while a phone-number or scan request waits for the person. */
  waiting: Resolve | null
  /** Shows the sheet for a waiting request (a second one replaces the first, refused). */
  ask: (resolve: Resolve) => void
  /** 同意 (the agree button was tapped): the waiting request goes on. */
  agree: () => void
  /** 拒绝: the waiting request fails as WeChat's refusal. */
  refuse: () => void
}

/** The privacy prompt's state: which request waits (the sheet is shown while one does). */
export const usePrivacyPrompt = create<PrivacyPromptState>()((set, get) => ({
  waiting: null,
  ask: (resolve) => {
    get().waiting?.({ event: 'disagree' })
    set({ waiting: resolve })
  },
  agree: () => {
    const resolve = get().waiting
    set({ waiting: null })
    resolve?.({ event: 'agree', buttonId: PRIVACY_AGREE_BUTTON_ID })
  },
  refuse: () => {
    const resolve = get().waiting
    set({ waiting: null })
    resolve?.({ event: 'disagree' })
  },
}))

/**
 * Answers WeChat's `onNeedPrivacyAuthorization` (app.json `__usePrivacyCheck__`): the first time
 * the app asks for the phone number or the camera, the page's privacy sheet (`PrivacySheet`)
 * shows the 用户隐私保护指引 summary, and the waiting request goes on when the person taps its
 * 同意 button — WeChat requires that tap on a `agreePrivacyAuthorization` button — or fails on
 * 拒绝. Mini-program only; H5 never asks, and its sheet never shows.
 */
export function installPrivacyPrompt(): void {
  if (process.env.TARO_ENV !== 'weapp') return
  if (typeof Taro.onNeedPrivacyAuthorization !== 'function') return
  Taro.onNeedPrivacyAuthorization((resolve) => {
    // Tells WeChat the prompt is on screen.
    resolve({ event: 'exposureAuthorization' })
    usePrivacyPrompt.getState().ask(resolve)
  })
}
