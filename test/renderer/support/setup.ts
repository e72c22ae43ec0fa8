import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import '../../../renderer/src/zod-setup';

// findBy*/waitFor wait for what the screens do in their own time; the 1 s default was too
// short on a loaded 2-core machine (CI next to Docker tests), never wrong when it passed.
configure({ asyncUtilTimeout: 5_000 });

// Each test renders into a fresh document.
afterEach(() => {
  cleanup();
});
