import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The portals: a static single-page app the service serves at `/`, talking only to its public API.
export default defineConfig({
  root: __dirname,
  base: '/',
  esbuild: { jsx: 'automatic' },
  // The libs' browser-safe parts the portal shares (as tsconfig.json's paths name them).
  resolve: {
    alias: {
      '@poc/api-client': resolve(__dirname, '../../libs/api-client/src'),
      '@poc/provider-view': resolve(__dirname, '../../libs/access/src/provider-device.view.ts'),
    },
  },
  build: { outDir: resolve(__dirname, '../../dist/portal'), emptyOutDir: true, sourcemap: true },
});
