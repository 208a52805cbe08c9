export default definePageConfig({
  navigationBarTitleText: '新建清凉活动',
})
