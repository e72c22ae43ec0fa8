import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSources } from '../../electron/core/import/import-sources';
import { LayoutWriter } from '../../electron/core/kit/layout-writer';
import { writePackageArtifact } from '../../electron/core/kit/package-artifact';
import { searchCatalog } from '../../electron/core/store/catalog-reader';
import { removeApplication } from '../../electron/core/store/catalog-remove';
import { toFtsQuery } from '../../electron/core/store/search-query';
import { openStore, type Store } from '../../electron/core/store/store';
import type { ApplicationDescription } from '../../shared/margo/application-description';
import { validateDocumentText } from '../../shared/validation/validate-document';
import { BASE_DESCRIPTION, edit } from '../support/base-documents';

/**
 * The search index ranks in memory what FTS5 would rank: these tests hold it to FTS5 itself
 * (MATCH with bm25 and the same weights, then the name), on a catalog with accents, other
 * scripts, numbers, equal scores, several versions, removals and a second process.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-catalog-search-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const WORDS = [
  'press',
  'Presse',
  'Höyer',
  'Øresund',
  'Straße',
  'café',
  'CAFE',
  'línea',
  'モニター',
  'gateway',
  'gate',
  'opc-ua',
  'Modbus',
  'robot',
  'weld',
  'x42',
  '4200',
  '42',
  'ŁÓDŹ',
  'ﬁle',
  'energy',
  'meter',
  'the',
  'for',
];
const ORGS = [
  'Northstar Industrial',
  'ACME Automation',
  'Société Générale d’Automatique',
  'Fieldbus GmbH',
];

function pick(i: number, k: number): string {
  return WORDS[(i * 7 + k * 11 + ((i * k) % 5)) % WORDS.length] as string;
}

function description(i: number, version: string): { yaml: string; text: string } {
  const name = i % 9 === 0 ? 'Line Monitor' : `${pick(i, 1)} ${pick(i, 2)} ${i % 4 === 0 ? '' : i}`;
  const tagline = `${pick(i, 3)} ${pick(i, 4)} for the ${pick(i, 5)}`;
  const tags = i % 3 === 0 ? `\n      tags: [${pick(i, 6)}, ${pick(i, 7)}]` : '';
  let yaml = edit(BASE_DESCRIPTION, 'id: com-example-line-monitor', `id: com-search-${i}`);
  yaml = edit(yaml, 'name: Line Monitor', `name: "${name.trim()}"`);
  yaml = edit(yaml, 'version: 1.2.0', `version: ${version}`);
  yaml = edit(yaml, 'tagline: Watches the line', `tagline: "${tagline}"${tags}`);
  yaml = edit(yaml, '- name: Example Industrial', `- name: "${ORGS[i % ORGS.length]}"`);
  const text =
    i % 5 === 0
      ? ''
      : `# ${pick(i, 8)}\n\nRuns on the ${pick(i, 9)} and the ${pick(i, 10)} ${pick(i, 1)}.\n`;
  return { yaml, text };
}

async function writeKit(out: string, items: { i: number; version: string }[]): Promise<string> {
  const writer = await LayoutWriter.create(out);
  for (const { i, version } of items) {
    const dir = join(`${out}-src`, `pkg-${i}-${version}`);
    mkdirSync(join(dir, 'resources'), { recursive: true });
    const { yaml, text } = description(i, version);
    writeFileSync(join(dir, 'margo.yaml'), yaml);
    writeFileSync(join(dir, 'resources', 'icon.png'), `icon ${i}`);
    writeFileSync(join(dir, 'resources', 'description.md'), text);
    const validated = validateDocumentText(yaml, { file: 'margo.yaml' });
    expect(validated.valid, JSON.stringify(validated.diagnostics)).toBe(true);
    await writePackageArtifact(
      dir,
      'margo.yaml',
      validated.value as ApplicationDescription,
      new Set(['resources/icon.png', 'resources/description.md']),
      writer,
    );
  }
  await writer.finish();
  return out;
}

const QUERIES = [
  'p',
  'pr',
  'press',
  'PRESSE',
  'hoyer',
  'Höy',
  'øre',
  'ore',
  'strasse',
  'straß',
  'cafe',
  'café line',
  'lin',
  'モニ',
  'gate',
  'gateway modbus',
  'opc ua',
  'x4',
  '42',
  '420',
  'lodz',
  'łódź',
  'file',
  'the',
  'for the',
  'line monitor',
  'north auto',
  'société',
  'energy meter robot',
  'zz-nothing',
  'press press',
  'e',
];

/** FTS5's answer: MATCH, bm25 with the catalog's weights, then the name; and the count. */
function ftsAnswer(store: Store, search: string, limit: number, offset: number) {
  const fts = toFtsQuery(search) as string;
  const rows = store.db
    .prepare(
      `SELECT app_id AS id, version FROM catalog_search WHERE catalog_search MATCH ?
        ORDER BY bm25(catalog_search, 0, 0, 0, 0, 10, 5, 1, 3, 3), name, rowid LIMIT ? OFFSET ?`,
    )
    .all(fts, limit, offset) as { id: string; version: string }[];
  const total = store.db
    .prepare('SELECT count(*) FROM catalog_search WHERE catalog_search MATCH ?')
    .pluck()
    .get(fts) as number;
  return { total, entries: rows.map((r) => `${r.id}@${r.version}`) };
}

