import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    // The renderer's tests need a DOM: they run under test/renderer/vitest.config.ts.
    exclude: ['test/renderer/**', '**/node_modules/**'],
    // CLI tests spawn real processes; keep them from competing for the 2 cores.
    testTimeout: 30_000,
    reporters: ['default'],
  },
});
