export default definePageConfig({
  navigationBarTitleText: '清凉大礼包',
})
