export default definePageConfig({
  navigationBarTitleText: '为会员代办',
})
