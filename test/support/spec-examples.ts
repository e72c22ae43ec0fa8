import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it, type TestContext } from 'vitest';

const REPO_ROOT = resolve(new URL('../..', import.meta.url).pathname);

/**
 * The Margo specification's own examples, read where they are at test time: the workplace's
 * `shared/margo-spec` beside the repository (../shared), or above it for clones in a
 * subfolder, or MARGO_SPEC_DIR. They are reference data, not part of this repository, so a
 * clone elsewhere has none: the tests that need them are skipped there, saying why.
 */
export function findSpecDir(): string | undefined {
  if (process.env.MARGO_SPEC_DIR) {
    const dir = resolve(process.env.MARGO_SPEC_DIR);
    return existsSync(join(dir, 'DIGEST.md')) ? dir : undefined;
  }
  for (let dir = dirname(REPO_ROOT); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'margo-spec');
    if (existsSync(join(candidate, 'DIGEST.md'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export const SPEC_DIR = findSpecDir();

/** Why the examples are missing, naming the folders looked at. */
export const SPEC_MISSING = process.env.MARGO_SPEC_DIR
  ? `the Margo spec examples are not in MARGO_SPEC_DIR=${process.env.MARGO_SPEC_DIR} (no DIGEST.md there)`
  : `the Margo spec examples were not found: no shared/margo-spec with a DIGEST.md in ${dirname(REPO_ROOT)} or a folder above it (set MARGO_SPEC_DIR to their folder)`;

/**
 * CI has the examples: there a missing folder is a broken machine, and the tests that need
 * it fail instead of being skipped.
 */
const IN_CI = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());

const warned = new Set<string>();
function warnOnce(what = 'the tests that need the Margo spec examples'): void {
  if (warned.has(what)) return;
  warned.add(what);
  console.warn(`skipped: ${what}, because ${SPEC_MISSING}`);
}

function missingInCi(): never {
  throw new Error(`${SPEC_MISSING}; CI=${process.env.CI}: CI has them, so this fails`);
}

/**
 * The first line of a test that reads the spec examples: without them the test is skipped
 * (the reason printed once per file), or fails under CI. In the body rather than a wrapper
 * around `it`, so marking a test changes one line.
 */
export function needsSpec(context: TestContext): void {
  if (SPEC_DIR) return;
  if (IN_CI) missingInCi();
  warnOnce();
  context.skip(SPEC_MISSING);
}

/**
 * For a check inside a test that also checks other things: false without the examples (the
 * check is left out, `what` printed once per file), an error under CI.
 */
export function hasSpec(what: string): boolean {
  if (SPEC_DIR) return true;
  if (IN_CI) missingInCi();
  warnOnce(what);
  return false;
}

/**
 * `describe` for a suite that reads the spec examples while it is being defined; without
 * them its body is not run at all (it would throw), one skipped test stands for it.
 */
export function describeWithSpec(name: string, body: () => void): void {
  if (SPEC_DIR) return void describe(name, body);
  if (IN_CI) return void describe(name, () => it('finds the Margo spec examples', missingInCi));
  describe(name, () =>
    it('needs the Margo spec examples', (context) => {
      warnOnce();
      context.skip(SPEC_MISSING);
    }),
  );
}

/**
 * A value read from the spec examples, for module-level constants that only tests starting
 * with `needsSpec` use. Without the examples it is a stand-in that throws the reason at first
 * touch, so a test that uses it unmarked fails saying why instead of with a TypeError.
 */
export function whenSpec<T extends object>(read: () => T): T {
  if (SPEC_DIR) return read();
  const fail = () => {
    throw new Error(`${SPEC_MISSING} (start the test with needsSpec)`);
  };
  return new Proxy({} as T, { get: fail, has: fail, ownKeys: fail, apply: fail });
}

/** A path in the examples; without them, where they were expected (tests using it are skipped). */
export function specPath(path: string): string {
  return join(SPEC_DIR ?? join(dirname(REPO_ROOT), 'shared', 'margo-spec'), path);
}

export function specExamples(): { file: string; name: string; expectValid: boolean }[] {
  const specDir = SPEC_DIR;
  if (!specDir) throw new Error(SPEC_MISSING);
  const out: { file: string; name: string; expectValid: boolean }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\/examples\/(valid|invalid)\/[^/]+\.(ya?ml|json)$/.test(path)) {
        out.push({
          file: path,
          name: relative(specDir, path),
          expectValid: path.includes('/valid/'),
        });
      }
    }
  };
  walk(specDir);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
