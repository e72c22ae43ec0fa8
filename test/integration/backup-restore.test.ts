import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommissionerError } from '../../shared/contract/contract-error';
import { BACKUP_MAGIC } from '../../electron/core/backup/backup-header-file';
import { CHUNK_BYTES } from '../../electron/core/backup/write-backup';
import { importSources } from '../../electron/core/import/import-sources';
import { auditEntries } from '../../electron/core/store/audit-trail';
import { catalogRowsPage, searchCatalog } from '../../electron/core/store/catalog-reader';
import { addDevice, getDevice, keepTlsFiles } from '../../electron/core/store/device-inventory';
import { openStore, type Store } from '../../electron/core/store/store';
import { createBackup } from '../../electron/core/use-cases/create-backup';
import { inspectBackup } from '../../electron/core/use-cases/inspect-backup';
import { addMargoClient } from '../../electron/core/use-cases/margo-clients';
import { restoreBackup } from '../../electron/core/use-cases/restore-backup';
import { verifyAuditTrail } from '../../electron/core/use-cases/audit-trail';
import { backupStatus } from '../../electron/core/use-cases/backup-status';
import { makeKit, makePackageFixture } from '../support/kit-fixture';

/**
 * The backup format and the restore through the use cases, on real data homes: a home with a
 * catalog (a package whose image layer spans several sealed chunks), a TLS device and a Margo
 * client, backed up and restored elsewhere with nothing lost — and every way a backup can be
 * damaged or wrongly unlocked refused with nothing written.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-backup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PASSPHRASE = 'plant seven, line three, blue door';
const source = join(root, 'laptop-a');
const withStore = join(root, 'with-store.cbackup');
const withoutStore = join(root, 'without-store.cbackup');
const second = join(root, 'second.cbackup');
let headerLength = 0;
let kit = '';

function withOpenStore<T>(home: string, run: (store: Store) => T): T {
  const store = openStore(home);
  try {
    return run(store);
  } finally {
    store.close();
  }
}

/** Every file under `dir` with its bytes, as `relative path → base64` (stable for toEqual). */
function tree(dir: string, skip: (path: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string, prefix: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const rel = prefix ? `${prefix}/${name}` : name;
      if (skip(rel)) continue;
      if (statSync(path).isDirectory()) walk(path, rel);
      else out[rel] = readFileSync(path).toString('base64');
    }
  };
  walk(dir, '');
  return out;
}

/** The store's refs as its layout's index.json lists them, and as its catalog records them. */
function layoutRefs(store: Store): { listed: string[]; recorded: string[] } {
  const index = JSON.parse(readFileSync(join(store.paths.store, 'index.json'), 'utf8')) as {
    manifests: { digest: string; annotations: Record<string, string> }[];
  };
  const listed = index.manifests
    .map((m) => `${m.annotations['org.opencontainers.image.ref.name']} ${m.digest}`)
    .sort();
  const recorded = (
    store.db.prepare('SELECT name, digest FROM refs').all() as { name: string; digest: string }[]
  )
    .map((r) => `${r.name} ${r.digest}`)
    .sort();
  return { listed, recorded };
}

beforeAll(async () => {
  const fixture = await makePackageFixture(join(root, 'package'), {
    imageLayers: [{ bigFile: { path: 'data/model.bin', bytes: 4 * 1024 * 1024 } }],
  });
  kit = await makeKit(fixture, join(root, 'kit.tar'));
  const tls = join(root, 'device-tls');
  mkdirSync(tls);
  for (const file of ['ca.pem', 'cert.pem', 'key.pem']) {
    writeFileSync(join(tls, file), `-----BEGIN ${file}-----\n`);
  }
  const store = openStore(source);
  try {
    const report = await importSources(store, [{ input: kit, path: kit }]);
    expect(report.imported.length).toBeGreaterThan(0);
    addDevice(store, {
      name: 'press-1',
      kind: 'docker',
      connection: {
        protocol: 'tcp',
        host: '192.0.2.10',
        port: 2376,
        tls: keepTlsFiles(store, 'press-1', {
          ca: join(tls, 'ca.pem'),
          cert: join(tls, 'cert.pem'),
          key: join(tls, 'key.pem'),
        }),
      },
      labels: { line: '3' },
      described: {},
    });
    addMargoClient(store, { clientId: 'line-gw', dir: join(root, 'bundle') });
    await createBackup(store, { output: withStore, passphrase: PASSPHRASE, withStore: true });
    await createBackup(store, { output: second, passphrase: PASSPHRASE, withStore: true });
    await createBackup(store, { output: withoutStore, passphrase: PASSPHRASE, withStore: false });
  } finally {
    store.close();
  }
  const bytes = readFileSync(withStore);
  headerLength = bytes.indexOf('\n', bytes.indexOf('\n', BACKUP_MAGIC.length) + 1) + 1;
}, 120_000);

