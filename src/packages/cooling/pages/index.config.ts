export default definePageConfig({
  navigationBarTitleText: '清凉大礼包',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'light',
})
