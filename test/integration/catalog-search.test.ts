import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSources } from '../../electron/core/import/import-sources';
import { LayoutWriter } from '../../electron/core/kit/layout-writer';
import { writePackageArtifact } from '../../electron/core/kit/package-artifact';
import { catalogRowsPage, searchCatalog } from '../../electron/core/store/catalog-reader';
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

/**
 * index.json lists exactly the refs the catalog records, and its bookkeeping row says it is
 * current through the last of them.
 */
function expectLayoutIndexCurrent(store: Store): void {
  const index = JSON.parse(readFileSync(join(store.paths.store, 'index.json'), 'utf8')) as {
    manifests: { digest: string; annotations: Record<string, string> }[];
  };
  const listed = index.manifests.map(
    (m) => `${m.annotations['org.opencontainers.image.ref.name']} ${m.digest}`,
  );
  const refs = store.db.prepare('SELECT rowid, name, digest FROM refs ORDER BY rowid').all() as {
    rowid: number;
    name: string;
    digest: string;
  }[];
  expect(listed).toEqual(refs.map((r) => `${r.name} ${r.digest}`));
  expect(store.db.prepare('SELECT through, stale FROM layout_index').get()).toEqual({
    through: refs.at(-1)?.rowid ?? 0,
    stale: 0,
  });
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
      // The removed application imported again from the first kit: indexed anew, once.
      const again = await importSources(store, [{ input: 'kit-1', path: join(root, 'kit-1') }]);
      expect(again.imported.flatMap((item) => item.id ?? [])).toEqual(['com-search-7']);
      expect(searchCatalog(store.db, 'for the', { limit: -1 }).entries.map((e) => e.id)).toContain(
        'com-search-7',
      );
      expectSameAsFts(store);
      expectSameAsFts(other);
    } finally {
      other.close();
      store.close();
    }
  }, 120_000);

  it('migrates a store written before the search documents and the layout index (0017, 0018)', async () => {
    // A store as the previous schema left it: catalog_search and the refs only, an index.json
    // written whole and sorted by name, and catalog_search rows re-indexed as that version
    // did on every new version (deleted by app_id, inserted again under a new rowid).
    const copy = join(root, 'migrated');
    const store = openStore(home);
    try {
      store.db.exec(`VACUUM INTO '${join(root, 'migrated.db')}'`);
    } finally {
      store.close();
    }
    const old = new Database(join(root, 'migrated.db'));
    old.exec(`DROP TABLE search_documents; DROP TABLE search_terms;
              DROP TRIGGER refs_deleted_layout_index; DROP TRIGGER refs_updated_layout_index;
              DROP TABLE layout_index;
              DELETE FROM schema_migrations WHERE version IN (17, 18);`);
    const reindex = old.transaction((appId: string) => {
      const row = old.prepare('SELECT * FROM catalog_search WHERE app_id = ?').get(appId) as Record<
        string,
        string
      >;
      old.prepare('DELETE FROM catalog_search WHERE app_id = ?').run(appId);
      old
        .prepare(
          `INSERT INTO catalog_search (app_id, version, tags_json, profiles_json, name, tagline, description, tags, organization)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          row.app_id,
          row.version,
          row.tags_json,
          row.profiles_json,
          row.name,
          row.tagline,
          row.description,
          row.tags,
          row.organization,
        );
    });
    for (const i of [0, 1, 2, 9, 42, 200]) reindex(`com-search-${i}`);
    expect(old.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(16);
    old.close();
    mkdirSync(copy, { recursive: true });
    copyFileSync(join(root, 'migrated.db'), join(copy, 'commissioner.db'));
    cpSync(join(home, 'store'), join(copy, 'store'), { recursive: true });
    const migrated = openStore(copy);
    try {
      expect(migrated.db.prepare('SELECT count(*) FROM search_documents').pluck().get()).toBe(
        migrated.db.prepare('SELECT count(*) FROM catalog_search').pluck().get(),
      );
      expectSameAsFts(migrated);
      const applications = migrated.db
        .prepare('SELECT count(*) FROM applications')
        .pluck()
        .get() as number;
      expect(catalogRowsPage(migrated.db, { limit: 50, offset: 0 }).total).toBe(applications);
      expectLayoutIndexCurrent(migrated);
      // The next import appends to the index.json the migrated store wrote, and is found.
      const more = await writeKit(
        join(root, 'kit-4'),
        Array.from({ length: 5 }, (_, k) => ({ i: COUNT + 100 + k, version: '1.0.0' })),
      );
      expect((await importSources(migrated, [{ input: more, path: more }])).imported).toHaveLength(
        5,
      );
      expectLayoutIndexCurrent(migrated);
      expectSameAsFts(migrated);
    } finally {
      migrated.close();
    }
  }, 120_000);
});
