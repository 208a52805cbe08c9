export default definePageConfig({
  navigationBarTitleText: '我的分组',
  enablePullDownRefresh: true,
})
