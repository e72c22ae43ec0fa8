import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TestContext } from 'vitest';
import {
  describeWithReference,
  hasReference,
  needsReference,
  sharedReference,
  whenReference,
} from './shared-reference';

/**
 * The Margo specification's own examples, read where they are at test time (see
 * `shared-reference.ts`): the workplace's `shared/margo-spec`, or MARGO_SPEC_DIR.
 */
const SPEC = sharedReference({
  folder: 'margo-spec',
  marker: 'DIGEST.md',
  env: 'MARGO_SPEC_DIR',
  what: 'the Margo spec examples',
});

/**
 * The first line of a test that reads the spec examples: without them the test is skipped
 * (the reason printed once), or fails under CI.
 */
export function needsSpec(context: TestContext): void {
  needsReference(SPEC, context);
}

/**
 * For a check inside a test that also checks other things: false without the examples (the
 * check is left out, `what` printed once), an error under CI.
 */
export function hasSpec(what: string): boolean {
  return hasReference(SPEC, what);
}

/**
 * `describe` for a suite that reads the spec examples while it is being defined; without
 * them its body is not run at all (it would throw), one skipped test stands for it.
 */
export function describeWithSpec(name: string, body: () => void): void {
  describeWithReference(SPEC, name, body);
}

/**
 * A value read from the spec examples, for module-level constants that only tests starting
 * with `needsSpec` use; without the examples, a stand-in that throws the reason at first touch.
 */
export function whenSpec<T extends object>(read: () => T): T {
  return whenReference(SPEC, read);
}

/** A path in the examples; without them, where they were expected (tests using it are skipped). */
export function specPath(path: string): string {
  return SPEC.path(path);
}

export function specExamples(): { file: string; name: string; expectValid: boolean }[] {
  const specDir = SPEC.dir;
  if (!specDir) throw new Error(SPEC.missing);
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
