import {
  closeSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';

const PREFIX = 'import-';

/**
 * A private folder for one import's files until they are verified and committed. Its name
 * carries the owner's pid, so a later start can tell a crashed import's leftovers (owner
 * gone) from another process's import in progress.
 */
export class StagingArea {
  private counter = 0;

  private constructor(readonly dir: string) {}

  static create(tmpRoot: string): StagingArea {
    mkdirSync(tmpRoot, { recursive: true });
    const area = new StagingArea(mkdtempSync(join(tmpRoot, `${PREFIX}${process.pid}-`)));
    // Durable before any blob moves into the store: a start finding it after a crash is what
    // sends recovery looking for blobs without rows.
    syncFolder(tmpRoot);
    return area;
  }

  private scope: string[] | undefined;

  /** A fresh file path inside the area. */
  file(hint = 'blob'): string {
    const path = join(this.dir, `${hint.replace(/[^\w.-]/g, '_').slice(0, 40)}-${++this.counter}`);
    this.scope?.push(path);
    return path;
  }

  /**
   * Runs one source's work; whatever it staged and did not hand to the store is removed when
   * it ends, so a refused 1 GB kit does not wait for the whole run to give its space back.
   */
  async within<T>(work: () => Promise<T>): Promise<T> {
    const files: string[] = [];
    this.scope = files;
    try {
      return await work();
    } finally {
      this.scope = undefined;
      for (const path of files) rmSync(path, { force: true });
    }
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A marker in tmp/ (named like staging) while a removal deletes blob files after its commit:
 * a crash in between leaves it, and the next start then looks for blobs without rows.
 * Returns the function that takes it away.
 */
export function markBlobRemoval(tmpRoot: string): () => void {
  mkdirSync(tmpRoot, { recursive: true });
  const path = join(tmpRoot, `remove-${process.pid}-${Math.random().toString(36).slice(2)}`);
  closeSync(openSync(path, 'w'));
  syncFolder(tmpRoot);
  return () => rmSync(path, { force: true });
}

function syncFolder(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes what crashed processes left in tmp/ (staging folders and half-written files, all
 * named `<what>-<pid>-…`); entries of processes still running are left alone.
 */
export function removeStaleStaging(tmpRoot: string): number {
  let removed = 0;
  let entries: string[];
  try {
    entries = readdirSync(tmpRoot);
  } catch {
    return 0;
  }
  for (const name of entries) {
    const pid = Number(/^[a-z]+-(\d+)-/.exec(name)?.[1]);
    if (pid === process.pid || (Number.isInteger(pid) && pid > 0 && isAlive(pid))) continue;
    rmSync(join(tmpRoot, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
