export default definePageConfig({
  navigationBarTitleText: '夏送清凉',
  enablePullDownRefresh: true,
})
