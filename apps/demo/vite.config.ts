import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { workspaceAliases } from '../../vitest.workspace-aliases';

/**
 * The demo imports `@vigil/*` from SOURCE (the same aliases the tests use), so `pnpm start` works on a fresh clone
 * without building the packages first.
 */
export default defineConfig({
  plugins: [react()],
  resolve: { alias: workspaceAliases },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1024 },
});
