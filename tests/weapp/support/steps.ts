import assert from 'node:assert/strict'
import type { Weapp } from './driver'
import { rosterPhone } from './env'

/** 我的 → 退出登录 → confirms WeChat's modal: the app is back on the sign-in page. */
export async function signOut(weapp: Weapp): Promise<void> {
  await weapp.tapTab('我的')
  weapp.answers.modals.push(true)
  await weapp.tap({ button: '退出登录' })
  await weapp.waitFor((w) => w.route === 'pages/login/index')
}

/**
 * 微信一键登录 as the WeChat account of `memberNo` (openid `openid-<memberNo>`); the first time,
 * the bind screen's 手机号快速验证 with the member's roster phone. Ends on home.
 */
export async function signInWithWechat(weapp: Weapp, memberNo: string): Promise<void> {
  assert.equal(weapp.route, 'pages/login/index')
  weapp.answers.loginCode = `ok:openid-${memberNo.toLowerCase()}`
  weapp.answers.phoneCode = `phone:${rosterPhone(memberNo)}`
  await weapp.tap({ button: '微信一键登录' })
  if (weapp.route === 'pages/login/index') {
    await weapp.tap({ button: '手机号快速验证' })
    await agreePrivacyIfAsked(weapp)
  }
  await weapp.waitFor((w) => w.route === 'pages/home/index')
}

/** Signs the current member out and `memberNo` in through WeChat. */
export async function switchMember(weapp: Weapp, memberNo: string): Promise<void> {
  await signOut(weapp)
  await signInWithWechat(weapp, memberNo)
}

/**
 * The first phone-number or scan request on this phone waits on the app's 用户隐私保护指引 sheet:
 * the person taps 同意并继续 (WeChat's agree button), and the request goes on.
 */
export async function agreePrivacyIfAsked(weapp: Weapp): Promise<void> {
  if (weapp.has({ className: 'privacy-sheet' })) await weapp.tap({ button: '同意并继续' })
}
