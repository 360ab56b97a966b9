import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/**
 * The storefront's build: static files into dist/web, which the storefront's
 * server (apps/web/src/main.ts) serves. Vite compiles TSX with its built-in
 * transform (React's automatic JSX runtime); no plugin is needed for a build.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: here('../../../dist/web'), emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
});
