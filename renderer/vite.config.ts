import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('./', import.meta.url));
const outDir = fileURLToPath(new URL('../out/renderer', import.meta.url));

/**
 * index.html carries the production CSP. The dev server's React Refresh preamble is an inline
 * module script, so `vite` (serve only) relaxes script-src for it; builds keep the strict one.
 */
function devServerCsp(): Plugin {
  return {
    name: 'commissioner-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), devServerCsp()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // Inlined assets would be fine under the CSP (data: fonts and images), but separate files
    // keep index.js smaller and cacheable.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2048,
  },
  server: {
    // `npx vite --config renderer/vite.config.ts` against a running browser host.
    proxy: {
      '/api': {
        target: process.env.COMMISSIONER_HOST_URL ?? 'http://127.0.0.1:5299',
        ws: true,
      },
    },
  },
});
