import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { BackupHeader, BackupManifest } from '../../../shared/backup/backup-manifest';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { BackupReader, readBackupHeader } from './read-backup';

/** What is where the restore goes: nothing, an empty folder, or a data home to replace. */
export type RestoreTarget = 'absent' | 'empty' | 'replace';

/**
 * Whether a restore may go to `home`: only where nothing is, unless replacing was asked for
 * (and confirmed by whoever asked). Checked before the backup is even opened.
 */
export function restoreTarget(home: string, replace: boolean): RestoreTarget {
  let entries: string[];
  try {
    if (!statSync(home).isDirectory()) {
      throw new CommissionerError(
        'invalid-input',
        `${home} is a file, not a data home: point COMMISSIONER_HOME at a folder`,
        { field: 'home' },
      );
    }
    entries = readdirSync(home);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw e;
  }
  if (entries.length === 0) return 'empty';
  if (replace) return 'replace';
  throw new CommissionerError(
    'refused',
    `the data home ${home} already holds data: restore with --replace (it is kept aside until the restore is complete, then removed), or set COMMISSIONER_HOME to an empty folder`,
    { reasons: ['the data home is not empty'] },
  );
}

export interface StagedRestore {
  /** The folder beside the data home holding the restored data home, complete and checked. */
  dir: string;
  header: BackupHeader;
  manifest: BackupManifest;
  dispose(): void;
}

/**
 * Opens the backup and writes its every file into a new folder beside `home` (same file system:
 * the swap is a rename), each checked against the manifest and fsynced. On any refusal or
 * failure the folder is removed: nothing was written where it counts.
 */
export async function stageBackup(
  file: string,
  passphrase: string,
  home: string,
  name?: string,
): Promise<StagedRestore> {
  const opened = await readBackupHeader(file, true, name);
  const reader = await BackupReader.unlock(opened, passphrase);
  const parent = dirname(home);
  mkdirSync(parent, { recursive: true });
  const dir = join(
    parent,
    `.${basename(home)}.restoring-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  mkdirSync(dir, { mode: 0o700 });
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    const manifest = await reader.manifest();
    const folders = new Set<string>();
    for (const entry of manifest.files) {
      const target = join(dir, ...entry.path.split('/'));
      const folder = dirname(target);
      if (!folders.has(folder)) {
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        folders.add(folder);
      }
      const handle = await open(target, 'wx', 0o600);
      try {
        await reader.copy(entry, async (bytes) => {
          let written = 0;
          while (written < bytes.length) {
            written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
          }
        });
        await handle.chmod(entry.mode);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await reader.end();
    for (const folder of [...folders, dir]) syncFolder(folder);
    return { dir, header: opened.header, manifest, dispose };
  } catch (e) {
    dispose();
    throw e;
  } finally {
    await reader.close();
  }
}

/**
 * Puts the staged data home in place: a rename into an absent or empty place; when replacing,
 * the old home is renamed aside first, put back if the swap fails, and removed once the new
 * one is in place.
 */
export function swapIntoPlace(staged: StagedRestore, home: string, target: RestoreTarget): void {
  const parent = dirname(home);
  if (target === 'absent') {
    renameSync(staged.dir, home);
  } else if (target === 'empty') {
    rmdirSync(home);
    renameSync(staged.dir, home);
  } else {
    const aside = join(
      parent,
      `.${basename(home)}.replaced-${process.pid}-${randomBytes(4).toString('hex')}`,
    );
    renameSync(home, aside);
    try {
      renameSync(staged.dir, home);
    } catch (e) {
      renameSync(aside, home);
      throw e;
    }
    rmSync(aside, { recursive: true, force: true });
  }
  syncFolder(parent);
}

function syncFolder(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems cannot sync a folder; the files in it were synced one by one.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
