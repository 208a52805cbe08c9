import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { PRIVACY_AGREE_BUTTON_ID, PRIVACY_SUMMARY, usePrivacyPrompt } from '@/services/privacy'
import './privacy-sheet.scss'

/**
 * The 用户隐私保护指引 sheet, over the page that asked for the phone number or the camera while
 * WeChat waits for the person: 同意并继续 is WeChat's `agreePrivacyAuthorization` button (only its
 * tap lets the request go on), 拒绝 refuses, and the full text opens in WeChat's own viewer.
 * Renders nothing otherwise (and always on H5). Put it on every page that scans or asks for the
 * phone number.
 */
export function PrivacySheet() {
  const { waiting, agree, refuse } = usePrivacyPrompt()
  if (!waiting) return null
  return (
    <View className="privacy-mask">
      <View className="privacy-sheet" role="dialog" aria-label="用户隐私保护指引">
        <Text className="privacy-title">用户隐私保护指引</Text>
        <Text className="privacy-text">{PRIVACY_SUMMARY}</Text>
        <Text
          className="privacy-link"
          onClick={() => Taro.openPrivacyContract({ fail: () => undefined })}
        >
          查看完整的《用户隐私保护指引》
        </Text>
        <View className="privacy-actions">
          <Button className="btn btn-ghost privacy-refuse" onClick={refuse}>
            拒绝
          </Button>
          <Button
            id={PRIVACY_AGREE_BUTTON_ID}
            className="btn btn-primary privacy-agree"
            openType="agreePrivacyAuthorization"
            onAgreePrivacyAuthorization={agree}
          >
            同意并继续
          </Button>
        </View>
      </View>
    </View>
  )
}
