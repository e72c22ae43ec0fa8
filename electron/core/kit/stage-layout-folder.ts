import { copyFile, lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageIndex } from '../../../shared/oci/descriptors';
import type { StagingArea } from '../store/staging';
import { folderBlobReader } from './blob-reader';
import { KitRefusedError } from './kit-errors';
import type { KitLimits } from './kit-limits';
import { resolveLayout, type ResolvedLayout } from './resolve-layout';
import { parseIndex } from './stage-kit-archive';
import type { StagedLayout } from './staged-layout';

/**
 * Stages an OCI image layout folder (a kit unpacked on a stick): walks it from index.json,
 * then copies only the reachable blobs into staging (a kernel copy, no user-space buffering).
 * The copies, not the originals, are hashed afterwards, so what is kept is what was checked.
 */
export async function stageLayoutFolder(
  root: string,
  staging: StagingArea,
  limits: KitLimits,
  onBytes?: (bytes: number) => void,
): Promise<{ layout: StagedLayout; resolved: ResolvedLayout }> {
  const index = await readLayoutFolderIndex(root, limits);
  const reader = folderBlobReader(root);
  const resolved = await resolveLayout(index, reader, limits.maxJsonBytes);
  const blobs: StagedLayout['blobs'] = new Map();
  for (const [digest, size] of resolved.blobs) {
    if (resolved.embedded.has(digest)) continue;
    const file = staging.file('blob');
    await copyFile(reader.pathOf(digest), file);
    blobs.set(digest, { path: file, size });
    onBytes?.(size);
  }
  return { layout: { index, blobs }, resolved };
}

/** A layout folder's index.json, after its oci-layout marker was checked; both bounded in size. */
export async function readLayoutFolderIndex(root: string, limits: KitLimits): Promise<ImageIndex> {
  const readSmallFile = async (name: string) => {
    const path = join(root, name);
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isFile())
      throw new KitRefusedError(`${name} is missing or not a regular file in ${root}`, name);
    if (info.size > limits.maxJsonBytes)
      throw new KitRefusedError(`${name} is larger than ${limits.maxJsonBytes} bytes`, name);
    return readFile(path);
  };
  return parseIndex(await readSmallFile('index.json'), await readSmallFile('oci-layout'));
}
