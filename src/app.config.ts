export default defineAppConfig({
  pages: ['pages/home/index', 'pages/points/index', 'pages/me/index', 'pages/login/index'],
  subPackages: [
    { root: 'packages/mall', pages: ['pages/index', 'pages/item', 'pages/orders'] },
    { root: 'packages/cooling', pages: ['pages/index', 'pages/campaign'] },
    { root: 'packages/events', pages: ['pages/index'] },
    { root: 'packages/legal', pages: ['pages/index', 'pages/book', 'pages/booking', 'pages/mine'] },
    { root: 'packages/lawyer', pages: ['pages/index'] },
    {
      root: 'packages/staff',
      pages: [
        'pages/index',
        'pages/org',
        'pages/pickup',
        'pages/items',
        'pages/item-form',
        'pages/grant',
        'pages/cooling',
        'pages/cooling-form',
        'pages/cooling-sites',
        'pages/packing-list',
      ],
    },
  ],
  window: {
    backgroundTextStyle: 'light',
    backgroundColor: '#f6f3f1',
    navigationBarBackgroundColor: '#d4380d',
    navigationBarTitleText: '工会服务站',
    navigationBarTextStyle: 'white',
  },
  tabBar: {
    color: '#6b6b6b',
    selectedColor: '#d4380d',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/home/index',
        text: '首页',
        iconPath: 'assets/tab/home.png',
        selectedIconPath: 'assets/tab/home-active.png',
      },
      {
        pagePath: 'pages/points/index',
        text: '积分',
        iconPath: 'assets/tab/points.png',
        selectedIconPath: 'assets/tab/points-active.png',
      },
      {
        pagePath: 'pages/me/index',
        text: '我的',
        iconPath: 'assets/tab/me.png',
        selectedIconPath: 'assets/tab/me-active.png',
      },
    ],
  },
})
