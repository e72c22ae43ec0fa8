import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newAccessToken } from '../../electron/browser-host/access-gate';
import { startWebHost, type WebHost } from '../../electron/browser-host/web-host';
import { createAppCore, type AppCore } from '../../electron/core/contract-handlers/app-core';
import { auditEntries } from '../../electron/core/store/audit-trail';
import { openStore } from '../../electron/core/store/store';
import { addMargoClient } from '../../electron/core/use-cases/margo-clients';
import { verifyAuditTrail } from '../../electron/core/use-cases/audit-trail';
import type {
  BackupStatusView,
  CreatedBackupView,
  RestoredBackupView,
} from '../../shared/contract/backups';
import type { MargoServingView } from '../../shared/contract/margo';
import { coreCalls } from '../support/core-calls';
import { deviceCapabilities, margoClientRequest } from '../support/margo-device-client';

/**
 * Settings → Backup through the contract, on two running browser hosts: laptop A makes a
 * backup as a download (streamed from a file made for it, which is gone once fetched); laptop
 * B, serving Margo devices with its own trust domain, is refused a wrong passphrase with
 * nothing changed, then takes the upload in place of its data home while it runs — and the
 * Margo client provisioned on laptop A before the backup polls laptop B successfully.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-backup-app-'));
const homeA = join(root, 'laptop-a');
const homeB = join(root, 'laptop-b');
const bundle = join(root, 'line-gw-bundle');
const PASSPHRASE = 'handover to the next integrator';
const SERVE = { host: '127.0.0.1', port: 0, trustPort: 0 };

let coreA: AppCore;
let coreB: AppCore;
let web: WebHost;
let cookie = '';
let saved = '';
const a = coreCalls(() => coreA);
const b = coreCalls(() => coreB);

/** The device's Margo client, as its bundle configures it, against a WFM URL. */
const deviceClient = (url: string) => ({
  url,
  ca: readFileSync(join(bundle, 'ca.pem')),
  cert: readFileSync(join(bundle, 'cert.pem')),
  key: readFileSync(join(bundle, 'key.pem')),
});

