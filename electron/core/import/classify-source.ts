import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseOciReference, type OciReference } from '../../../shared/oci/reference';

export type SourceKind =
  | { kind: 'registry'; reference: OciReference }
  | { kind: 'package'; path: string }
  | { kind: 'layout'; path: string }
  | { kind: 'archive'; path: string }
  | { kind: 'folder'; path: string }
  | { kind: 'unreadable'; message: string };

const ARCHIVE_NAME = /\.(tar|tar\.gz|tgz)$/i;
const YAML_NAME = /\.(ya?ml)$/i;

/**
 * Tells what an import source is: a registry reference, a package folder (a description at
 * its root), an OCI layout folder, a kit archive, or any other folder (a USB stick to scan).
 */
export async function classifySource(input: string, path: string): Promise<SourceKind> {
  if (input.startsWith('oci://')) {
    const parsed = parseOciReference(input);
    return parsed.ok
      ? { kind: 'registry', reference: parsed.reference }
      : { kind: 'unreadable', message: parsed.message };
  }
  const info = await lstat(path).catch((e: NodeJS.ErrnoException) => e);
  if (info instanceof Error) {
    return {
      kind: 'unreadable',
      message:
        info.code === 'ENOENT'
          ? `${input} does not exist`
          : `${input} cannot be read: ${info.message}`,
    };
  }
  if (info.isSymbolicLink()) {
    // The engineer named the link: follow it once (links inside sources are never followed).
    if (!(await stat(path).catch(() => undefined)))
      return { kind: 'unreadable', message: `${input} is a link to nothing` };
    return classifySource(input, await realpath(path));
  }
  if (info.isDirectory()) {
    if (await isFile(join(path, 'oci-layout'))) return { kind: 'layout', path };
    if (await holdsDescription(path)) return { kind: 'package', path };
    return { kind: 'folder', path };
  }
  if (info.isFile()) {
    if (ARCHIVE_NAME.test(path) || (await looksLikeTar(path))) return { kind: 'archive', path };
    if (YAML_NAME.test(path)) return { kind: 'package', path: join(path, '..') };
    return {
      kind: 'unreadable',
      message: `${input} is neither a kit (.tar, .tar.gz), a package folder nor a registry reference`,
    };
  }
  return { kind: 'unreadable', message: `${input} is not a file or folder` };
}

async function isFile(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined))?.isFile() ?? false;
}

/** A YAML file at the folder's root that declares, or looks like, an application description. */
export async function holdsDescription(dir: string): Promise<boolean> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => YAML_NAME.test(n))) {
    const path = join(dir, name);
    if (!(await isFile(path))) continue;
    const head = (await readHead(path, 64 * 1024)).toString('utf8');
    if (/^kind:\s*["']?ApplicationDescription/m.test(head) || /^deploymentProfiles:/m.test(head))
      return true;
  }
  return false;
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path);
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function looksLikeTar(path: string): Promise<boolean> {
  const head = await readHead(path, 512);
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  return gzip || (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar');
}
