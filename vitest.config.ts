import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import react from '@vitejs/plugin-react';
import { workspaceAliases } from './vitest.workspace-aliases';

/** Debian's Chromium: the tests never download a browser of their own. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Pre-bundled for the browser projects, so Vite does not re-optimise and reload in the middle of a run. */
const optimizeDeps = { include: ['@tanstack/react-table', '@tanstack/react-virtual', 'd3-scale', 'd3-shape', 'd3-hierarchy', 'd3-force', 'zustand', 'zustand/vanilla', 'axe-core', 'react', 'react-dom', 'react-dom/client'] };

const browser = (name: string) => ({
  enabled: true,
  headless: true,
  provider: playwright({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } }),
  // One uniquely named instance per project: Vitest refuses two projects that both resolve to "x (chromium)".
  instances: [{ browser: 'chromium' as const, name: `${name} (chromium)` }],
  screenshotFailures: false,
});

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    projects: [
      {
        resolve: { alias: workspaceAliases },
        test: {
          name: 'unit',
          environment: 'node',
          include: ['packages/{core,adapters,cli}/src/**/*.test.ts', 'scripts/**/*.test.ts', 'apps/demo/src/**/*.test.ts'],
        },
      },
      {
        plugins: [react()],
        resolve: { alias: workspaceAliases },
        test: {
          name: 'jsdom',
          environment: 'jsdom',
          include: ['packages/react/src/**/*.test.{ts,tsx}'],
          exclude: ['**/*.browser.test.{ts,tsx}'],
          setupFiles: ['packages/react/test/setup-jsdom.ts'],
        },
      },
      {
        plugins: [react()],
        resolve: { alias: workspaceAliases },
        optimizeDeps,
        test: {
          name: 'browser',
          include: ['packages/react/src/**/*.browser.test.{ts,tsx}'],
          browser: browser('browser'),
          // Axe over large stories and million-point charts is slow on a 2-core machine; these are not timing tests.
          testTimeout: 60_000,
        },
      },
      {
        plugins: [storybookTest({ configDir: '.storybook' })],
        resolve: { alias: workspaceAliases },
        optimizeDeps,
        test: {
          name: 'storybook',
          browser: browser('storybook'),
          testTimeout: 60_000,
        },
      },
    ],
  },
});
