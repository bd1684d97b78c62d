import type { StorybookConfig } from '@storybook/react-vite';
import { workspaceAliases } from '../vitest.workspace-aliases.ts';

/** Dependencies of @vigil/react that Vite would otherwise discover lazily. */
export const prebundled = ['@tanstack/react-table', '@tanstack/react-virtual', 'd3-scale', 'd3-shape', 'zustand', 'zustand/vanilla', 'axe-core'];

const config: StorybookConfig = {
  stories: ['../packages/react/src/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  viteFinal: async (viteConfig) => {
    viteConfig.resolve ??= {};
    const existing = viteConfig.resolve.alias;
    const list = Array.isArray(existing) ? existing : Object.entries(existing ?? {}).map(([find, replacement]) => ({ find, replacement: String(replacement) }));
    viteConfig.resolve.alias = [...workspaceAliases, ...list];
    // Pre-bundle these up front: discovering them mid-run makes Vite re-optimise and reload a story.
    viteConfig.optimizeDeps ??= {};
    viteConfig.optimizeDeps.include = [...(viteConfig.optimizeDeps.include ?? []), ...prebundled];
    return viteConfig;
  },
};
export default config;
