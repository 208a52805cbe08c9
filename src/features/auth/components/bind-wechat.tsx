import { useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import { ACTIVATION_CODE_HOURS, ACTIVATION_CODE_LENGTH } from '@/contract/auth'
import { scanQrCode } from '@/components/code-entry'
import { parseActivationQr, type useSignIn } from '@/features/auth/use-sign-in'
import { PrivacySheet } from '@/components/privacy-sheet'

/** Props of the bind screen. */
export interface BindWechatProps {
  /** The login page's sign-in state (busy flag, last error, the bind actions). */
  signIn: ReturnType<typeof useSignIn>
}

/**
 * 绑定会员身份 (mini-program, first sign-in): proof of who the member is, never a name.
 * First choice 手机号快速验证 (WeChat's verified phone matched to the union roster); otherwise
 * the member number and the one-time activation code from union staff, typed or scanned.
 */
export function BindWechat({ signIn }: BindWechatProps) {
  const { busy, error, errorCode, fail, bindWithPhone, bindWithActivationCode } = signIn
  const [useCode, setUseCode] = useState(false)
  const [memberNo, setMemberNo] = useState('')
  const [activationCode, setActivationCode] = useState('')
  // The roster cannot match this phone: the code is the way left, so open it.
  const showCode = useCode || errorCode === 'PHONE_NOT_ON_ROSTER' || errorCode === 'PHONE_AMBIGUOUS'

  const scan = async () => {
    const result = await scanQrCode()
    if (result === null) return
    const parsed = parseActivationQr(result)
    if (!parsed) {
      fail('这不是工会激活码的二维码，请扫描工会干部出示的激活码')
      return
    }
    setMemberNo(parsed.memberNo)
    setActivationCode(parsed.activationCode)
    await bindWithActivationCode(parsed)
  }

  return (
    <View className="login-bind">
      <Text className="login-card-title">绑定会员身份</Text>
      <Text className="muted login-bind-note">
        首次使用需要确认您是工会会员。绑定后，以后打开小程序点「微信一键登录」即可。
      </Text>
      {error ? (
        <Text
          className={
            errorCode === 'ACTIVATION_LOCKED'
              ? 'form-error login-error login-error-locked'
              : 'form-error login-error'
          }
        >
          {error}
        </Text>
      ) : null}

      {!showCode ? (
        <View className="login-bind-phone">
          <Button
            className={
              busy
                ? 'btn btn-primary btn-block login-phone is-busy'
                : 'btn btn-primary btn-block login-phone'
            }
            openType="getPhoneNumber"
            disabled={busy}
            loading={busy}
            onGetPhoneNumber={(e) => void bindWithPhone(e.detail.code)}
          >
            手机号快速验证
          </Button>
          <Text className="muted login-hint">使用您微信绑定的手机号，与工会登记的手机号核对</Text>
          <Button
            className="btn btn-ghost btn-block login-use-code"
            disabled={busy}
            onClick={() => setUseCode(true)}
          >
            使用工会激活码
          </Button>
          <Text className="muted login-hint">手机号未在工会登记？请向所在工会领取激活码</Text>
        </View>
      ) : (
        <View className="login-bind-code">
          <View className="field">
            <Text className="field-label">会员号</Text>
            <Input
              className="input bind-member-no"
              type="text"
              placeholder="会员号，如 M0001"
              value={memberNo}
              maxlength={10}
              disabled={busy}
              onInput={(e) => setMemberNo(e.detail.value)}
            />
          </View>
          <View className="field">
            <Text className="field-label">激活码</Text>
            <Input
              className="input bind-activation-code"
              type="text"
              placeholder={`工会干部发给您的 ${ACTIVATION_CODE_LENGTH} 位激活码`}
              value={activationCode}
              maxlength={ACTIVATION_CODE_LENGTH + 2}
              disabled={busy}
              onInput={(e) => setActivationCode(e.detail.value)}
              onConfirm={() => void bindWithActivationCode({ memberNo, activationCode })}
            />
          </View>
          <Button
            className={
              busy
                ? 'btn btn-primary btn-block bind-activation-submit is-busy'
                : 'btn btn-primary btn-block bind-activation-submit'
            }
            disabled={busy}
            onClick={() => void bindWithActivationCode({ memberNo, activationCode })}
          >
            {busy ? '绑定中…' : '绑定并登录'}
          </Button>
          <Button
            className="btn btn-ghost btn-block bind-scan"
            disabled={busy}
            onClick={() => void scan()}
          >
            扫码填写激活码
          </Button>
          <Text className="muted login-hint">
            激活码不区分大小写，{ACTIVATION_CODE_HOURS} 小时内有效，只能使用一次
          </Text>
          {errorCode !== 'PHONE_NOT_ON_ROSTER' && errorCode !== 'PHONE_AMBIGUOUS' ? (
            <Text className="login-link bind-back-phone" onClick={() => setUseCode(false)}>
              改用手机号快速验证
            </Text>
          ) : null}
        </View>
      )}
      <PrivacySheet />
    </View>
  )
}
