import { Text, View } from '@tarojs/components'
import { useCareMode, useCareModeStore } from '@/services/care-mode'
import './care-mode-switch.scss'

/**
 * The 长辈版 switch on 我的: the whole row is the tap target, and its state is said in words
 * (已开启 / 已关闭), not by colour alone. Remembered for the signed-in member on this device.
 */
export function CareModeSwitch() {
  const care = useCareMode()
  const setCareMode = useCareModeStore((s) => s.setCareMode)
  return (
    <View
      className={care ? 'card care-switch is-on' : 'card care-switch'}
      role="switch"
      aria-checked={care}
      aria-label="长辈版"
      onClick={() => setCareMode(!care)}
    >
      <View className="care-switch-text">
        <Text className="care-switch-title">长辈版</Text>
        <Text className="care-switch-note">字更大、按钮更大，页面更简洁</Text>
      </View>
      <View className="care-switch-control">
        <View className="care-switch-track">
          <View className="care-switch-knob" />
        </View>
        <Text className="care-switch-state">{care ? '已开启' : '已关闭'}</Text>
      </View>
    </View>
  )
}
