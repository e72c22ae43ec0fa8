import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it, type TestContext } from 'vitest';

const REPO_ROOT = resolve(new URL('../..', import.meta.url).pathname);

/**
 * The shared signing test vectors (real third-party bundles with their expected verdicts),
 * read where they are: `shared/signing-vectors` beside the repository (../shared) or above
 * it, or SIGNING_VECTORS_DIR. They are reference data, not part of this repository: without
 * them the tests that need them are skipped saying why, and fail under CI, which has them.
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

const MISSING = process.env.SIGNING_VECTORS_DIR
  ? `the signing vectors are not in SIGNING_VECTORS_DIR=${process.env.SIGNING_VECTORS_DIR} (no MANIFEST.md there)`
  : `the signing vectors were not found: no shared/signing-vectors with a MANIFEST.md in ${dirname(REPO_ROOT)} or a folder above it (set SIGNING_VECTORS_DIR to their folder)`;

const IN_CI = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());

function missingInCi(): never {
  throw new Error(`${MISSING}; CI=${process.env.CI}: CI has them, so this fails`);
}

let warned = false;
function skipWithReason(context: TestContext): void {
  if (!warned) console.warn(`skipped: the tests that need the signing vectors, because ${MISSING}`);
  warned = true;
  context.skip(MISSING);
}

/** The first line of a test that reads the vectors. */
export function needsVectors(context: TestContext): void {
  if (VECTORS_DIR) return;
  if (IN_CI) missingInCi();
  skipWithReason(context);
}

/** `describe` for a suite that lists the vectors while it is being defined. */
export function describeWithVectors(name: string, body: (dir: string) => void): void {
  const dir = VECTORS_DIR;
  if (dir) return void describe(name, () => body(dir));
  if (IN_CI) return void describe(name, () => it('finds the signing vectors', missingInCi));
  describe(name, () => it('needs the signing vectors', (context) => skipWithReason(context)));
}

/** A path in the Sigstore vectors (tests using it start with needsVectors). */
export function sigstorePath(path: string): string {
  return join(
    VECTORS_DIR ?? join(dirname(REPO_ROOT), 'shared', 'signing-vectors'),
    'sigstore',
    path,
  );
}

export const CONFORMANCE_IDENTITY =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
export const CONFORMANCE_ISSUER = 'https://token.actions.githubusercontent.com';
export const PUBLIC_GOOD_ROOT = 'trusted-roots/public-good.trusted_root.json';

/**
 * One sigstore-conformance `bundle-verify` case with the suite's defaults filled in (MANIFEST
 * section B): its own artifact, trusted root, identity and issuer files, else a.txt, the
 * public-good root and the beacon identity; managed-key cases use key.pub and no identity.
 */
export interface ConformanceCase {
  name: string;
  dir: string;
  expectValid: boolean;
  bundle: string;
  artifact: string;
  trustedRoot: string;
  key?: string;
  identity?: string;
  issuer?: string;
}

export function conformanceCases(vectorsDir: string): ConformanceCase[] {
  const root = join(vectorsDir, 'sigstore', 'conformance');
  const optional = (dir: string, file: string) =>
    existsSync(join(dir, file)) ? join(dir, file) : undefined;
  const text = (path: string | undefined) =>
    path === undefined ? undefined : readFileSync(path, 'utf8').trim();
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = join(root, name);
      const managedKey = name.startsWith('managed-key');
      const key = optional(dir, 'key.pub');
      return {
        name,
        dir,
        expectValid: !name.endsWith('_fail'),
        bundle: join(dir, 'bundle.sigstore.json'),
        artifact: optional(dir, 'artifact') ?? join(root, 'a.txt'),
        trustedRoot:
          optional(dir, 'trusted_root.json') ?? join(vectorsDir, 'sigstore', PUBLIC_GOOD_ROOT),
        ...(key ? { key } : {}),
        ...(managedKey
          ? {}
          : {
              identity: text(optional(dir, 'identity')) ?? CONFORMANCE_IDENTITY,
              issuer: text(optional(dir, 'issuer')) ?? CONFORMANCE_ISSUER,
            }),
      };
    });
}