beforeAll(async () => {
  const store = openStore(homeA);
  try {
    addMargoClient(store, { clientId: 'line-gw', dir: bundle });
  } finally {
    store.close();
  }
  coreA = await createAppCore({ host: 'browser', home: homeA, margo: SERVE });
  const ui = join(root, 'ui');
  mkdirSync(ui, { recursive: true });
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>ui</title>');
  web = await startWebHost({
    core: coreA,
    host: '127.0.0.1',
    port: 0,
    rendererDir: ui,
    token: newAccessToken(),
  });
  const entry = await fetch(web.url, { redirect: 'manual' });
  cookie = (entry.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  coreB = await createAppCore({ host: 'browser', home: homeB, margo: SERVE });
});

afterAll(async () => {
  await web?.close();
  await coreA?.close();
  await coreB?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('laptop A: a backup downloaded from the browser host', () => {
  it('reminds before the first backup; the client reports to laptop A', async () => {
    const status = await a.call<BackupStatusView>('backups.status');
    expect(status).toMatchObject({ lastBackupAt: null, due: true, reminderDays: 7 });
    const serving = (await a.call<MargoServingView>('margo.status')).serving!;
    const put = await margoClientRequest(
      deviceClient(serving.url),
      'PUT',
      '/api/v1/capabilities/gw-1',
      deviceCapabilities('gw-1'),
    );
    expect(put.status).toBeLessThan(300);
  });

  it('streams the archive once, behind the access cookie, then removes the file made for it', async () => {
    const made = await a.call<CreatedBackupView>('backups.create', {
      passphrase: PASSPHRASE,
      withStore: true,
      to: { kind: 'download' },
    });
    expect(made.file).toBeNull();
    expect(made.download?.name).toMatch(/^commissioner-backup-\d{4}-\d{2}-\d{2}-\d{4}\.cbackup$/);
    const tmp = join(homeA, 'tmp');
    expect(readdirSync(tmp).filter((n) => n.startsWith('download-'))).toHaveLength(1);
    const address = `${web.origin}/api/download?token=${encodeURIComponent(made.download!.token)}`;
    const answer = await fetch(address, { headers: { cookie } });
    expect(answer.status).toBe(200);
    expect(Number(answer.headers.get('content-length'))).toBe(made.bytes);
    const bytes = Buffer.from(await answer.arrayBuffer());
    expect(bytes.length).toBe(made.bytes);
    expect(bytes.subarray(0, 26).toString()).toBe('MARGO-COMMISSIONER-BACKUP\n');
    saved = join(root, 'downloaded.cbackup');
    writeFileSync(saved, bytes);
    // Removed once the host finished sending it (just after the browser has every byte).
    await vi.waitFor(() =>
      expect(readdirSync(tmp).filter((n) => n.startsWith('download-'))).toEqual([]),
    );
    expect((await fetch(address, { headers: { cookie } })).status).toBe(410);
    const status = await a.call<BackupStatusView>('backups.status');
    expect(status).toMatchObject({ lastBackupAt: made.createdAt, due: false, daysSince: 0 });
  });

  it('the desktop way (a file) is refused in the browser', async () => {
    const picked = coreA.registerPicked({ path: join(root, 'x.cbackup'), kind: 'file' }, 'x');
    const answer = await coreA.call('backups.create', {
      passphrase: PASSPHRASE,
      withStore: false,
      to: { kind: 'file', file: picked.token },
    });
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.name).toBe('not-supported');
  });
});

describe('laptop B: the backup uploaded and restored while it runs', () => {
  let trustDomainA = '';

  it('a wrong passphrase is refused; laptop B is as it was, the attempt on its trail', async () => {
    trustDomainA = (await a.call<MargoServingView>('margo.status')).trustDomain!.name;
    const before = await b.call<MargoServingView>('margo.status');
    expect(before.trustDomain?.name).not.toBe(trustDomainA);
    const upload = coreB.registerPicked({ path: saved, kind: 'file' }, 'laptop-a.cbackup');
    const answer = await coreB.call('backups.restore', {
      file: upload.token,
      passphrase: 'handover to the wrong integrator',
    });
    expect(answer.ok).toBe(false);
    if (!answer.ok) {
      expect(answer.error).toMatchObject({
        name: 'refused',
        details: { reasons: ['wrong passphrase'] },
      });
      expect(answer.error.message).toContain('the passphrase does not open laptop-a.cbackup');
    }
    expect((await b.call<MargoServingView>('margo.status')).trustDomain?.name).toBe(
      before.trustDomain?.name,
    );
    const last = trailOf(homeB).entries.at(-1);
    expect(last).toMatchObject({ operation: 'backup.restore', outcome: { result: 'refused' } });
  });

  it('the right one replaces the home: the same trust domain is served, the old client polls it', async () => {
    const upload = coreB.registerPicked({ path: saved, kind: 'file' }, 'laptop-a.cbackup');
    const restored = await b.call<RestoredBackupView>('backups.restore', {
      file: upload.token,
      passphrase: PASSPHRASE,
    });
    expect(restored).toMatchObject({ withStore: true, auditIntact: true });
    expect(restored.summary).toMatchObject({ margoClients: 1, trustDomain: trustDomainA });
    // Serving went on, now as laptop A's WFM.
    const view = await b.call<MargoServingView>('margo.status');
    expect(view.trustDomain?.name).toBe(trustDomainA);
    expect(view.serving?.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const poll = await margoClientRequest(
      deviceClient(view.serving!.url),
      'GET',
      '/api/v1/deployments',
    );
    expect(poll.status).toBe(200);
    // The restore is the restored trail's entry, and the trail verifies.
    const { entries: trail, intact } = trailOf(homeB);
    expect(trail.map((e) => e.operation)).toContain('margo.addClient');
    const restoreEntry = trail.findLast((e) => e.operation === 'backup.restore');
    expect(restoreEntry).toMatchObject({ target: 'laptop-a.cbackup', outcome: { result: 'ok' } });
    expect(restoreEntry?.actor.via).toBe('browser');
    expect(intact).toBe(true);
    // Nothing staged or set aside is left beside the home.
    expect(readdirSync(root).filter((n) => n.startsWith('.laptop-b'))).toEqual([]);
    expect(existsSync(join(homeB, 'keys', 'margo', 'ca-key.pem'))).toBe(true);
  });
});

/** A home's trail, read on a connection of its own (the core keeps its own open). */
function trailOf(home: string) {
  const store = openStore(home);
  try {
    return { entries: auditEntries(store), intact: verifyAuditTrail(store).intact };
  } finally {
    store.close();
  }
}
