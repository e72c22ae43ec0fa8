import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { TestContext } from 'vitest';

const REPO_ROOT = resolve(new URL('../..', import.meta.url).pathname);

/**
 * The shared signing test vectors (Notary Project envelopes, certificates, timestamp tokens,
 * Sigstore bundles), read where they are at test time: the workplace's `shared/signing-vectors`
 * beside the repository (../shared), or above it for clones in a subfolder, or
 * SIGNING_VECTORS_DIR. Third-party reference data, never copied into the repository: a clone
 * elsewhere has none, and the tests that need them are skipped there, saying why.
 */
function findVectorsDir(): string | undefined {
  if (process.env.SIGNING_VECTORS_DIR) {
    const dir = resolve(process.env.SIGNING_VECTORS_DIR);
    return existsSync(join(dir, 'MANIFEST.md')) ? dir : undefined;
  }
  for (let dir = dirname(REPO_ROOT); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'signing-vectors');
    if (existsSync(join(candidate, 'MANIFEST.md'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export const VECTORS_DIR = findVectorsDir();

const VECTORS_MISSING = process.env.SIGNING_VECTORS_DIR
  ? `the signing vectors are not in SIGNING_VECTORS_DIR=${process.env.SIGNING_VECTORS_DIR} (no MANIFEST.md there)`
  : `the signing vectors were not found: no shared/signing-vectors with a MANIFEST.md in ${dirname(REPO_ROOT)} or a folder above it (set SIGNING_VECTORS_DIR to their folder)`;

// CI has the vectors: there a missing folder is a broken machine, so the tests fail instead.
const IN_CI = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());

let warned = false;

/**
 * The first line of a test that reads the vectors: without them the test is skipped (the
 * reason printed once), or fails under CI.
 */
export function needsVectors(context: TestContext): void {
  if (VECTORS_DIR) return;
  if (IN_CI)
    throw new Error(`${VECTORS_MISSING}; CI=${process.env.CI}: CI has them, so this fails`);
  if (!warned)
    console.warn(`skipped: the tests that need the signing vectors, because ${VECTORS_MISSING}`);
  warned = true;
  context.skip(VECTORS_MISSING);
}

/** A path in the vectors, as MANIFEST.md writes it (e.g. `notary/trust/ca/e2e.crt`). */
export function vectorPath(path: string): string {
  return join(VECTORS_DIR ?? join(dirname(REPO_ROOT), 'shared', 'signing-vectors'), path);
}

export function readVector(path: string): Buffer {
  return readFileSync(vectorPath(path));
}
