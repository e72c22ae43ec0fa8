import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSources } from '../../electron/core/import/import-sources';
import {
  listCatalog,
  searchCatalog,
  showApplication,
} from '../../electron/core/store/catalog-reader';
import { removeApplication } from '../../electron/core/store/catalog-remove';
import { openStore, writeStoreIndex, type Store } from '../../electron/core/store/store';
import { catalogPage } from '../../electron/core/use-cases/browse-catalog';
import { edit, BASE_DESCRIPTION } from '../support/base-documents';
import { makeKit, makePackageFixture, type PackageFixture } from '../support/kit-fixture';
import { snapshotStore } from '../support/store-snapshot';

const root = mkdtempSync(join(tmpdir(), 'commissioner-import-'));
let fixture: PackageFixture;
let kitTar: string;
let kitGz: string;
let kitDir: string;

beforeAll(async () => {
  fixture = await makePackageFixture(join(root, 'fixture'));
  kitTar = await makeKit(fixture, join(root, 'line-monitor.tar'));
  kitGz = await makeKit(fixture, join(root, 'line-monitor.tar.gz'));
  kitDir = await makeKit(fixture, join(root, 'line-monitor-layout'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let homes = 0;
function freshStore(): Store {
  return openStore(join(root, `home-${++homes}`));
}
const src = (path: string, input = path) => ({ input, path });

describe('importing kits and packages', () => {
  it('imports a package folder into the catalog, then finds it unchanged', async () => {
    const store = freshStore();
    try {
      const first = await importSources(store, [src(fixture.packageDir, 'package')]);
      expect(first.imported).toEqual([
        expect.objectContaining({
          kind: 'application',
          id: 'com-example-line-monitor',
          version: '1.2.0',
          ref: 'com-example-line-monitor:1.2.0',
          source: 'package',
        }),
      ]);
      expect(listCatalog(store.db)).toEqual([
        {
          id: 'com-example-line-monitor',
          name: 'Line Monitor',
          version: '1.2.0',
          tagline: 'Watches the line',
          organization: 'Example Industrial',
          tags: [],
          profiles: ['compose', 'helm'],
        },
      ]);
      const detail = showApplication(store.db, 'com-example-line-monitor');
      expect(detail?.resources.map((r) => [r.path, r.kind])).toEqual([
        ['resources/description.md', 'descriptionFile'],
        ['resources/icon.png', 'icon'],
      ]);
      const before = snapshotStore(store.paths.home);
      const again = await importSources(store, [src(fixture.packageDir)]);
      expect(again.imported).toEqual([]);
      expect(again.unchanged).toHaveLength(1);
      expect(snapshotStore(store.paths.home)).toEqual(before);
    } finally {
      store.close();
    }
  });

  it('imports the same kit from a .tar, a .tar.gz and a layout folder: the second and third are no-ops', async () => {
    const store = freshStore();
    try {
      const first = await importSources(store, [src(kitTar)]);
      expect(first.imported.map((i) => [i.kind, i.ref]).sort()).toEqual([
        ['application', 'com-example-line-monitor:1.2.0'],
        ['compose', 'registry.example.com/compose/monitor:1.2.0'],
        ['image', 'registry.example.com/monitor:1.2.0'],
      ]);
      const before = snapshotStore(store.paths.home);
      const rest = await importSources(store, [src(kitGz), src(kitDir)]);
      expect(rest.imported).toEqual([]);
      expect(rest.unchanged).toHaveLength(6);
      expect(snapshotStore(store.paths.home)).toEqual(before);
    } finally {
      store.close();
    }
  });

  it('keeps the store an OCI layout that imports as is into another store (a stick written from it)', async () => {
    const a = freshStore();
    const b = freshStore();
    try {
      await importSources(a, [src(kitGz)]);
      const report = await importSources(b, [src(a.paths.store)]);
      expect(report.imported.map((i) => i.ref).sort()).toEqual([
        'com-example-line-monitor:1.2.0',
        'registry.example.com/compose/monitor:1.2.0',
        'registry.example.com/monitor:1.2.0',
      ]);
      expect(snapshotStore(b.paths.home).files).toEqual(snapshotStore(a.paths.home).files);
    } finally {
      a.close();
      b.close();
    }
  });

  it('scans a mounted stick for packages, layouts and kits, to a bounded depth', async () => {
    const stick = join(root, 'stick');
    mkdirSync(join(stick, 'suppliers', 'acme', 'deep', 'er', 'still', 'hidden'), {
      recursive: true,
    });
    const other = await makePackageFixture(join(stick, 'suppliers', 'acme'), {
      id: 'com-acme-historian',
      version: '3.0.0',
    });
    await makeKit(fixture, join(stick, 'kits.tar.gz'));
    writeFileSync(join(stick, 'README.txt'), 'not a kit');
    await makePackageFixture(join(stick, 'suppliers', 'acme', 'deep', 'er', 'still', 'hidden'), {
      id: 'com-too-deep',
      version: '1.0.0',
    });
    const store = freshStore();
    try {
      const report = await importSources(store, [src(stick, 'stick')]);
      expect(
        report.imported
          .filter((i) => i.kind === 'application')
          .map((i) => [i.id, i.source])
          .sort(),
      ).toEqual([
        ['com-acme-historian', join('stick', 'suppliers', 'acme', 'package')],
        ['com-example-line-monitor', join('stick', 'kits.tar.gz')],
      ]);
      expect(other.packageDir).toContain('acme');
      expect(listCatalog(store.db).map((e) => e.id)).not.toContain('com-too-deep');
    } finally {
      store.close();
    }
  });

  it('reports the same id@version with other content as a conflict and never overwrites it', async () => {
    const store = freshStore();
    try {
      await importSources(store, [src(fixture.packageDir)]);
      const changed = join(root, 'changed');
      const other = await makePackageFixture(changed, { tagline: 'A different build' });
      const before = snapshotStore(store.paths.home);
      const report = await importSources(store, [src(other.packageDir, 'changed')]);
      expect(report.imported).toEqual([]);
      expect(report.conflicts).toEqual([
        expect.objectContaining({
          kind: 'application',
          id: 'com-example-line-monitor',
          version: '1.2.0',
          message: expect.stringContaining('was not replaced'),
        }),
      ]);
      expect(snapshotStore(store.paths.home)).toEqual(before);
      expect(showApplication(store.db, 'com-example-line-monitor')?.tagline).toBe(
        'Watches the line',
      );
    } finally {
      store.close();
    }
  });

  it('reports an invalid package with the validator diagnostics and imports nothing of it', async () => {
    const dir = join(root, 'invalid', 'package');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'margo.yaml'),
      edit(BASE_DESCRIPTION, 'id: com-example-line-monitor', 'id: Com_Example'),
    );
    const store = freshStore();
    try {
      const before = snapshotStore(store.paths.home);
      const report = await importSources(store, [src(dir, 'invalid/package')]);
      expect(report.invalid).toEqual([
        expect.objectContaining({
          kind: 'application',
          source: 'invalid/package',
          diagnostics: expect.arrayContaining([
            expect.objectContaining({ rule: 'app-id-pattern', line: 3, column: 5 }),
          ]),
        }),
      ]);
      expect(snapshotStore(store.paths.home)).toEqual(before);
    } finally {
      store.close();
    }
  });

  it('keeps versions apart, lists the latest, and removes one version with its unshared blobs', async () => {
    const store = freshStore();
    try {
      const v2 = await makePackageFixture(join(root, 'v2'), {
        version: '1.10.0',
        tagline: 'Newer',
      });
      await importSources(store, [src(kitTar), src(v2.packageDir)]);
      expect(listCatalog(store.db).map((e) => e.version)).toEqual(['1.10.0']);
      expect(showApplication(store.db, 'com-example-line-monitor')?.versions).toEqual([
        '1.10.0',
        '1.2.0',
      ]);
      const blobCount = () => store.blobs.list().length;
      const before = blobCount();
      expect(removeApplication(store, 'com-example-line-monitor', '1.10.0')).toEqual(['1.10.0']);
      expect(listCatalog(store.db).map((e) => [e.version, e.tagline])).toEqual([
        ['1.2.0', 'Watches the line'],
      ]);
      // the 1.10.0 manifest and its description go; the icon and description file are shared with 1.2.0
      expect(blobCount()).toBe(before - 2);
      const index = JSON.parse(readFileSync(join(store.paths.store, 'index.json'), 'utf8')) as {
        manifests: { annotations: Record<string, string> }[];
      };
      expect(
        index.manifests.map((m) => m.annotations['org.opencontainers.image.ref.name']).sort(),
      ).toEqual([
        'com-example-line-monitor:1.2.0',
        'registry.example.com/compose/monitor:1.2.0',
        'registry.example.com/monitor:1.2.0',
      ]);
      expect(removeApplication(store, 'com-example-line-monitor')).toEqual(['1.2.0']);
      expect(listCatalog(store.db)).toEqual([]);
      // components and images stay: other packages may need them
      expect(store.db.prepare('SELECT name FROM refs ORDER BY name').pluck().all()).toEqual([
        'registry.example.com/compose/monitor:1.2.0',
        'registry.example.com/monitor:1.2.0',
      ]);
    } finally {
      store.close();
    }
  });

  it('searches the latest versions by prefix, over name, tagline, description file, tags and organization', async () => {
    const store = freshStore();
    try {
      const other = await makePackageFixture(join(root, 'search'), {
        id: 'com-acme-historian',
        tagline: 'Keeps every tag value',
      });
      await importSources(store, [src(fixture.packageDir), src(other.packageDir)]);
      expect(
        listCatalog(store.db, 'press')
          .map((e) => e.id)
          .sort(),
      ).toEqual(['com-acme-historian', 'com-example-line-monitor']);
      expect(listCatalog(store.db, 'keep tag').map((e) => e.id)).toEqual(['com-acme-historian']);
      expect(
        listCatalog(store.db, 'example indus')
          .map((e) => e.id)
          .sort(),
      ).toEqual(['com-acme-historian', 'com-example-line-monitor']);
      expect(listCatalog(store.db, '"); DROP TABLE blobs; --')).toEqual([]);
      const page = searchCatalog(store.db, 'press', { limit: 1 });
      expect(page.total).toBe(2);
      expect(page.entries).toHaveLength(1);
      expect(searchCatalog(store.db, 'press', { limit: 1, offset: 1 }).entries).toHaveLength(1);
      expect(listCatalog(store.db, 'nothing-like-this')).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('pages the unfiltered catalog as the full list orders it (by name, then id), with the total', async () => {
    const store = freshStore();
    try {
      const ids = ['com-acme-zeta', 'com-acme-alpha', 'com-acme-mid'];
      const dirs = [fixture.packageDir];
      for (const id of ids)
        dirs.push((await makePackageFixture(join(root, id), { id })).packageDir);
      const newer = await makePackageFixture(join(root, 'newer'), { version: '1.3.0' });
      await importSources(
        store,
        [...dirs, newer.packageDir].map((d) => src(d)),
      );
      const all = listCatalog(store.db).map((e) => [e.id, e.version]);
      expect(all).toHaveLength(4);
      expect(all).toContainEqual(['com-example-line-monitor', '1.3.0']);
      const pages = [0, 3].map((offset) => catalogPage(store, { offset, limit: 3 }));
      expect(pages.map((p) => p.total)).toEqual([4, 4]);
      expect(pages.flatMap((p) => p.entries.map((e) => [e.id, e.version]))).toEqual(all);
      expect(pages[0]?.entries.every((e) => e.trust === 'unsigned')).toBe(true);
      expect(catalogPage(store, { offset: 4, limit: 3 })).toEqual({ total: 4, entries: [] });
      expect(catalogPage(store, { offset: 1, limit: 10 }).total).toBe(4);
    } finally {
      store.close();
    }
  });

  it('reports an unreadable source and goes on with the others', async () => {
    const store = freshStore();
    try {
      const report = await importSources(store, [
        src(join(root, 'nope.tar.gz'), 'nope.tar.gz'),
        src(fixture.packageDir),
      ]);
      expect(report.unreadable).toEqual([
        { source: 'nope.tar.gz', message: 'nope.tar.gz does not exist' },
      ]);
      expect(report.imported).toHaveLength(1);
      expect(existsSync(join(store.paths.tmp))).toBe(true);
    } finally {
      store.close();
    }
  });

  it('keeps index.json listing every ref: appended to by imports, written whole after a removal or when it is not what was written', async () => {
    const store = freshStore();
    const indexPath = join(store.paths.store, 'index.json');
    const listed = () =>
      (
        JSON.parse(readFileSync(indexPath, 'utf8')) as {
          manifests: { annotations: Record<string, string> }[];
        }
      ).manifests.map((m) => m.annotations['org.opencontainers.image.ref.name']);
    const refs = () => store.db.prepare('SELECT name FROM refs ORDER BY rowid').pluck().all();
    try {
      await importSources(store, [src(fixture.packageDir)]);
      const appended = [];
      for (const version of ['1.3.0', '1.4.0']) {
        const next = await makePackageFixture(join(root, `index-${version}`), { version });
        appended.push((await importSources(store, [src(next.packageDir)])).imported.length);
      }
      await importSources(store, [src(kitTar)]);
      expect(appended).toEqual([1, 1]);
      expect(listed()).toEqual(refs());
      expect(listed()).toHaveLength(5);
      // Appending gave, byte for byte, the file that writing it whole gives.
      const text = readFileSync(indexPath, 'utf8');
      store.db.prepare('UPDATE layout_index SET stale = 1').run();
      expect(writeStoreIndex(store)).toBe(false);
      expect(readFileSync(indexPath, 'utf8')).toBe(text);

      expect(removeApplication(store, 'com-example-line-monitor', '1.3.0')).toEqual(['1.3.0']);
      expect(listed()).toEqual(refs());
      expect(listed()).not.toContain('com-example-line-monitor:1.3.0');

      writeFileSync(indexPath, '{"schemaVersion":2,"manifests":[]}\n');
      expect(writeStoreIndex(store)).toBe(true);
      expect(listed()).toEqual(refs());
      expect(writeStoreIndex(store)).toBe(false); // current again: nothing to do

      // Appends are made in place: a crash in the middle of one leaves the file cut short, or
      // its closing brackets overwritten at the same size, with the refs of the committed
      // import after what its record lists. Either way the next start writes it whole.
      const whole = readFileSync(indexPath);
      const lastRow = store.db.prepare('SELECT max(rowid) FROM refs').pluck().get() as number;
      writeFileSync(indexPath, whole.subarray(0, whole.length - 40));
      expect(writeStoreIndex(store)).toBe(true);
      expect(listed()).toEqual(refs());
      const torn = Buffer.from(whole);
      torn.fill(' ', torn.length - 7);
      writeFileSync(indexPath, torn);
      store.db
        .prepare('UPDATE layout_index SET through = (SELECT max(rowid) FROM refs WHERE rowid < ?)')
        .run(lastRow);
      expect(writeStoreIndex(store)).toBe(true);
      expect(listed()).toEqual(refs());
      expect(readFileSync(indexPath)).toEqual(whole);
    } finally {
      store.close();
    }
  });

  it('looks for blobs no row references at the next start when a removal was cut short', () => {
    const home = join(root, 'cut-short');
    openStore(home).close();
    // A removal that committed, then died before deleting its blobs' files.
    const orphan = join(home, 'store', 'blobs', 'sha256', 'e'.repeat(64));
    writeFileSync(orphan, 'a removed blob');
    writeFileSync(join(home, 'tmp', 'remove-999999-abc'), '');
    const store = openStore(home);
    try {
      expect(store.recovery).toEqual({ staleStaging: 1, orphanBlobs: 1, indexRewritten: false });
      expect(existsSync(orphan)).toBe(false);
    } finally {
      store.close();
    }
  });
});
