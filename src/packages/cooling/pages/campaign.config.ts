export default definePageConfig({
  navigationBarTitleText: '挑选清凉礼包',
})
