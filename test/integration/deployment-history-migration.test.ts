import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/store/migrate';

/**
 * The deployment-histories migration on a database written before it (issue 16): removals
 * recorded in the timeline end the histories they ended, the last revision before each is
 * marked `removed`, and a known-good revision from before a removal is forgotten.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-history-migration-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const MIGRATIONS = new URL('../../electron/core/store/migrations/', import.meta.url);

/** A database as the version before the histories left it: every earlier migration applied. */
function databaseBeforeHistories(): Database.Database {
  const db = new Database(join(root, 'before.db'));
  db.pragma('foreign_keys = ON');
  db.exec(`CREATE TABLE schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL
  ) STRICT`);
  const files = readdirSync(MIGRATIONS)
    .filter((f) => /^\d{4}-[\w-]+\.sql$/.test(f))
    .sort();
  for (const file of files) {
    if (file.includes('deployment-histories')) break;
    const sql = readFileSync(new URL(file, MIGRATIONS), 'utf8');
    db.exec(sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?, ?)').run(
      Number(file.slice(0, 4)),
      file,
      createHash('sha256').update(sql).digest('hex'),
      'then',
    );
  }
  return db;
}

describe('the deployment-histories migration', () => {
  it('reads past removals from the timeline', () => {
    const db = databaseBeforeHistories();
    try {
      const deployment = db.prepare(
        `INSERT INTO deployments (id, app_id, device, profile_id, version, revision, known_good, state, error, created_at, updated_at)
         VALUES (?, 'app', ?, 'p', '1.0', ?, ?, ?, NULL, 't', 't')`,
      );
      const revision = db.prepare(
        `INSERT INTO deployment_revisions (deployment_id, revision, version, profile_id, deployment, digest, rendered, outcome, error, created_at)
         VALUES (?, ?, '1.0', 'p', 'yaml', 'sha256:x', '{}', ?, NULL, 't')`,
      );
      const event = db.prepare(
        `INSERT INTO deployment_events (deployment_id, revision, at, level, component, code, message)
         VALUES (?, ?, 't', 'info', ?, NULL, ?)`,
      );
      // Removed at revision 2, deployed again (3 failed): known-good still pointed at 2.
      deployment.run('again', 'press-1', 3, 2, 'failed');
      revision.run('again', 1, 'superseded');
      revision.run('again', 2, 'superseded');
      revision.run('again', 3, 'failed');
      event.run('again', 2, 'web', 'removed web: 2 containers, 1 networks');
      // Removed and not deployed since.
      deployment.run('gone', 'press-2', 1, 1, 'removed');
      revision.run('gone', 1, 'installed');
      // Never removed; an event that merely starts with the word changes nothing.
      deployment.run('kept', 'press-3', 2, 2, 'installed');
      revision.run('kept', 1, 'superseded');
      revision.run('kept', 2, 'installed');
      event.run('kept', 1, null, 'removed component old (no longer in the profile)');

      expect(migrate(db).applied[0]).toMatch(/deployment-histories/);

      const revisions = (id: string) =>
        db
          .prepare(
            'SELECT revision, history, outcome FROM deployment_revisions WHERE deployment_id = ? ORDER BY revision',
          )
          .raw()
          .all(id);
      const record = (id: string) =>
        db.prepare('SELECT history, known_good AS knownGood FROM deployments WHERE id = ?').get(id);
      expect(revisions('again')).toEqual([
        [1, 1, 'superseded'],
        [2, 1, 'removed'],
        [3, 2, 'failed'],
      ]);
      expect(record('again')).toEqual({ history: 2, knownGood: null });
      expect(revisions('gone')).toEqual([[1, 1, 'removed']]);
      expect(record('gone')).toEqual({ history: 2, knownGood: null });
      expect(revisions('kept')).toEqual([
        [1, 1, 'superseded'],
        [2, 1, 'installed'],
      ]);
      expect(record('kept')).toEqual({ history: 1, knownGood: 2 });
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });
});
