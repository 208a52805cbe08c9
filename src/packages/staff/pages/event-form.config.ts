export default definePageConfig({
  navigationBarTitleText: '新建联谊活动',
})
