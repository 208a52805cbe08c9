// Component tests: Jest 29 + @tarojs/test-utils-react on Taro's H5 runtime, in jsdom.
// The package's defineJestConfig (its jest preset) merges `globals` and `moduleNameMapper` but replaces
// `transform`, `setupFiles` and `testMatch`, so those are restated in full here.
const path = require('node:path')
const defineJestConfig = require('@tarojs/test-utils-react/dist/jest.js').default

const dir = (p) => path.join(__dirname, p)

module.exports = defineJestConfig({
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/tests/component/**/*.test.tsx'],
  setupFiles: [dir('tests/component/setup-env.js')],
  setupFilesAfterEnv: [dir('tests/component/setup-after-env.ts')],
  transform: {
    // Swiper and a few Taro deps ship .mjs/.cjs only.
    '^.+\\.(js|jsx|ts|tsx|mjs|cjs)$':
      require.resolve('@tarojs/test-utils-react/dist/jest/babel-transformer.js'),
  },
  // Taro's runtime, components and several of their deps (lodash-es, style-inject…) ship ES modules, so
  // node_modules is transformed except the big CommonJS packages and Jest's own.
  transformIgnorePatterns: [
    '/node_modules/(react|react-dom|scheduler|zod|dayjs|zustand|@testing-library|jsdom|@babel|jest-[^/]+|@jest|pretty-format)/',
  ],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'json'],
  moduleNameMapper: {
    '\\.(css|scss|sass|less)$': dir('tests/component/style-stub.js'),
    '^@/(.*)$': dir('src/$1'),
  },
  // A test waits for the page (see setup-after-env.ts), never on a clock: a busy machine only slows it.
  testTimeout: 30_000,
  // Fake timers never take the animation frame: Taro's web components (Stencil) render through one
  // queued frame at a time, and a frame queued under fake timers and dropped by useRealTimers left
  // every later component of the file unrendered (an <Input> without its inner <input>).
  fakeTimers: { doNotFake: ['requestAnimationFrame', 'cancelAnimationFrame'] },
  bail: 0,
  verbose: true,
})
