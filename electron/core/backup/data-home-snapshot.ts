import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  createReadStream,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join, relative, sep } from 'node:path';
import Database from 'better-sqlite3';
import type { BackupFile, BackupSummary } from '../../../shared/backup/backup-manifest';
import { PlantIdentityFile } from '../identity/identity-file';
import {
  forgetCatalog,
  forgetLayoutIndex,
  snapshotBlobs,
  snapshotSummary,
  snapshotVersions,
} from '../store/backup-snapshot';
import { installationOwner } from '../store/installation';
import type { Store } from '../store/store';

/** A file of the snapshot: where its bytes are read from, and whether they are checked again. */
export interface SnapshotFile extends BackupFile {
  source: string;
}

/**
 * The data home as of one instant, ready to be sealed: the database (SQLite's backup API, so
 * the app may go on writing), installation.json and keys/ copied beside it at the same time
 * (small; a CA rotation midway cannot split them), and with the package store the blobs its
 * catalog records (immutable once stored: read in place). In tmp/, named like staging, so a
 * crash leaves nothing the next start does not remove.
 */
export interface DataHomeSnapshot {
  files: SnapshotFile[];
  summary: BackupSummary;
  /** Without the store: the package versions whose packages were left out. */
  leftOut: string[];
  dispose(): void;
}

export async function snapshotDataHome(
  store: Store,
  withStore: boolean,
): Promise<DataHomeSnapshot> {
  mkdirSync(store.paths.tmp, { recursive: true });
  const dir = mkdtempSync(join(store.paths.tmp, `backup-${process.pid}-`));
  chmodSync(dir, 0o700);
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    const database = join(dir, 'commissioner.db');
    // Large steps: the snapshot restarts when another process writes meanwhile.
    await store.db.backup(database, { progress: () => 4096 });
    chmodSync(database, 0o600);
    const copy = new Database(database);
    let counted: ReturnType<typeof snapshotSummary>;
    let blobs: { digest: string; size: number }[] = [];
    let leftOut: string[] = [];
    try {
      counted = snapshotSummary(copy);
      if (withStore) {
        blobs = snapshotBlobs(copy);
      } else {
        leftOut = snapshotVersions(copy);
        forgetCatalog(copy);
      }
      forgetLayoutIndex(copy);
      // One file, no -wal beside it: the restore opens it in WAL mode again.
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }

    installationOwner(store); // made on first use: a backup always carries the installation id
    copyFileSync(join(store.paths.home, 'installation.json'), join(dir, 'installation.json'));
    copyTree(store.paths.keys, join(dir, 'keys'));

    const files: SnapshotFile[] = [];
    for (const path of ['commissioner.db', 'installation.json', ...treeFiles(join(dir, 'keys'))]) {
      const source = join(dir, ...path.split('/'));
      const stat = statSync(source);
      files.push({
        path,
        source,
        size: stat.size,
        mode: stat.mode & 0o777,
        sha256: await fileSha256(source),
      });
    }
    for (const blob of blobs) {
      const source = store.blobs.pathOf(blob.digest);
      files.push({
        path: `store/blobs/sha256/${blob.digest.slice('sha256:'.length)}`,
        source,
        size: blob.size,
        mode: statSync(source).mode & 0o777,
        sha256: blob.digest.slice('sha256:'.length),
      });
    }
    return {
      files,
      summary: { ...counted, trustDomain: trustDomainIn(join(dir, 'keys')) },
      leftOut,
      dispose,
    };
  } catch (e) {
    dispose();
    throw e;
  }
}

/** Regular files and folders under `from`, with their permission bits; links are not followed. */
function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true, mode: 0o700 });
  let entries: string[];
  try {
    entries = readdirSync(from);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  for (const name of entries) {
    const source = join(from, name);
    const stat = lstatSync(source);
    if (stat.isDirectory()) {
      copyTree(source, join(to, name));
      chmodSync(join(to, name), stat.mode & 0o777);
    } else if (stat.isFile()) {
      copyFileSync(source, join(to, name));
      chmodSync(join(to, name), stat.mode & 0o777);
    }
  }
}

/** Files under `root` as `keys/…` paths, in a stable order. */
function treeFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (lstatSync(path).isDirectory()) walk(path);
      else out.push(`keys/${relative(root, path).split(sep).join('/')}`);
    }
  };
  walk(root);
  return out;
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of createReadStream(path)) hash.update(piece as Buffer);
  return hash.digest('hex');
}

function trustDomainIn(keys: string): string | null {
  try {
    const identity = PlantIdentityFile.safeParse(
      JSON.parse(readFileSync(join(keys, 'margo', 'identity.json'), 'utf8')),
    );
    return identity.success ? identity.data.trustDomain : null;
  } catch {
    return null;
  }
}
