// The framework runtime ships no typings for this entry; only what the setup uses is declared.
declare module '@tarojs/plugin-framework-react/dist/runtime' {
  export function createH5NativeComponentConfig(
    component: unknown,
    react: typeof import('react'),
    reactDOM: typeof import('react-dom'),
  ): unknown
}
