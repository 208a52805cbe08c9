// ESLint 8: Taro's React rules, TypeScript, import boundaries (features never import each other,
// the contract imports nothing of the app or server) and no import cycles; Prettier owns layout.
const fs = require('node:fs')
const path = require('node:path')

const featuresDir = path.join(__dirname, 'src/features')
const features = fs.existsSync(featuresDir)
  ? fs.readdirSync(featuresDir).filter((f) => fs.statSync(path.join(featuresDir, f)).isDirectory())
  : []

module.exports = {
  root: true,
  extends: [
    'taro/react',
    'plugin:@typescript-eslint/recommended',
    'plugin:import/typescript',
    'prettier',
  ],
  plugins: ['import', 'react-hooks'],
  parser: '@typescript-eslint/parser',
  parserOptions: { ecmaVersion: 2022, sourceType: 'module', ecmaFeatures: { jsx: true } },
  settings: {
    react: { version: '18.3' },
    'import/resolver': {
      typescript: { project: ['tsconfig.json', 'server/tsconfig.json'] },
      node: true,
    },
  },
  ignorePatterns: ['node_modules/', 'dist/', 'dist-h5/', 'data/', 'coverage/', '!.ci/'],
  rules: {
    'react/jsx-uses-react': 'off',
    'react/react-in-jsx-scope': 'off',
    'react-hooks/rules-of-hooks': 'error',
    'react-hooks/exhaustive-deps': 'warn',
    '@typescript-eslint/no-explicit-any': 'error',
    '@typescript-eslint/no-unused-vars': [
      'error',
      { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
    ],
    'import/no-cycle': ['error', { maxDepth: 10 }],
    // CommonJS packages (pg, fastify plugins) are imported by their default export on purpose.
    'import/no-named-as-default': 'off',
    'import/no-named-as-default-member': 'off',
    // Module augmentation (`declare module 'fastify'`) re-declares interface names by design.
    '@typescript-eslint/no-shadow': 'off',
    'import/no-restricted-paths': [
      'error',
      {
        zones: [
          // One-way flow: pages → features → components/services → contract.
          ...features.map((f) => ({
            target: `./src/features/${f}`,
            from: './src/features',
            except: [`./${f}`],
            message: 'A feature never imports another feature: move the shared part down.',
          })),
          { target: './src/features', from: './src/pages' },
          { target: './src/services', from: ['./src/features', './src/pages', './src/components'] },
          { target: './src/components', from: ['./src/features', './src/pages'] },
          {
            target: './src/contract',
            from: ['./src', './server'],
            except: ['./contract'],
            message: 'The contract is shared by app and server: zod only.',
          },
          { target: './src', from: './server' },
          { target: './server', from: './src', except: ['./contract'] },
        ],
      },
    ],
  },
  overrides: [
    {
      files: ['*.js', '*.mjs', 'config/**', 'scripts/**'],
      rules: {
        '@typescript-eslint/no-var-requires': 'off',
        '@typescript-eslint/no-require-imports': 'off',
        'import/no-commonjs': 'off',
      },
    },
    { files: ['*.mjs'], parserOptions: { sourceType: 'module' } },
  ],
}
