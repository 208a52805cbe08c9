export default defineAppConfig({
  pages: ['pages/home/index', 'pages/points/index', 'pages/me/index', 'pages/login/index'],
  subPackages: [
    { root: 'packages/mall', pages: ['pages/index', 'pages/item', 'pages/orders'] },
    { root: 'packages/cooling', pages: ['pages/index', 'pages/campaign'] },
    {
      root: 'packages/events',
      pages: ['pages/index', 'pages/event', 'pages/rounds', 'pages/flowers'],
    },
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
        'pages/events',
        'pages/event-form',
        'pages/event',
        'pages/legal',
        'pages/legal-lawyers',
        'pages/legal-points',
        'pages/legal-availability',
        'pages/legal-closures',
        'pages/members',
        'pages/member-import',
      ],
    },
    { root: 'packages/account', pages: ['pages/qr-approve'] },
  ],
  window: {
    backgroundTextStyle: 'light',
    backgroundColor: '#f6f3f1',
    navigationBarBackgroundColor: '#d4380d',
    navigationBarTitleText: '工会服务站',
    navigationBarTextStyle: 'white',
  },
  // WeChat search indexes only the public pages listed there (src/sitemap.json, copied by config/).
  sitemapLocation: 'sitemap.json',
  // Components are injected when a page renders them, not all at launch.
  lazyCodeLoading: 'requiredComponents',
  style: 'v2',
  // Phone number and scan ask for the 用户隐私保护指引 first (src/services/privacy.ts answers).
  __usePrivacyCheck__: true,
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
