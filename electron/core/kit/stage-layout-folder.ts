import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageIndex } from '../../../shared/oci/descriptors';
import type { StagingArea } from '../store/staging';
import { folderBlobReader } from './blob-reader';
import { KitRefusedError } from './kit-errors';
import type { KitLimits } from './kit-limits';
import { resolveLayout, type ResolvedLayout } from './resolve-layout';
import { parseIndex } from './stage-kit-archive';
import type { StagedLayout } from './staged-layout';
import { copyHashed } from './write-file-from-chunks';
import { inParallel } from '../deployments/in-parallel';

/** Blobs copied at once: small ones cost a file creation each, which the disk can overlap. */
const COPY_CONCURRENCY = 8;

/**
 * Stages an OCI image layout folder (a kit unpacked on a stick): walks it from index.json,
 * then copies only the reachable blobs into staging, hashing each buffer as it is written
 * (one pass over the data). The hash is of the bytes written, not of the original read again,
 * so what is kept is what was checked.
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
  const toCopy = [...resolved.blobs].filter(([digest]) => !resolved.embedded.has(digest));
  // Staging paths in the layout's order, whatever order the copies finish in.
  const files = toCopy.map(() => staging.file('blob'));
  // After a failure the lanes take nothing new, and the error is thrown once the copies under
  // way have ended: none of them writes into staging after its clean-up.
  let failure: { error: unknown } | undefined;
  const arrived = await inParallel(
    toCopy.map(([digest, size], i) => ({
      source: reader.pathOf(digest),
      target: files[i] as string,
      size,
    })),
    async ({ source, target, size }) => {
      if (failure) return undefined;
      try {
        return await copyHashed(source, target, onBytes, size);
      } catch (error) {
        failure ??= { error };
        return undefined;
      }
    },
    COPY_CONCURRENCY,
  );
  if (failure) throw failure.error;
  toCopy.forEach(([digest, size], i) => {
    const { digest: hashed, size: written } = arrived[i] as { digest: string; size: number };
    blobs.set(digest, {
      path: files[i] as string,
      size,
      arrived: { digest: hashed, size: written },
    });
  });
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
