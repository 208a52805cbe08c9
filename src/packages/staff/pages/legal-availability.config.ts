export default definePageConfig({
  navigationBarTitleText: '律师排班',
})
