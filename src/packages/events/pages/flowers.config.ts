export default definePageConfig({
  navigationBarTitleText: '送花',
  enablePullDownRefresh: true,
})
