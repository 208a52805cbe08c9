export default definePageConfig({
  navigationBarTitleText: '装箱单',
})
