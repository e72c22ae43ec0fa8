import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { ImageIndex, OciLayoutFile } from '../../../shared/oci/descriptors';
import type { StagingArea } from '../store/staging';
import { normalizeMemberName, unsafeMemberReason } from './archive-member';
import { readBounded } from './bounded-read';
import { KitRefusedError } from './kit-errors';
import type { KitLimits } from './kit-limits';
import type { StagedLayout } from './staged-layout';
import { writeHashed } from './write-file-from-chunks';

const BLOB_MEMBER = /^blobs\/([a-z0-9]+)\/([0-9a-f]+)$/;

export interface ArchiveProgress {
  /** Bytes of the archive file read so far. */
  bytesRead: number;
  totalBytes: number;
}

/**
 * Streams a kit (`.tar` or `.tar.gz` holding an OCI image layout) into the staging area in one
 * pass, hashing each blob as it is written, checking every member before any of it is kept, and bounding size, expansion ratio
 * and member count so a hostile archive is refused within seconds.
 */
export async function stageKitArchive(
  path: string,
  staging: StagingArea,
  limits: KitLimits,
  onProgress?: (p: ArchiveProgress) => void,
): Promise<StagedLayout> {
  const totalBytes = (await stat(path)).size;
  const gzip = await isGzip(path);
  let compressed = 0;
  let expanded = 0;
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  const countCompressed = new Transform({
    transform(chunk: Buffer, _enc, done) {
      compressed += chunk.length;
      onProgress?.({ bytesRead: compressed, totalBytes });
      done(null, chunk);
    },
  });
  const countExpanded = new Transform({
    transform(chunk: Buffer, _enc, done) {
      expanded += chunk.length;
      if (expanded > limits.maxTotalBytes) {
        return done(
          new KitRefusedError(
            `the kit expands to more than ${limits.maxTotalBytes} bytes: refused as a possible archive bomb`,
          ),
        );
      }
      if (gzip && expanded > limits.ratioGraceBytes && expanded > compressed * limits.maxRatio) {
        return done(
          new KitRefusedError(
            `the kit expands more than ${limits.maxRatio} times its compressed size: refused as a possible archive bomb`,
          ),
        );
      }
      done(null, chunk);
    },
  });
  const tar = extract();
  const streams = gzip
    ? [source, countCompressed, createGunzip(), countExpanded, tar]
    : [source, countCompressed, countExpanded, tar];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pipeline's overloads do not take a spread of streams
  const flowing = (pipeline as (...s: any[]) => Promise<void>)(...streams).catch((e: unknown) => e);

  const blobs: StagedLayout['blobs'] = new Map();
  let indexBytes: Buffer | undefined;
  let layoutBytes: Buffer | undefined;
  let entries = 0;
  let dockerSave = false;
  try {
    for await (const entry of tar) {
      const header = entry.header;
      const unsafe = unsafeMemberReason(header);
      if (unsafe)
        throw new KitRefusedError(`member "${header.name}" is refused: ${unsafe}`, header.name);
      if (++entries > limits.maxEntries)
        throw new KitRefusedError(`the kit has more than ${limits.maxEntries} members`);
      const name = normalizeMemberName(header.name);
      const blob = BLOB_MEMBER.exec(name);
      if (header.type === 'directory') {
        entry.resume();
      } else if (name === 'index.json') {
        indexBytes = await readBounded(entry, limits.maxJsonBytes, 'index.json');
      } else if (name === 'oci-layout') {
        layoutBytes = await readBounded(entry, limits.maxJsonBytes, 'oci-layout');
      } else if (blob) {
        if (blob[1] !== 'sha256' || blob[2]?.length !== 64) {
          throw new KitRefusedError(
            `member "${name}" uses a digest algorithm other than sha256, which Margo requires`,
            name,
          );
        }
        const digest = `sha256:${blob[2]}`;
        const file = staging.file('blob');
        // Hashed as it is written: the hashing stage compares, it does not read the file again.
        const arrived = await writeHashed(entry, file);
        blobs.set(digest, {
          path: file,
          size: header.size ?? 0,
          arrived: { digest: arrived.digest, size: arrived.size },
        });
      } else {
        if (name === 'manifest.json') dockerSave = true;
        entry.resume();
      }
    }
  } catch (e) {
    source.destroy();
    await flowing;
    throw asRefusal(e);
  }
  const failure = await flowing;
  if (failure) throw asRefusal(failure);
  if (!layoutBytes || !indexBytes) {
    throw new KitRefusedError(
      dockerSave && !layoutBytes
        ? 'this is a `docker save` archive, not a kit: make a kit from it with `kit pack <package> --image <archive> -o <kit>`'
        : 'this archive is not an OCI image layout (no oci-layout and index.json at its top level)',
    );
  }
  return { index: parseIndex(indexBytes, layoutBytes), blobs };
}

export function parseIndex(indexBytes: Buffer, layoutBytes: Buffer): StagedLayout['index'] {
  let layout: unknown;
  let index: unknown;
  try {
    layout = JSON.parse(layoutBytes.toString('utf8'));
    index = JSON.parse(indexBytes.toString('utf8'));
  } catch {
    throw new KitRefusedError('oci-layout or index.json is not valid JSON');
  }
  if (!OciLayoutFile.safeParse(layout).success)
    throw new KitRefusedError('oci-layout does not state an imageLayoutVersion');
  const parsed = ImageIndex.safeParse(index);
  if (!parsed.success) {
    throw new KitRefusedError(
      `index.json is not an OCI image index: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

function asRefusal(e: unknown): Error {
  if (e instanceof KitRefusedError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (/incorrect header check|unexpected end|invalid|truncated/i.test(message)) {
    return new KitRefusedError(
      `the kit archive is damaged (${message}): copy it again from the supplier's medium`,
    );
  }
  return e instanceof Error ? e : new Error(message);
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path);
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    return head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}
