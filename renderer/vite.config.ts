import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { coreProxy, DEFAULT_CORE, devAccessToken } from './dev-proxy.ts';
import { precompress } from './precompress.ts';

const root = fileURLToPath(new URL('./', import.meta.url));
const outDir = fileURLToPath(new URL('../out/renderer', import.meta.url));

/**
 * index.html carries the production CSP. The dev server's React Refresh preamble is an inline
 * module script, so `npm run dev` (serve only) relaxes script-src for it with 'unsafe-inline';
 * builds keep the strict one, and neither ever allows 'unsafe-eval'.
 */
function devServerCsp(): Plugin {
  return {
    name: 'commissioner-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
  };
}

/** The running core, as the URL `npm run serve` printed (with its access token). */
const core = process.env.COMMISSIONER_CORE ?? DEFAULT_CORE;

export default defineConfig({
  root,
  base: './',
  plugins: [react(), devServerCsp(), devAccessToken(core), precompress()],
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
    // `npm run dev`: this UI with hot reload against a running core (`npm run serve`),
    // found at COMMISSIONER_CORE.
    proxy: { '/api': coreProxy(core) },
  },
});
