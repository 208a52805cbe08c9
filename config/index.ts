import fs from 'node:fs'
import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import TsconfigPathsPlugin from 'tsconfig-paths-webpack-plugin'
import type Chain from 'webpack-chain'
import devConfig from './dev'
import prodConfig from './prod'

/** Files of zod 4 that hold only JSON-Schema code (see config/zod-json-schema-stub.js). */
const zodJsonSchemaFiles =
  /[\\/]node_modules[\\/]zod[\\/]v4[\\/](core[\\/](json-schema-processors|to-json-schema|json-schema-generator)|classic[\\/]from-json-schema)\.js$/

/** The app never turns a schema into JSON Schema: zod's code for it stays out of both builds. */
function withoutZodJsonSchema(chain: Chain) {
  chain.module
    .rule('zod-json-schema-stub')
    .test(zodJsonSchemaFiles)
    .enforce('pre')
    .use('stub')
    .loader(path.resolve(__dirname, 'zod-json-schema-stub.js'))
}

/**
 * The engines the weapp bundle must parse on: JavaScriptCore of iOS 10.3 and the Chromium 58 of
 * older WeChat on Android. `?.`, `??`, object spread, optional catch bindings and class fields are
 * compiled away (async functions too: Babel counts Safari 10's as buggy, so the output is ES2015
 * plus generators). package.json's browserslist is the H5 one (browsers with ES modules), which
 * left all of that in the weapp output; tests/weapp/bundle.test.ts parses every shipped file at
 * ES2017 to prove it.
 */
const weappTargets = { ios: '10.3', chrome: '58' }

/** Every package the weapp build bundles, except Babel's own helpers and polyfills. */
function isTranspiledPackage(file: string): boolean {
  return (
    /[\\/]node_modules[\\/]/.test(file) &&
    !/[\\/]node_modules[\\/](@babel[\\/]runtime|core-js)[\\/]/.test(file)
  )
}

/** Babel with the weapp targets; packages are parsed as CommonJS or ES modules, as they are. */
function withWeappTargets(chain: Chain) {
  chain.module
    .rule('script')
    .use('babelLoader')
    .tap((options: Record<string, unknown> | undefined) => ({
      ...options,
      targets: weappTargets,
      overrides: [{ test: isTranspiledPackage, sourceType: 'unambiguous' }],
    }))
}

// https://docs.taro.zone/docs/next/config#defineconfig-辅助函数
export default defineConfig<'webpack5'>(async (merge) => {
  const isH5 = process.env.TARO_ENV === 'h5'
  // `TARO_SOURCE_MAP=1`: separate source maps, to see which module each output byte comes from.
  const sourceMaps = process.env.TARO_SOURCE_MAP
    ? { enableSourceMap: true, sourceMapType: 'source-map' as const }
    : {}
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'union-service-station',
    date: '2025-1-1',
    designWidth: 750,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    // `TARO_OUTPUT_ROOT` lets scripts/size.mjs build into a scratch folder beside the usual ones.
    outputRoot: process.env.TARO_OUTPUT_ROOT || (isH5 ? 'dist-h5' : 'dist'),
    plugins: [],
    defineConstants: {},
    // Build-time API base; empty means the default of each platform (see src/services/http.ts).
    env: {
      TARO_APP_API_BASE: JSON.stringify(process.env.TARO_APP_API_BASE ?? ''),
      // `1`: the demo build offers 演示登录 by member number; any other build drops that code.
      TARO_APP_DEMO: JSON.stringify(process.env.TARO_APP_DEMO === '1' ? '1' : ''),
      // Subscribe-message template ids (the server's WECHAT_TEMPLATE_<KEY>); empty: ask for none.
      ...Object.fromEntries(
        [
          'PICKUP_EXPIRING',
          'LEGAL_REMINDER',
          'WAITLIST_PROMOTED',
          'FLOWERS_RESULT',
          'PACK_SHIPPED',
        ].map((key) => {
          const name = `TARO_APP_WECHAT_TEMPLATE_${key}`
          return [name, JSON.stringify(process.env[name] ?? '')]
        }),
      ),
    },
    alias: {
      '@': path.resolve(__dirname, '..', 'src'),
    },
    copy: {
      // The mini-program's search index rules (app.json's sitemapLocation); H5 has no use for it.
      // (Only where the app has one: the bare Taro baseline of `npm run size` builds with this config.)
      patterns:
        isH5 || !fs.existsSync(path.join(process.cwd(), 'src/sitemap.json'))
          ? []
          : [
              {
                from: 'src/sitemap.json',
                to: `${process.env.TARO_OUTPUT_ROOT || 'dist'}/sitemap.json`,
              },
            ],
      options: {},
    },
    framework: 'react',
    compiler: 'webpack5',
    cache: {
      enable: true,
      // The demo build keeps its own cache, so it never lends a module to a production build.
      ...(process.env.TARO_APP_DEMO === '1' ? { name: `demo-${process.env.TARO_ENV}` } : {}),
    },
    mini: {
      ...sourceMaps,
      // Taro compiles only src/ and its own packages; the weapp targets need every package.
      compile: { include: [isTranspiledPackage] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      webpackChain(chain) {
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin)
        withoutZodJsonSchema(chain)
        withWeappTargets(chain)
      },
    },
    h5: {
      ...sourceMaps,
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[hash:8].js',
        chunkFilename: 'js/[name].[chunkhash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[hash].css',
        chunkFilename: 'css/[name].[chunkhash].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      webpackChain(chain) {
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin)
        withoutZodJsonSchema(chain)
        // The H5 build targets browsers with ES modules (package.json browserslist), which all have
        // fetch and AbortController: @tarojs/taro-h5's request polyfills are dead weight there.
        // (`false`: webpack 5 resolves the module to an empty one; webpack-chain types only strings.)
        const empty = false as unknown as string
        chain.resolve.alias
          .set('whatwg-fetch$', empty)
          .set('abortcontroller-polyfill/dist/abortcontroller-polyfill-only$', empty)
        // Taro splits only initial chunks, so every lazily loaded page carried its own copy of the
        // components, zod and the services; sharing async chunks too keeps each page small. Taro's
        // `minSize: 0` then cut the first route into ~20 tiny files: shared code is split out only
        // from 20 KB on, and a page waits for at most 4 chunks besides the app's own.
        chain.optimization.splitChunks({
          ...chain.optimization.get('splitChunks'),
          chunks: 'all',
          minSize: 20_000,
          maxAsyncRequests: 4,
        })
      },
    },
  }

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig)
  }
  return merge({}, baseConfig, prodConfig)
})
