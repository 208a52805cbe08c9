import { useEffect, type PropsWithChildren } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { View } from '@tarojs/components'
import {
  CARE_CLASS,
  CARE_ROOT_CLASS,
  takeCareHint,
  useCareMode,
  useCareModeStore,
} from '@/services/care-mode'

/** Once per launch at most: several pages may mount before the hint is answered. */
let hintAsked = false

async function showCareHint(): Promise<void> {
  const { confirm } = await Taro.showModal({
    title: '已为您换成长辈版',
    content: '您的手机字体调大了，已为您换成字更大、按钮更大的长辈版。以后可在“我的”里随时切换。',
    confirmText: '好的',
    cancelText: '用标准版',
    confirmColor: '#ad2102',
  })
  if (!confirm) useCareModeStore.getState().setCareMode(false)
}

/**
 * The top element of every member page: carries `is-care` in 长辈版, so each page's styles can
 * enlarge text and controls under it (the same class on weapp and H5). On H5 the root element gets
 * `is-care-root`, for the tab bar outside the page only (staff pages keep their own layout).
 * Shows the one-time hint when the font is enlarged.
 */
export function CarePage({ children }: PropsWithChildren) {
  const care = useCareMode()

  // The person may change the font size while the app is in the background.
  useDidShow(() => {
    useCareModeStore.getState().detectFontScale()
  })

  useEffect(() => {
    if (hintAsked || !takeCareHint()) return
    hintAsked = true
    void showCareHint().catch(() => undefined)
  }, [])

  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5' || typeof document === 'undefined') return
    document.documentElement.classList.toggle(CARE_ROOT_CLASS, care)
  }, [care])

  return <View className={care ? `care-page ${CARE_CLASS}` : 'care-page'}>{children}</View>
}