function indexAnswer(store: Store, search: string, limit: number, offset: number) {
  const page = searchCatalog(store.db, search, { limit, offset });
  return { total: page.total, entries: page.entries.map((e) => `${e.id}@${e.version}`) };
}

function expectSameAsFts(store: Store): void {
  for (const q of QUERIES) {
    for (const [limit, offset] of [
      [50, 0],
      [7, 3],
      [-1, 0],
    ] as const) {
      const expected = ftsAnswer(store, q, limit, offset);
      expect(
        indexAnswer(store, q, limit, offset),
        `${q} (limit ${limit}, offset ${offset})`,
      ).toEqual(expected);
    }
  }
}

const COUNT = 240;
let home: string;

beforeAll(async () => {
  home = join(root, 'home');
  const kit = await writeKit(
    join(root, 'kit-1'),
    Array.from({ length: COUNT }, (_, i) => ({ i, version: '1.0.0' })),
  );
  const store = openStore(home);
  try {
    const report = await importSources(store, [{ input: kit, path: kit }]);
    expect(report.imported).toHaveLength(COUNT);
  } finally {
    store.close();
  }
}, 120_000);

describe('catalog search ranks as FTS5 does', () => {
  it('gives FTS5’s matches, order and count on an imported catalog', () => {
    const store = openStore(home);
    try {
      expect(searchCatalog(store.db, 'press').total).toBeGreaterThan(20);
      expect(searchCatalog(store.db, 'hoyer').total).toBeGreaterThan(0);
      expect(searchCatalog(store.db, 'モニ').total).toBeGreaterThan(0);
      expectSameAsFts(store);
    } finally {
      store.close();
    }
  });

  it('stays the same as FTS5 after newer versions, removals, and another process’s import', async () => {
    const store = openStore(home);
    const other = openStore(home);
    try {
      expectSameAsFts(other); // loaded before the changes below
      const newer = await writeKit(
        join(root, 'kit-2'),
        [3, 4, 5, 18, 27, 100].map((i) => ({ i, version: '2.0.0' })),
      );
      await importSources(store, [{ input: newer, path: newer }]);
      expect(removeApplication(store, 'com-search-7')).toEqual(['1.0.0']);
      expect(removeApplication(store, 'com-search-100', '2.0.0')).toEqual(['2.0.0']);
      expectSameAsFts(store);
      expectSameAsFts(other); // another connection: it sees the changes through data_version
      const more = await writeKit(
        join(root, 'kit-3'),
        Array.from({ length: 30 }, (_, k) => ({ i: COUNT + k, version: '1.0.0' })),
      );
      await importSources(other, [{ input: more, path: more }]);
      expectSameAsFts(store);
      expectSameAsFts(other);
    } finally {
      other.close();
      store.close();
    }
  }, 120_000);

  it('loads a store whose search documents the migration wrote from FTS5’s own index', () => {
    // A store as an earlier version left it: catalog_search only. The migration derives the
    // search documents from FTS5's index, and the ranking is FTS5's again.
    const copy = join(root, 'migrated');
    const store = openStore(home);
    try {
      store.db.exec(`VACUUM INTO '${join(root, 'migrated.db')}'`);
    } finally {
      store.close();
    }
    const old = new Database(join(root, 'migrated.db'));
    old.exec(`DROP TABLE search_documents; DROP TABLE search_terms;
              DELETE FROM schema_migrations WHERE version = 17;`);
    old.close();
    mkdirSync(copy, { recursive: true });
    copyFileSync(join(root, 'migrated.db'), join(copy, 'commissioner.db'));
    const migrated = openStore(copy);
    try {
      expect(migrated.db.prepare('SELECT count(*) FROM search_documents').pluck().get()).toBe(
        migrated.db.prepare('SELECT count(*) FROM catalog_search').pluck().get(),
      );
      expectSameAsFts(migrated);
    } finally {
      migrated.close();
    }
  });
});
