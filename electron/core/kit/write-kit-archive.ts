import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';

/**
 * Writes an OCI layout folder as a kit archive (`.tar`, or `.tar.gz` when `gzip`): oci-layout
 * and index.json first, so a reader learns early what it holds, then the blobs in digest
 * order. Owner 0 and mtime 0 everywhere: the same layout gives the same archive bytes.
 */
export async function writeKitArchive(
  layoutDir: string,
  outFile: string,
  gzip: boolean,
  onBytes?: (n: number) => void,
): Promise<void> {
  const tar = pack();
  const written = gzip
    ? pipeline(tar, createGzip({ level: 6 }), createWriteStream(outFile))
    : pipeline(tar, createWriteStream(outFile));
  const header = { mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '', mode: 0o644 };
  const addFile = async (name: string, path: string) => {
    const { size } = await stat(path);
    const entry = tar.entry({ ...header, name, size });
    await pipeline(
      createReadStream(path, { highWaterMark: 1 << 20 }).on('data', (c: Buffer | string) =>
        onBytes?.(c.length),
      ),
      entry,
    );
  };
  await addFile('oci-layout', join(layoutDir, 'oci-layout'));
  await addFile('index.json', join(layoutDir, 'index.json'));
  tar.entry({ ...header, name: 'blobs/', type: 'directory', mode: 0o755 });
  tar.entry({ ...header, name: 'blobs/sha256/', type: 'directory', mode: 0o755 });
  const blobs = (await readdir(join(layoutDir, 'blobs', 'sha256')))
    .filter((n) => /^[0-9a-f]{64}$/.test(n))
    .sort();
  for (const hex of blobs)
    await addFile(`blobs/sha256/${hex}`, join(layoutDir, 'blobs', 'sha256', hex));
  tar.finalize();
  await written;
}
