import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import '../../../renderer/src/zod-setup';

// Each test renders into a fresh document.
afterEach(() => {
  cleanup();
});
