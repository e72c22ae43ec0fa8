import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export class MigrationError extends Error {
  override name = 'MigrationError';
}

interface Migration {
  version: number;
  name: string;
  sql: string;
  sha256: string;
}

function loadMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}-[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file,
        sql,
        sha256: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/**
 * Applies pending migrations, each in its own transaction, recording its sha256. An applied
 * migration whose file changed since is refused: silently diverging schemas are how stores
 * rot. A database newer than this program is refused too.
 */
export function migrate(db: Database.Database): { applied: string[] } {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL
  ) STRICT`);
  const migrations = loadMigrations();
  const applied = new Map(
    (
      db.prepare('SELECT version, name, sha256 FROM schema_migrations').all() as {
        version: number;
        name: string;
        sha256: string;
      }[]
    ).map((r) => [r.version, r]),
  );
  const known = new Set(migrations.map((m) => m.version));
  for (const version of applied.keys()) {
    if (!known.has(version)) {
      throw new MigrationError(
        `the database was written by a newer Commissioner (schema migration ${version} is unknown here): use that version or a newer one`,
      );
    }
  }
  const done: string[] = [];
  for (const m of migrations) {
    const previous = applied.get(m.version);
    if (previous) {
      if (previous.sha256 !== m.sha256) {
        throw new MigrationError(
          `schema migration ${m.name} was changed after it had been applied to this database: restore the original file and add a new migration instead`,
        );
      }
      continue;
    }
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare(
        'INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)',
      ).run(m.version, m.name, m.sha256, new Date().toISOString());
    }).immediate();
    done.push(m.name);
  }
  return { applied: done };
}
