import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const restrict = (patterns, message) => ({ patterns: patterns.map((group) => ({ group: [group], message })) });

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'storybook-static/**', 'coverage/**', 'apps/demo/dist/**', '.bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['**/*.tsx', 'packages/react/src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  // Benchmarks, scripts and the smoke test report on stdout by design.
  {
    files: ['bench/**', 'scripts/**', 'apps/demo/smoke.mjs', 'apps/demo/scripts/**'],
    rules: { 'no-console': 'off' },
  },
  // Layering (DESIGN.md): core imports nothing outside itself and touches no DOM or Node built-ins.
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', restrict(['react', 'react-dom', 'node:*', '@vigil/*', 'fs', 'path', 'd3-*', '@visx/*'], 'core has zero runtime dependencies and no platform imports')],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', 'require'],
    },
  },
  {
    files: ['packages/adapters/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', restrict(['react', 'react-dom', '@vigil/react', '@vigil/cli'], 'adapters import core only')] },
  },
  {
    files: ['packages/react/src/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', restrict(['@vigil/adapters', '@vigil/adapters/*', '@vigil/cli', 'node:*'], 'react never imports a concrete adapter: the host hands one in')] },
  },
  {
    files: ['packages/react/src/**/*.stories.tsx', 'packages/react/src/**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
