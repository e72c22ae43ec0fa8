import { defineConfig } from 'vitest/config';

/**
 * The renderer's own tests: its logic (values, marks, routes, the wizard's reducer) and its
 * hooks and providers rendered in happy-dom against an in-memory transport. No daemons, no
 * root, no browser: they run in a few seconds.
 */
export default defineConfig({
  root: new URL('../..', import.meta.url).pathname,
  test: {
    name: 'renderer',
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/renderer/**/*.test.{ts,tsx}'],
    environment: 'happy-dom',
    setupFiles: ['test/renderer/support/setup.ts'],
  },
  // The renderer's JSX, as its Vite build compiles it (React's automatic runtime).
  oxc: { jsx: { runtime: 'automatic' } },
});
