import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack, type Header } from 'tar-stream';
import { packKit } from '../../electron/core/kit/pack-kit';
import { BASE_DESCRIPTION, edit } from './base-documents';
import { writeDockerSaveArchive, type LayerSpec } from './image-archive-fixture';

export interface PackageFixture {
  packageDir: string;
  composeDir: string;
  imageTar: string;
}

/**
 * A package folder (the base description, an icon and a description file), its compose
 * component folder and a docker-save image archive the compose file names.
 */
export async function makePackageFixture(
  dir: string,
  options: {
    version?: string;
    id?: string;
    tagline?: string;
    imageLayers?: LayerSpec[];
    /** Puts the components (and the image) in this registry instead of registry.example.com. */
    registryHost?: string;
  } = {},
): Promise<PackageFixture> {
  const packageDir = join(dir, 'package');
  await mkdir(join(packageDir, 'resources'), { recursive: true });
  let text = BASE_DESCRIPTION;
  if (options.version) text = edit(text, 'version: 1.2.0', `version: ${options.version}`);
  if (options.id) text = edit(text, 'id: com-example-line-monitor', `id: ${options.id}`);
  if (options.tagline)
    text = edit(text, 'tagline: Watches the line', `tagline: ${options.tagline}`);
  const host = options.registryHost ?? 'registry.example.com';
  text = text.replaceAll('registry.example.com', host);
  await writeFile(join(packageDir, 'margo.yaml'), text);
  await writeFile(join(packageDir, 'resources', 'icon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  await writeFile(
    join(packageDir, 'resources', 'description.md'),
    '# Line Monitor\n\nWatches the **press line** for stoppages.\n',
  );
  const composeDir = join(dir, 'compose');
  await mkdir(join(composeDir, 'conf'), { recursive: true });
  await writeFile(
    join(composeDir, 'compose.yaml'),
    `services:\n  monitor:\n    image: ${host}/monitor:1.2.0\n    env_file: conf/app.env\n`,
  );
  await writeFile(join(composeDir, 'conf', 'app.env'), 'POLL_SECONDS=30\n');
  const imageTar = join(dir, 'monitor-image.tar');
  await writeDockerSaveArchive(imageTar, [
    {
      repoTags: [`${host}/monitor:1.2.0`],
      layers: options.imageLayers ?? [{ files: { 'bin/monitor': '#!/bin/sh\necho watching\n' } }],
    },
  ]);
  return { packageDir, composeDir, imageTar };
}

/** Packs the fixture into a kit (`out` ending in .tar, .tar.gz, or a folder). */
export async function makeKit(fixture: PackageFixture, out: string): Promise<string> {
  await packKit({
    packageDir: fixture.packageDir,
    packageShownAs: 'package',
    components: [{ name: 'monitor', revision: '1.2.0', dir: fixture.composeDir }],
    images: [fixture.imageTar],
    out,
  });
  return out;
}

export interface RawEntry {
  header: Pick<Header, 'name'> & Partial<Header>;
  content?: Buffer | string;
}

/** Writes a tar (or tar.gz) with exactly the headers given, hostile ones included. */
export async function writeRawTar(path: string, entries: RawEntry[], gzip = false): Promise<void> {
  const tar = pack();
  const written = gzip
    ? pipeline(tar, createGzip(), createWriteStream(path))
    : pipeline(tar, createWriteStream(path));
  for (const e of entries) {
    const content =
      e.content === undefined
        ? undefined
        : typeof e.content === 'string'
          ? Buffer.from(e.content)
          : e.content;
    if (content)
      tar.entry({ mode: 0o644, mtime: new Date(0), ...e.header, size: content.length }, content);
    else tar.entry({ mode: 0o644, mtime: new Date(0), ...e.header });
  }
  tar.finalize();
  await written;
}
