import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { needsVectors, vectorPath, VECTORS_DIR } from './signing-vectors';

export { needsVectors, VECTORS_DIR };

/** `describe` for a suite that lists the vectors while it is being defined. */
export function describeWithVectors(name: string, body: (dir: string) => void): void {
  const dir = VECTORS_DIR;
  if (dir) return void describe(name, () => body(dir));
  // Without the vectors the suite holds one test that skips (or fails under CI) saying why.
  describe(name, () => it('needs the signing vectors', (context) => needsVectors(context)));
}

/** A path in the Sigstore vectors (tests using it start with needsVectors). */
export function sigstorePath(path: string): string {
  return vectorPath(join('sigstore', path));
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
