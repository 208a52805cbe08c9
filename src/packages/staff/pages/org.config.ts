export default definePageConfig({
  navigationBarTitleText: '组织与会员管理',
})
