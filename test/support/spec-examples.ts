import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const REPO_ROOT = resolve(new URL('../..', import.meta.url).pathname);

/**
 * The Margo specification's own examples, read where they are at test time: the workplace's
 * `shared/margo-spec` beside the repository (../shared), or above it for clones in a
 * subfolder, or MARGO_SPEC_DIR. They are reference data, not part of this repository.
 */
export function findSpecDir(): string {
  if (process.env.MARGO_SPEC_DIR) return resolve(process.env.MARGO_SPEC_DIR);
  for (let dir = dirname(REPO_ROOT); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'margo-spec');
    if (existsSync(join(candidate, 'DIGEST.md'))) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(
    `the Margo spec examples were not found in ../shared/margo-spec (or above ${REPO_ROOT}): set MARGO_SPEC_DIR to their folder`,
  );
}

export const SPEC_DIR = findSpecDir();

export function specExamples(): { file: string; name: string; expectValid: boolean }[] {
  const out: { file: string; name: string; expectValid: boolean }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\/examples\/(valid|invalid)\/[^/]+\.(ya?ml|json)$/.test(path)) {
        out.push({
          file: path,
          name: relative(SPEC_DIR, path),
          expectValid: path.includes('/valid/'),
        });
      }
    }
  };
  walk(SPEC_DIR);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
