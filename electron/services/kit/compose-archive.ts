import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { extract, pack } from 'tar-stream';
import { normalizeMemberName, unsafeMemberReason } from './archive-member';

export class ComposeArchiveError extends Error {
  override name = 'ComposeArchiveError';
}

/** Bounds of a compose archive: configuration files, not images. */
const LIMITS = { maxFiles: 2000, maxBytes: 256 * 1024 * 1024 };

/**
 * Packs a compose folder as the spec's compose archive: one top-level folder holding
 * compose.yaml (that exact name) and the files it takes along (env files, configs), no links,
 * no special permission bits. Deterministic (sorted, owner 0, mtime 0) so the same folder
 * always gives the same digest.
 */
export async function packComposeArchive(
  dir: string,
  topName: string,
  outFile: string,
): Promise<void> {
  const files: { rel: string; path: string; size: number; mode: number; dir: boolean }[] = [];
  let total = 0;
  const walk = async (abs: string, rel: string): Promise<void> => {
    for (const name of (await readdir(abs)).sort()) {
      const path = join(abs, name);
      const relPath = rel ? `${rel}/${name}` : name;
      const info = await lstat(path);
      if (info.isSymbolicLink())
        throw new ComposeArchiveError(
          `${relPath} is a symbolic link: compose archives may hold only regular files (copy the file in)`,
        );
      if (info.isDirectory()) {
        files.push({ rel: relPath, path, size: 0, mode: 0o755, dir: true });
        await walk(path, relPath);
      } else if (info.isFile()) {
        total += info.size;
        if (files.length > LIMITS.maxFiles || total > LIMITS.maxBytes) {
          throw new ComposeArchiveError(
            `the compose folder holds more than ${LIMITS.maxFiles} files or ${LIMITS.maxBytes / 1024 ** 2} MiB: images travel separately (--image)`,
          );
        }
        files.push({
          rel: relPath,
          path,
          size: info.size,
          mode: info.mode & 0o111 ? 0o755 : 0o644,
          dir: false,
        });
      } else {
        throw new ComposeArchiveError(`${relPath} is not a regular file or folder`);
      }
    }
  };
  await walk(dir, '');
  if (!files.some((f) => f.rel === 'compose.yaml')) {
    const other = files.find((f) => /^(docker-)?compose\.ya?ml$/.test(f.rel));
    throw new ComposeArchiveError(
      other
        ? `${dir} has ${other.rel} but the spec requires the name compose.yaml: rename it`
        : `${dir} has no compose.yaml at its top level`,
    );
  }
  const tar = pack();
  const written = pipeline(tar, createGzip(), createWriteStream(outFile));
  const header = { mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '' };
  tar.entry({ ...header, name: `${topName}/`, type: 'directory', mode: 0o755 });
  for (const f of files) {
    if (f.dir) {
      tar.entry({ ...header, name: `${topName}/${f.rel}/`, type: 'directory', mode: f.mode });
    } else {
      await pipeline(
        createReadStream(f.path),
        tar.entry({ ...header, name: `${topName}/${f.rel}`, size: f.size, mode: f.mode }),
      );
    }
  }
  tar.finalize();
  await written;
}

/** Why a compose archive breaks the spec's rules, or undefined when it keeps them. */
export async function composeArchiveProblem(
  path: string,
  maxBytes = LIMITS.maxBytes,
): Promise<string | undefined> {
  const tar = extract();
  let expanded = 0;
  const flowing = pipeline(createReadStream(path), createGunzip(), tar).catch((e: unknown) => e);
  const tops = new Set<string>();
  let hasCompose = false;
  let problem: string | undefined;
  for await (const entry of tar) {
    const unsafe = unsafeMemberReason(entry.header);
    const name = normalizeMemberName(entry.header.name);
    expanded += entry.header.size ?? 0;
    if (unsafe) problem ??= `member "${entry.header.name}": ${unsafe}`;
    else if (expanded > maxBytes) problem ??= `it expands to more than ${maxBytes} bytes`;
    const [top, ...rest] = name.split('/');
    if (top) tops.add(top);
    if (rest.length === 1 && rest[0] === 'compose.yaml' && entry.header.type !== 'directory')
      hasCompose = true;
    entry.resume();
    if (problem) break;
  }
  const failure = await flowing;
  if (problem) return problem;
  if (failure)
    return `it is not a valid tar.gz archive (${failure instanceof Error ? failure.message : String(failure)})`;
  if (tops.size !== 1)
    return `it must hold exactly one top-level folder (found ${tops.size === 0 ? 'none' : [...tops].join(', ')})`;
  if (!hasCompose) return `its top-level folder has no compose.yaml`;
  return undefined;
}
