export default definePageConfig({
  navigationBarTitleText: '法律咨询',
})
