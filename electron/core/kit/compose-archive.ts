import { CommissionerError } from '../../../shared/contract/contract-error';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { extract, pack } from 'tar-stream';
import { normalizeMemberName, unsafeMemberReason } from './archive-member';

/** An archive that breaks the rules (links out, damaged, unsupported): refused, with why. */
export class ComposeArchiveError extends CommissionerError<'refused'> {
  constructor(message: string) {
    super('refused', message, { reasons: [message] });
  }
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
  const walked = await walkComposeArchive(path, { maxBytes });
  return walked.ok ? undefined : walked.problem;
}

export interface ComposeArchiveFiles {
  /** The archive's one top-level folder. */
  top: string;
  /** Its regular files by path relative to the top-level folder (`compose.yaml`, `conf/app.env`). */
  files: Map<string, Buffer>;
  /** Their permission bits as archived (scripts keep their execute bits). */
  modes: Map<string, number>;
  /** sha256 of the archive as read. */
  digest: string;
}

/**
 * Reads a compose archive for deployment: its digest (computed while reading, compared with
 * `expectedDigest` before anything of it is used), the spec's rules, then its files, in
 * memory (configuration files, bounded by `maxBytes`).
 */
export async function extractComposeArchive(
  path: string,
  expectedDigest: string,
  maxBytes = 64 * 1024 * 1024,
): Promise<ComposeArchiveFiles> {
  const files = new Map<string, Buffer>();
  const modes = new Map<string, number>();
  const walked = await walkComposeArchive(path, { maxBytes, collect: files, modes });
  // A damaged copy usually also fails as an archive: say what is really wrong.
  if (walked.digest !== '' && walked.digest !== expectedDigest) {
    throw new ComposeArchiveError(
      `the compose archive ${expectedDigest} in the store hashes to ${walked.digest}: the store is damaged; import the kit again`,
    );
  }
  if (!walked.ok) {
    throw new ComposeArchiveError(`the compose archive breaks the spec's rules: ${walked.problem}`);
  }
  return { top: walked.top, files, modes, digest: walked.digest };
}

type Walked = { digest: string } & ({ ok: true; top: string } | { ok: false; problem: string });

/**
 * One pass over a compose archive: hashes the bytes, checks every member (regular files and
 * folders only, relative paths that stay inside, no setuid/setgid/sticky), counts the
 * expanded size, and checks the layout (one top-level folder holding compose.yaml).
 */
async function walkComposeArchive(
  path: string,
  options: { maxBytes: number; collect?: Map<string, Buffer>; modes?: Map<string, number> },
): Promise<Walked> {
  const hash = createHash('sha256');
  const tar = extract();
  let expanded = 0;
  const source = createReadStream(path);
  source.on('data', (chunk) => hash.update(chunk));
  const flowing = pipeline(source, createGunzip(), tar).catch((e: unknown) => e);
  const tops = new Set<string>();
  let hasCompose = false;
  let problem: string | undefined;
  let broken: unknown;
  try {
    for await (const entry of tar) {
      const unsafe = unsafeMemberReason(entry.header);
      const name = normalizeMemberName(entry.header.name);
      expanded += entry.header.size ?? 0;
      if (unsafe) problem ??= `member "${entry.header.name}": ${unsafe}`;
      else if (expanded > options.maxBytes)
        problem ??= `it expands to more than ${options.maxBytes} bytes`;
      const [top, ...rest] = name.split('/');
      if (top) tops.add(top);
      const isFile = entry.header.type !== 'directory';
      if (rest.length === 1 && rest[0] === 'compose.yaml' && isFile) hasCompose = true;
      if (options.collect && !problem && isFile && rest.length > 0) {
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        options.collect.set(rest.join('/'), Buffer.concat(chunks));
        options.modes?.set(rest.join('/'), (entry.header.mode ?? 0o644) & 0o777);
      } else {
        entry.resume();
      }
      if (problem) break;
    }
  } catch (e) {
    broken = e;
  }
  const failure = (await flowing) ?? broken;
  if (problem) {
    source.destroy();
    return { ok: false, problem, digest: '' };
  }
  // A broken stream stops reading early: the digest is of the whole file, read again.
  const digest = failure ? await fileDigest(path) : `sha256:${hash.digest('hex')}`;
  if (failure)
    return {
      ok: false,
      digest,
      problem: `it is not a valid tar.gz archive (${failure instanceof Error ? failure.message : String(failure)})`,
    };
  if (tops.size !== 1)
    return {
      ok: false,
      digest,
      problem: `it must hold exactly one top-level folder (found ${tops.size === 0 ? 'none' : [...tops].join(', ')})`,
    };
  if (!hasCompose)
    return { ok: false, digest, problem: 'its top-level folder has no compose.yaml' };
  return { ok: true, top: [...tops][0] as string, digest };
}

async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
