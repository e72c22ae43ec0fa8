import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { classifySource } from './classify-source';

export interface ScannedSource {
  path: string;
  /** Path relative to the scanned folder, for the report. */
  label: string;
  kind: 'package' | 'layout' | 'archive';
}

/** How far into a stick the scan looks, and how much it reads before giving up. */
export const SCAN_LIMITS = { maxDepth: 4, maxEntries: 20_000 };

const SKIP = new Set([
  'node_modules',
  '.git',
  'System Volume Information',
  '$RECYCLE.BIN',
  '.Trashes',
  '.Spotlight-V100',
]);

/**
 * Finds what a mounted USB stick offers: package folders, OCI layout folders and kit archives,
 * to a bounded depth, without following links and without descending into what it found.
 */
export async function scanFolder(
  root: string,
): Promise<{ found: ScannedSource[]; truncated: boolean }> {
  const found: ScannedSource[] = [];
  let entries = 0;
  let truncated = false;
  const walk = async (dir: string, depth: number): Promise<void> => {
    const children = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const child of children.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (++entries > SCAN_LIMITS.maxEntries) {
        truncated = true;
        return;
      }
      if (child.isSymbolicLink() || child.name.startsWith('.') || SKIP.has(child.name)) continue;
      const path = join(dir, child.name);
      if (!child.isDirectory() && !child.isFile()) continue;
      if (child.isFile() && !/\.(tar|tar\.gz|tgz)$/i.test(child.name)) continue;
      const kind = await classifySource(path, path);
      if (kind.kind === 'package' || kind.kind === 'layout' || kind.kind === 'archive') {
        found.push({ path, label: relative(root, path) || '.', kind: kind.kind });
      } else if (kind.kind === 'folder' && depth < SCAN_LIMITS.maxDepth) {
        await walk(path, depth + 1);
      }
    }
  };
  await walk(root, 1);
  return { found, truncated };
}
