export default definePageConfig({
  navigationBarTitleText: '律师管理',
})
