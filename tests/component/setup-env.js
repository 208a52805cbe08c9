// Runs before each test file, before the framework: the app code branches on these at run time.
process.env.TARO_ENV = 'h5'
process.env.TARO_PLATFORM = 'web'
// The test utils' transformer compiles JSX with the classic runtime (React.createElement), so React
// must be reachable as a global for files that do not import it.
global.React = require('react')
// A device far from China: every date on screen must still be Asia/Shanghai time.
process.env.TZ = 'America/Los_Angeles'
