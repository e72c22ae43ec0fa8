import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry, hashedContent } from '../../shared/audit/audit-entry';
import { runCli } from '../support/run-cli';

/**
 * The audit trail through the real CLI on a real SQLite file: changes leave entries naming
 * who made them, and `audit verify` names the first entry altered, removed or reordered when
 * rows are changed directly in the database (as someone with the file could).
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-cli-audit-'));
const home = join(root, 'home');
const cli = (args: string[], at = home) =>
  runCli(args, { env: { COMMISSIONER_HOME: at }, cwd: root });

afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  for (const args of [
    ['config', 'set', 'engineer', 'Ana Ruiz'],
    ['deployments', 'watch-interval', '45'],
    ['trust', 'policy', 'set', 'com.example.*', '--level', 'audit'],
    ['deployments', 'watch-interval', '2'], // refused: out of bounds, still recorded
    ['trust', 'policy', 'remove', 'com.example.*'],
  ]) {
    await cli(args);
  }
}, 120_000);

/** A copy of the data home, tampered with by `change` (the triggers dropped first, as an attacker would). */
function tampered(name: string, change: (db: Database.Database) => void): string {
  const copy = join(root, name);
  mkdirSync(copy, { recursive: true, mode: 0o700 });
  const source = new Database(join(home, 'commissioner.db'), { readonly: true });
  source.exec(`VACUUM INTO '${join(copy, 'commissioner.db')}'`);
  source.close();
  copyFileSync(join(home, 'installation.json'), join(copy, 'installation.json'));
  const db = new Database(join(copy, 'commissioner.db'));
  db.exec('DROP TRIGGER audit_trail_no_update; DROP TRIGGER audit_trail_no_delete');
  change(db);
  db.close();
  return copy;
}

describe('audit trail', () => {
  it('records each change with its actor and outcome; config get engineer reads the name back', async () => {
    const got = await cli(['config', 'get', 'engineer']);
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout.trim()).toBe('Ana Ruiz');

    const list = await cli(['audit', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    const entries = AuditEntry.array().parse(JSON.parse(list.stdout));
    expect(entries.map((e) => [e.seq, e.operation, e.outcome.result])).toEqual([
      [1, 'settings.setEngineer', 'ok'],
      [2, 'settings.setWatchInterval', 'ok'],
      [3, 'trust.setPolicy', 'ok'],
      [4, 'settings.setWatchInterval', 'refused'],
      [5, 'trust.removePolicy', 'ok'],
    ]);
    expect(entries[1]?.actor).toMatchObject({ engineer: 'Ana Ruiz', via: 'cli' });
    expect(entries[3]?.outcome).toMatchObject({ error: 'invalid-input' });
    expect(entries[1]?.prev).toBe(entries[0]?.hash);
  });

  it('verify passes on an untouched trail (exit 0)', async () => {
    const verified = await cli(['audit', 'verify']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/intact: 5 entries/);
  });

  it('names an entry altered in the database (exit 1)', async () => {
    const copy = tampered('altered', (db) =>
      db.prepare("UPDATE audit_trail SET target = 'org:evil' WHERE seq = 3").run(),
    );
    const verified = await cli(['audit', 'verify', '--json'], copy);
    expect(verified.code).toBe(1);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      intact: false,
      seq: 3,
      problem: 'altered',
    });
  });

  it('names an entry altered with its hash recomputed, by the break after it (exit 1)', async () => {
    const copy = tampered('rehashed', (db) => {
      const row = db.prepare('SELECT * FROM audit_trail WHERE seq = 2').get() as Record<
        string,
        string
      >;
      const entry = {
        ...row,
        actor: JSON.parse(row.actor as string),
        inputs: { seconds: '3600' },
        outcome: JSON.parse(row.outcome as string),
        digests: JSON.parse(row.digests as string),
      } as unknown as AuditEntry;
      const hash = createHash('sha256').update(hashedContent(entry)).digest('hex');
      db.prepare('UPDATE audit_trail SET inputs = ?, hash = ? WHERE seq = 2').run(
        JSON.stringify(entry.inputs),
        hash,
      );
    });
    const verified = await cli(['audit', 'verify', '--json'], copy);
    expect(verified.code).toBe(1);
    expect(JSON.parse(verified.stdout)).toMatchObject({ seq: 2, problem: 'altered' });
  });

  it('names an entry removed from the database (exit 1)', async () => {
    const copy = tampered('removed', (db) =>
      db.prepare('DELETE FROM audit_trail WHERE seq = 2').run(),
    );
    const verified = await cli(['audit', 'verify'], copy);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(/entry 2 was removed/);
  });

  it('names entries reordered in the database (exit 1)', async () => {
    const copy = tampered('reordered', (db) => {
      db.prepare('UPDATE audit_trail SET seq = -1 WHERE seq = 3').run();
      db.prepare('UPDATE audit_trail SET seq = 3 WHERE seq = 4').run();
      db.prepare('UPDATE audit_trail SET seq = 4 WHERE seq = -1').run();
    });
    const verified = await cli(['audit', 'verify', '--json'], copy);
    expect(verified.code).toBe(1);
    expect(JSON.parse(verified.stdout)).toMatchObject({ seq: 3, problem: 'reordered' });
  });

  it('ordinary writes cannot change history: the table refuses updates and deletes', () => {
    const db = new Database(join(home, 'commissioner.db'));
    try {
      expect(() => db.prepare("UPDATE audit_trail SET target = 'x' WHERE seq = 1").run()).toThrow(
        /append-only/,
      );
      expect(() => db.prepare('DELETE FROM audit_trail').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it('exports the chain as JSON lines that verify elsewhere, and a changed line is named', async () => {
    const file = join(root, 'trail.jsonl');
    const exported = await cli(['audit', 'export', '-o', file]);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(5);

    const elsewhere = join(root, 'empty-home');
    const verified = await cli(['audit', 'verify', '--file', file], elsewhere);
    expect(verified.code, verified.stderr).toBe(0);

    const entry = JSON.parse(lines[3] as string) as AuditEntry;
    lines[3] = JSON.stringify({ ...entry, outcome: { result: 'ok' } });
    writeFileSync(file, `${lines.join('\n')}\n`);
    const broken = await cli(['audit', 'verify', '--file', file, '--json'], elsewhere);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ seq: 4, problem: 'altered' });
  });

  it('lists entries since a time and refuses a time it cannot read (exit 2)', async () => {
    const future = await cli(['audit', 'list', '--since', '2999-01-01', '--json']);
    expect(future.code, future.stderr).toBe(0);
    expect(JSON.parse(future.stdout)).toEqual([]);
    const bad = await cli(['audit', 'list', '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a time/);
  });

  it('refuses an unknown setting (exit 2)', async () => {
    const bad = await cli(['config', 'set', 'colour', 'blue']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no setting named "colour"/);
  });
});
