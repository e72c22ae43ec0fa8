import type { Header } from 'tar-stream';

const SPECIAL_BITS = 0o7000; // setuid, setgid, sticky

/**
 * Why an archive member may not be extracted, or undefined when it is safe: only regular files
 * and directories, relative paths that stay inside, no special permission bits. Kits and
 * compose archives are both held to this (the spec's compose archive rules ask the same).
 */
export function unsafeMemberReason(
  header: Pick<Header, 'name'> & Partial<Header>,
): string | undefined {
  const name = header.name;
  const type = header.type ?? 'file';
  if (type !== 'file' && type !== 'directory' && type !== 'contiguous-file') {
    const what: Record<string, string> = {
      symlink: `a symbolic link (to ${header.linkname ?? '?'})`,
      link: `a hard link (to ${header.linkname ?? '?'})`,
      'character-device': 'a device file',
      'block-device': 'a device file',
      fifo: 'a named pipe',
    };
    return `${what[type] ?? `an entry of type ${type}`}: archives may hold only regular files and folders`;
  }
  if (name.includes('\0')) return 'its name contains a NUL byte';
  if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name)) return 'its path is absolute';
  if (name.includes('\\')) return 'its path contains a backslash';
  if (name.split('/').includes('..')) return 'its path climbs out with ".."';
  if (((header.mode ?? 0) & SPECIAL_BITS) !== 0) return 'it has the setuid, setgid or sticky bit';
  return undefined;
}

/** `./blobs/sha256/ab…` and `blobs//sha256/ab…/` → `blobs/sha256/ab…`. */
export function normalizeMemberName(name: string): string {
  return name
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}
