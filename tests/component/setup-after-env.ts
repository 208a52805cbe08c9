// Order matters: @tarojs/taro must load before the test utils, or an import cycle leaves it half-built.
import '@tarojs/taro'
import React from 'react'
import ReactDOM from 'react-dom'
import { createH5NativeComponentConfig } from '@tarojs/plugin-framework-react/dist/runtime'

// Hands React to Taro's hooks (useDidShow, usePullDownRefresh…) outside a full app.
createH5NativeComponentConfig(null, React, ReactDOM)