describe('a backup restored on a fresh data home', () => {
  const restored = join(root, 'laptop-b');

  it('holds the database, keys, installation and store; the restore is on the trail, which verifies', async () => {
    const before = withOpenStore(source, (store) => ({
      trail: auditEntries(store),
      device: getDevice(store, 'press-1'),
      blobs: store.blobs.list().sort(),
    }));
    const result = await restoreBackup({
      file: withStore,
      passphrase: PASSPHRASE,
      home: restored,
      replace: false,
    });
    expect(result.replaced).toBe(false);
    expect(result.devicesMoved).toBe(1);
    expect(result.audit.intact).toBe(true);

    // Keys and installation byte for byte; blobs all there.
    const skip = (p: string) =>
      p.startsWith('tmp') || p.startsWith('logs') || p.startsWith('commissioner.db');
    const a = tree(source, skip);
    const b = tree(restored, skip);
    expect(Object.keys(b).filter((p) => p.startsWith('keys/')).length).toBeGreaterThan(3);
    for (const path of Object.keys(a).filter((p) => !p.startsWith('store/index.json'))) {
      expect(b[path], path).toBe(a[path]);
    }
    expect(statSync(join(restored, 'keys', 'margo', 'ca-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(restored).mode & 0o777).toBe(0o700);

    withOpenStore(restored, (store) => {
      expect(store.blobs.list().sort()).toEqual(before.blobs);
      // The trail is the source's as it was at the snapshot, then the restore.
      const trail = auditEntries(store);
      const snapshotTrail = before.trail.filter((e) => e.operation !== 'backup.create');
      expect(trail.slice(0, snapshotTrail.length)).toEqual(snapshotTrail);
      expect(trail.at(-1)).toMatchObject({
        operation: 'backup.restore',
        target: 'with-store.cbackup',
        outcome: { result: 'ok' },
        inputs: { withStore: true, replaced: false },
      });
      expect(verifyAuditTrail(store).intact).toBe(true);
      // The device's key files are the restored home's, not the old laptop's.
      const device = getDevice(store, 'press-1');
      expect(device?.labels).toEqual(before.device?.labels);
      const tls = device?.connection.protocol === 'tcp' ? device.connection.tls : null;
      expect(tls?.key).toBe(join(restored, 'keys', 'devices', 'press-1', 'key.pem'));
      expect(readFileSync(tls!.key, 'utf8')).toBe('-----BEGIN key.pem-----\n');
      // The reminder starts from the backup restored.
      expect(backupStatus(store).lastBackupAt).toBe(result.header.createdAt);
      // index.json is not in the backup: the restored store wrote it whole from its refs.
      const refs = layoutRefs(store);
      expect(refs.listed.length).toBeGreaterThan(0);
      expect(refs.listed).toEqual(refs.recorded);
      expect(searchCatalog(store.db, 'line mon').entries.map((e) => e.id)).toEqual([
        'com-example-line-monitor',
      ]);
    });
  });

  it('refuses a data home that holds data without --replace, changing nothing', async () => {
    const before = tree(restored);
    await expect(
      restoreBackup({ file: withStore, passphrase: PASSPHRASE, home: restored, replace: false }),
    ).rejects.toMatchObject({
      name: 'refused',
      details: { reasons: ['the data home is not empty'] },
    });
    expect(tree(restored)).toEqual(before);
  });

  it('without the store: the catalog is left out and named, the rest restored', async () => {
    const { manifest } = await inspectBackup(withoutStore, PASSPHRASE);
    expect(manifest?.withStore).toBe(false);
    expect(manifest?.leftOut).toEqual(['com-example-line-monitor@1.2.0']);
    expect(manifest?.files.some((f) => f.path.startsWith('store/'))).toBe(false);
    const home = join(root, 'laptop-c');
    await restoreBackup({ file: withoutStore, passphrase: PASSPHRASE, home, replace: false });
    withOpenStore(home, (store) => {
      expect(store.blobs.list()).toEqual([]);
      expect(getDevice(store, 'press-1')).toBeDefined();
      expect(verifyAuditTrail(store).intact).toBe(true);
      // Nothing of the catalog is left to find: no list row, no search match, no ref listed.
      expect(catalogRowsPage(store.db, { limit: 50, offset: 0 }).total).toBe(0);
      expect(searchCatalog(store.db, 'line')).toEqual({ total: 0, entries: [] });
      expect(store.db.prepare('SELECT count(*) FROM search_documents').pluck().get()).toBe(0);
      expect(layoutRefs(store)).toEqual({ listed: [], recorded: [] });
    });
    // The package imported again: searched, listed, and in index.json as in any store.
    const again = openStore(home);
    try {
      const report = await importSources(again, [{ input: kit, path: kit }]);
      expect(report.imported.length).toBeGreaterThan(0);
    } finally {
      again.close();
    }
    withOpenStore(home, (store) => {
      expect(searchCatalog(store.db, 'line mon').entries.map((e) => e.id)).toEqual([
        'com-example-line-monitor',
      ]);
      const refs = layoutRefs(store);
      expect(refs.listed.length).toBeGreaterThan(0);
      expect(refs.listed).toEqual(refs.recorded);
    });
  });

  it('--replace swaps the homes once the backup is complete; a damaged backup leaves the old one as it was', async () => {
    const home = join(root, 'laptop-d');
    withOpenStore(home, () => undefined);
    writeFileSync(join(home, 'marker'), 'the old home');
    const damaged = join(root, 'replace-damaged.cbackup');
    const bytes = readFileSync(withStore);
    bytes[bytes.length - 100]! ^= 0x01;
    writeFileSync(damaged, bytes);
    const before = tree(home);
    await expect(
      restoreBackup({ file: damaged, passphrase: PASSPHRASE, home, replace: true }),
    ).rejects.toMatchObject({ name: 'refused' });
    expect(tree(home)).toEqual(before);

    const result = await restoreBackup({
      file: withStore,
      passphrase: PASSPHRASE,
      home,
      replace: true,
    });
    expect(result.replaced).toBe(true);
    expect(existsSync(join(home, 'marker'))).toBe(false);
    expect(existsSync(join(home, 'keys', 'margo', 'ca-key.pem'))).toBe(true);
    // Nothing left beside it: neither the staged home nor the replaced one.
    expect(readdirSync(root).filter((n) => n.startsWith('.laptop-d'))).toEqual([]);
  });
});

describe('a damaged or wrongly unlocked backup is refused with nothing written', () => {
  const record = CHUNK_BYTES + 5 + 16;
  /** Byte offset of sealed chunk `i`'s record. */
  const chunk = (i: number) => headerLength + i * record;

  const cases: [string, (bytes: Buffer) => Buffer, string, string?][] = [
    ['the magic line altered', (b) => flip(b, 3), 'not a backup'],
    [
      'a bit of the header JSON flipped',
      (b) => flip(b, BACKUP_MAGIC.length + 40),
      'damaged header',
    ],
    ["the header's salt altered", (b) => flipIn(b, '"salt":"', 3), 'damaged header'],
    ["the header's check line altered", (b) => flip(b, headerLength - 10), 'damaged header'],
    ['cut inside the header', (b) => b.subarray(0, headerLength - 20), 'damaged header'],
    ['a bit of the manifest flipped', (b) => flip(b, chunk(0) + 5 + 20), 'damaged manifest'],
    ['a bit of the data flipped', (b) => flip(b, chunk(2) + 5 + 1000), 'damaged data'],
    ["a chunk's tag flipped", (b) => flip(b, chunk(2) - 3), 'damaged data'],
    ["a chunk's length altered", (b) => flip(b, chunk(1) + 3), 'damaged data'],
    ['a middle chunk marked as the last', (b) => flip(b, chunk(1)), 'damaged data'],
    ['the last byte flipped', (b) => flip(b, b.length - 1), 'damaged data'],
    ['two chunks swapped', (b) => swapChunks(b, chunk(1), chunk(2), record), 'damaged data'],
    ['cut right after the header', (b) => b.subarray(0, headerLength), 'truncated'],
    ['cut inside a chunk', (b) => b.subarray(0, chunk(2) + 500), 'truncated'],
    ['cut at a chunk boundary', (b) => b.subarray(0, chunk(2)), 'truncated'],
    ['its last byte cut', (b) => b.subarray(0, b.length - 1), 'truncated'],
    ['bytes appended', (b) => Buffer.concat([b, Buffer.from('x')]), 'bytes after the end'],
    [
      "another backup's header (same passphrase)",
      (b) =>
        Buffer.concat([readFileSync(second).subarray(0, headerLength), b.subarray(headerLength)]),
      'damaged manifest',
    ],
    ['a wrong passphrase', (b) => b, 'wrong passphrase', 'plant seven, line three, red door'],
  ];

  it.each(cases)('%s', async (_, alter, reason, passphrase = PASSPHRASE) => {
    const dir = mkdtempSync(join(root, 'case-'));
    const file = join(dir, 'altered.cbackup');
    writeFileSync(file, alter(readFileSync(withStore)));
    const home = join(dir, 'home');
    const error = await restoreBackup({ file, passphrase, home, replace: false }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CommissionerError);
    expect(error).toMatchObject({ name: 'refused', details: { reasons: [reason] } });
    // Words for people: which part, and what to do.
    expect((error as Error).message).toMatch(/altered\.cbackup/);
    expect((error as Error).message).not.toMatch(/Error|ERR_|EVP_|unable to authenticate/);
    // Nothing written: no home, nothing staged beside it.
    expect(readdirSync(dir)).toEqual(['altered.cbackup']);
  });

  it('inspect shows the header without the passphrase, and refuses a damaged manifest with it', async () => {
    const plain = await inspectBackup(withStore);
    expect(plain.manifest).toBeNull();
    expect(plain.header).toMatchObject({ format: 1, withStore: true, cipher: 'aes-256-gcm' });
    const dir = mkdtempSync(join(root, 'inspect-'));
    const file = join(dir, 'altered.cbackup');
    writeFileSync(file, flip(readFileSync(withStore), chunk(0) + 5 + 20));
    await expect(inspectBackup(file, PASSPHRASE)).rejects.toMatchObject({
      name: 'refused',
      details: { reasons: ['damaged manifest'] },
    });
    await expect(inspectBackup(withStore, 'not the passphrase')).rejects.toMatchObject({
      details: { reasons: ['wrong passphrase'] },
    });
  });

  it('the passphrase is in no file the backup or the restore wrote', () => {
    const raw = readFileSync(withStore);
    expect(raw.includes(Buffer.from(PASSPHRASE))).toBe(false);
    for (const home of [source, join(root, 'laptop-b')]) {
      for (const file of ['commissioner.db', 'commissioner.db-wal', 'logs/errors.log']) {
        const path = join(home, file);
        if (existsSync(path))
          expect(readFileSync(path).includes(Buffer.from(PASSPHRASE))).toBe(false);
      }
    }
  });
});

function flip(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] as number) ^ 0x04;
  return copy;
}

function flipIn(bytes: Buffer, marker: string, after: number): Buffer {
  return flip(bytes, bytes.indexOf(marker) + marker.length + after);
}

function swapChunks(bytes: Buffer, a: number, b: number, length: number): Buffer {
  const copy = Buffer.from(bytes);
  bytes.copy(copy, a, b, b + length);
  bytes.copy(copy, b, a, a + length);
  return copy;
}
