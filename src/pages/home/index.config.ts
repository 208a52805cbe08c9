export default definePageConfig({
  navigationBarTitleText: '工会服务站',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'light',
})
