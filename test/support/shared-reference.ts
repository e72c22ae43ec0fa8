import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it, type TestContext } from 'vitest';

const REPO_ROOT = resolve(new URL('../..', import.meta.url).pathname);

// CI has the reference folders: there a missing one is a broken machine, so tests fail.
const IN_CI = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());

/**
 * Third-party reference data the tests read where it is at test time, never copied into the
 * repository: the workplace's `shared/<folder>` beside the repository (../shared), or above
 * it for clones in a subfolder, or the folder an environment variable names. A clone
 * elsewhere has none: the tests that need it are skipped there, saying why (and fail under
 * CI, which has it).
 */
export interface SharedReference {
  /** The folder, or undefined when it was not found. */
  dir: string | undefined;
  /** Why it is missing, naming the folders looked at. */
  missing: string;
  /** What the tests that need it are, in words (for the printed reason). */
  needed: string;
  /** A path inside it (where it was expected, when missing). */
  path(relative: string): string;
}

export function sharedReference(options: {
  /** The folder's name under `shared/`: `margo-spec`. */
  folder: string;
  /** A file that marks the folder as the right one: `DIGEST.md`. */
  marker: string;
  /** The environment variable that names the folder instead: `MARGO_SPEC_DIR`. */
  env: string;
  /** What it holds, in words: `the Margo spec examples`. */
  what: string;
}): SharedReference {
  const { folder, marker, env, what } = options;
  const fromEnv = process.env[env];
  const find = (): string | undefined => {
    if (fromEnv) {
      const dir = resolve(fromEnv);
      return existsSync(join(dir, marker)) ? dir : undefined;
    }
    for (let dir = dirname(REPO_ROOT); ; dir = dirname(dir)) {
      const candidate = join(dir, 'shared', folder);
      if (existsSync(join(candidate, marker))) return candidate;
      if (dirname(dir) === dir) return undefined;
    }
  };
  const dir = find();
  return {
    dir,
    missing: fromEnv
      ? `${what} are not in ${env}=${fromEnv} (no ${marker} there)`
      : `${what} were not found: no shared/${folder} with a ${marker} in ${dirname(REPO_ROOT)} or a folder above it (set ${env} to their folder)`,
    needed: `the tests that need ${what}`,
    path: (relative) => join(dir ?? join(dirname(REPO_ROOT), 'shared', folder), relative),
  };
}

const warned = new Set<string>();
function warnOnce(reference: SharedReference, what: string): void {
  const key = `${reference.missing}\n${what}`;
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(`skipped: ${what}, because ${reference.missing}`);
}

function missingInCi(reference: SharedReference): never {
  throw new Error(`${reference.missing}; CI=${process.env.CI}: CI has them, so this fails`);
}

/**
 * The first line of a test that reads the reference: without it the test is skipped (the
 * reason printed once), or fails under CI. In the body rather than a wrapper around `it`,
 * so marking a test changes one line.
 */
export function needsReference(reference: SharedReference, context: TestContext): void {
  if (reference.dir) return;
  if (IN_CI) missingInCi(reference);
  warnOnce(reference, reference.needed);
  context.skip(reference.missing);
}

/**
 * For a check inside a test that also checks other things: false without the reference
 * (the check is left out, `what` printed once), an error under CI.
 */
export function hasReference(reference: SharedReference, what: string): boolean {
  if (reference.dir) return true;
  if (IN_CI) missingInCi(reference);
  warnOnce(reference, what);
  return false;
}

/**
 * `describe` for a suite that reads the reference while it is being defined; without it its
 * body is not run at all (it would throw), one skipped test stands for it.
 */
export function describeWithReference(
  reference: SharedReference,
  name: string,
  body: () => void,
): void {
  if (reference.dir) return void describe(name, body);
  if (IN_CI)
    return void describe(name, () => it('finds its reference data', () => missingInCi(reference)));
  describe(name, () =>
    it('needs its reference data', (context) => {
      warnOnce(reference, reference.needed);
      context.skip(reference.missing);
    }),
  );
}

/**
 * A value read from the reference, for module-level constants that only tests starting with
 * `needsReference` use. Without it, a stand-in that throws the reason at first touch, so a
 * test that uses it unmarked fails saying why instead of with a TypeError.
 */
export function whenReference<T extends object>(reference: SharedReference, read: () => T): T {
  if (reference.dir) return read();
  const fail = () => {
    throw new Error(`${reference.missing} (start the test with needsReference)`);
  };
  return new Proxy({} as T, { get: fail, has: fail, ownKeys: fail, apply: fail });
}
