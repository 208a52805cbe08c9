export default definePageConfig({
  navigationBarTitleText: '会员账号',
  enablePullDownRefresh: true,
})
