import { readFileSync } from 'node:fs';
import type { TestContext } from 'vitest';
import { needsReference, sharedReference } from './shared-reference';

/**
 * The shared signing test vectors (Notary Project envelopes, certificates, timestamp tokens,
 * Sigstore bundles), read where they are at test time (see `shared-reference.ts`): the
 * workplace's `shared/signing-vectors`, or SIGNING_VECTORS_DIR.
 */
const VECTORS = sharedReference({
  folder: 'signing-vectors',
  marker: 'MANIFEST.md',
  env: 'SIGNING_VECTORS_DIR',
  what: 'the signing vectors',
});

export const VECTORS_DIR = VECTORS.dir;

/**
 * The first line of a test that reads the vectors: without them the test is skipped (the
 * reason printed once), or fails under CI.
 */
export function needsVectors(context: TestContext): void {
  needsReference(VECTORS, context);
}

/** A path in the vectors, as MANIFEST.md writes it (e.g. `notary/trust/ca/e2e.crt`). */
export function vectorPath(path: string): string {
  return VECTORS.path(path);
}

export function readVector(path: string): Buffer {
  return readFileSync(vectorPath(path));
}
