import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pack } from 'tar-stream';

export interface LayerSpec {
  /** Small files by path. */
  files?: Record<string, string | Buffer>;
  /** One large file of pseudo-random bytes, streamed (for size and memory tests). */
  bigFile?: { path: string; bytes: number };
}

export interface ImageSpec {
  repoTags: string[];
  architecture?: string;
  layers: LayerSpec[];
}

/**
 * Writes a `docker save` archive (manifest.json, config, uncompressed layer tars) without a
 * Docker daemon: the test images of this suite are made this way, in the format docker
 * itself writes and `POST /images/load` reads.
 */
export async function writeDockerSaveArchive(out: string, images: ImageSpec[]): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'commissioner-image-'));
  try {
    const members: { name: string; path: string }[] = [];
    const manifest: { Config: string; RepoTags: string[]; Layers: string[] }[] = [];
    let n = 0;
    for (const image of images) {
      const layerNames: string[] = [];
      const diffIds: string[] = [];
      for (const layer of image.layers) {
        const path = join(work, `layer-${++n}.tar`);
        await writeLayer(layer, path);
        const diffId = `sha256:${await sha256File(path)}`;
        diffIds.push(diffId);
        const name = `${diffId.slice(7, 71)}/layer.tar`;
        layerNames.push(name);
        members.push({ name, path });
      }
      const config = JSON.stringify({
        architecture: image.architecture ?? 'amd64',
        os: 'linux',
        config: { Cmd: ['/bin/sh'] },
        rootfs: { type: 'layers', diff_ids: diffIds },
        history: image.layers.map(() => ({ created_by: 'commissioner test fixture' })),
      });
      const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
      const configPath = join(work, configName);
      await writeFile(configPath, config);
      members.push({ name: configName, path: configPath });
      manifest.push({ Config: configName, RepoTags: image.repoTags, Layers: layerNames });
    }
    const manifestPath = join(work, 'manifest.json');
    await writeFile(manifestPath, JSON.stringify(manifest));
    members.push({ name: 'manifest.json', path: manifestPath });
    const tar = pack();
    const written = pipeline(tar, createWriteStream(out));
    for (const m of members) {
      await pipeline(
        createReadStream(m.path),
        tar.entry({ name: m.name, size: statSync(m.path).size, mode: 0o644 }),
      );
    }
    tar.finalize();
    await written;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function writeLayer(layer: LayerSpec, path: string): Promise<void> {
  const tar = pack();
  const written = pipeline(tar, createWriteStream(path));
  for (const [name, content] of Object.entries(layer.files ?? {})) {
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    tar.entry({ name, size: data.length, mode: 0o755, mtime: new Date(0) }, data);
  }
  if (layer.bigFile) {
    const entry = tar.entry({
      name: layer.bigFile.path,
      size: layer.bigFile.bytes,
      mode: 0o644,
      mtime: new Date(0),
    });
    await pipeline(pseudoRandom(layer.bigFile.bytes), entry);
  }
  tar.finalize();
  await written;
}

/** Deterministic, incompressible bytes (AES-CTR keystream), in 1 MiB chunks, never held whole. */
export async function* pseudoRandom(total: number): AsyncGenerator<Buffer> {
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, 7), Buffer.alloc(16, 0));
  const zeros = Buffer.alloc(1 << 20);
  let left = total;
  while (left > 0) {
    const size = Math.min(left, zeros.length);
    left -= size;
    yield cipher.update(zeros.subarray(0, size));
  }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
