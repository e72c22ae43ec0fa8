export type ArchivePath = { ok: true; path: string } | { ok: false; message: string };

/**
 * A path written in compose.yaml for a file of the archive (`./conf/app.env`), normalized to
 * the form `readFile` takes (`conf/app.env`; `.` for the archive's own folder). The archive
 * is all a device gets, so a path that leaves it (`../x`, `/etc/x`, `~/x`) is refused:
 * it would name a file on the engineer's laptop, which never reaches the device.
 */
export function archivePath(written: string): ArchivePath {
  if (written.trim() === '') return { ok: false, message: 'the path is empty' };
  if (written.startsWith('/') || /^[A-Za-z]:[\\/]/.test(written) || written.startsWith('\\')) {
    return {
      ok: false,
      message: `"${written}" is an absolute path: files must come with the application, written relative to compose.yaml (./conf/app.env)`,
    };
  }
  if (written === '~' || written.startsWith('~/')) {
    return {
      ok: false,
      message: `"${written}" names a home folder: files must come with the application, written relative to compose.yaml (./conf/app.env)`,
    };
  }
  const parts: string[] = [];
  for (const part of written.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) {
        return {
          ok: false,
          message: `"${written}" leads out of the application's folder: only files inside it reach the device`,
        };
      }
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return { ok: true, path: parts.length === 0 ? '.' : parts.join('/') };
}

/** Display name of another archive file, beside compose.yaml's (`app@1.0/compose.yaml` → `app@1.0/conf/x.env`). */
export function siblingFile(composeFile: string, relativePath: string): string {
  const slash = composeFile.lastIndexOf('/');
  return slash < 0 ? relativePath : `${composeFile.slice(0, slash + 1)}${relativePath}`;
}
