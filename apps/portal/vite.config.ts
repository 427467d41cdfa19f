import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The portals: a static single-page app the service serves at `/`, talking only to its public API.
export default defineConfig({
  root: __dirname,
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: { outDir: resolve(__dirname, '../../dist/portal'), emptyOutDir: true, sourcemap: true },
});
