import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    // CLI tests spawn real processes; keep them from competing for the 2 cores.
    testTimeout: 30_000,
    // Two test files at a time (vitest's default on 2 cores is one): the integration files spend
    // most of their time waiting on daemons, registries and servers, and each test file owns
    // its fleet (test/support/docker-fleet.ts locks subnets per process), data homes and ports.
    maxWorkers: 2,
    reporters: ['default'],
    // The projects below inherit these (extends: true); the renderer has its own config.
    globalSetup: ['test/support/cli-bundle-setup.ts'],
    projects: [
      // `npm run test:fast` runs unit and renderer: no root, no daemons, no network.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      // A glob, so a checkout without the renderer's tests still runs; its config names the
      // project after its folder (renderer) unless it sets test.name.
      'test/renderer/vitest.config.{ts,mts}',
      // The real CLI and the app core against real daemons, registries and servers (root).
      { extends: true, test: { name: 'cli', include: ['test/cli/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
    ],
  },
});
