export default definePageConfig({
  navigationBarTitleText: '发放积分',
})
