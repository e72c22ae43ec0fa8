import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';

const TABLES = [
  'blobs',
  'manifests',
  'manifest_children',
  'refs',
  'applications',
  'package_versions',
  'profiles',
  'components',
  'resources',
  'signatures',
  'artifact_trust',
];

/**
 * Everything an import may change under a data home, except the database file itself and
 * logs: the file tree (paths and sizes) and every catalog row. Two equal snapshots mean
 * "exactly as before".
 */
export function snapshotStore(home: string): { files: string[]; rows: Record<string, unknown[]> } {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = relative(home, path);
      if (/^commissioner\.db(-wal|-shm)?$/.test(rel) || rel.startsWith('logs')) continue;
      const info = statSync(path);
      if (info.isDirectory()) walk(path);
      else files.push(`${rel} ${info.size}`);
    }
  };
  walk(home);
  const db = new Database(join(home, 'commissioner.db'), { readonly: true });
  const rows: Record<string, unknown[]> = {};
  try {
    for (const table of TABLES) {
      rows[table] = db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all();
    }
  } finally {
    db.close();
  }
  return { files, rows };
}
