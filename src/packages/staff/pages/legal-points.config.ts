export default definePageConfig({
  navigationBarTitleText: '服务点管理',
})
