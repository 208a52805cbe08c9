// Order matters: @tarojs/taro must load before the test utils, or an import cycle leaves it half-built.
import '@tarojs/taro'
import React from 'react'
import ReactDOM from 'react-dom'
import { createH5NativeComponentConfig } from '@tarojs/plugin-framework-react/dist/runtime'
import { configure } from '@testing-library/react'

// Hands React to Taro's hooks (useDidShow, usePullDownRefresh…) outside a full app.
createH5NativeComponentConfig(null, React, ReactDOM)

// `findBy…` and `waitFor` wait up to 5 s (not 1 s): on a busy 2-core machine Taro's web components
// can take longer than a second to render their inner elements. Nothing here is timed: a test that
// passes waits only as long as the page needs.
configure({ asyncUtilTimeout: 5000 })
