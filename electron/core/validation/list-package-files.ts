import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PackageFiles } from '../../../shared/validation/checks/package-references';

/** Bounds for walking a package directory: a package is a few files, not a disk. */
export const PACKAGE_WALK_LIMITS = { maxDepth: 8, maxEntries: 10_000 };

/**
 * Lists a package directory as package-relative POSIX paths, without following links (a link
 * is listed as a link, never as the file it points to, so a package cannot reach outside).
 * Synchronous and bounded: a package is a handful of files.
 */
export function listPackageFiles(root: string): PackageFiles & { truncated: boolean } {
  const files = new Set<string>();
  const links = new Set<string>();
  let entries = 0;
  let truncated = false;
  const walk = (dir: string, prefix: string, depth: number): void => {
    if (depth > PACKAGE_WALK_LIMITS.maxDepth) {
      truncated = true;
      return;
    }
    const children = readdirSync(dir, { withFileTypes: true });
    for (const child of children) {
      if (++entries > PACKAGE_WALK_LIMITS.maxEntries) {
        truncated = true;
        return;
      }
      const rel = prefix ? `${prefix}/${child.name}` : child.name;
      if (child.isSymbolicLink()) links.add(rel);
      else if (child.isFile()) files.add(rel);
      else if (child.isDirectory()) walk(join(dir, child.name), rel, depth + 1);
    }
  };
  walk(root, '', 0);
  return { files, links, truncated };
}
