import { rmSync } from 'node:fs';
import { E2E_STATE_VARIABLE, readE2eState } from './e2e-state';

/** Removes the end-to-end run's data (screenshots stay in test-results/e2e). */
export default async function globalTeardown(): Promise<void> {
  const state = readE2eState();
  rmSync(state.root, { recursive: true, force: true });
  rmSync(process.env[E2E_STATE_VARIABLE] ?? '', { force: true });
}
