export default definePageConfig({
  navigationBarTitleText: '法律服务',
  enablePullDownRefresh: true,
})
