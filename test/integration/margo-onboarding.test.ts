import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newAccessToken } from '../../electron/browser-host/access-gate';
import { startWebHost, type WebHost } from '../../electron/browser-host/web-host';
import { createAppCore, type AppCore } from '../../electron/core/contract-handlers/app-core';
import type {
  MargoClientView,
  MargoServingView,
  ProvisionedMargoClient,
} from '../../shared/contract/margo';
import type { PickedFile } from '../../shared/contract/picked-file';
import { coreCalls } from '../support/core-calls';
import { deviceCapabilities } from '../support/margo-device-client';

/**
 * Onboarding a Margo device through the contract alone, on a real app core: serving started
 * and stopped at run time, a client added with its bundle written to a chosen folder, a real
 * device client (mutual TLS with that bundle's files) reporting in, the client list showing
 * its device and last contact, a revocation refusing its next request on a connection already
 * open, and the browser's way: the bundle as a one-time .zip behind the host's access gate.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-onboarding-'));
const home = join(root, 'home');
/** What the engineer picks in the desktop app's folder dialog: a stick. */
const stick = join(root, 'usb-stick');
mkdirSync(stick);
/** A second stick, for a renewed bundle (a bundle folder is never overwritten). */
const secondStick = join(root, 'usb-stick-2');
mkdirSync(secondStick);
let picked = stick;

let core: AppCore;
const { call } = coreCalls(() => core);
const changes: string[][] = [];

/** The device's Margo client, configured from a bundle folder as its installer would be. */
function bundleClient(dir: string, agent?: https.Agent) {
  const wfm = JSON.parse(readFileSync(join(dir, 'wfm.json'), 'utf8')) as { url: string };
  const url = new URL(wfm.url);
  const tls = {
    ca: readFileSync(join(dir, 'ca.pem')),
    cert: readFileSync(join(dir, 'cert.pem')),
    key: readFileSync(join(dir, 'key.pem')),
  };
  return (method: string, path: string, body?: unknown) =>
    new Promise<{ status: number; text: string; reused: boolean }>((resolve, reject) => {
      const bytes = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = https.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          // The address in wfm.json is checked against the WFM's certificate, as a device does.
          ...tls,
          ...(agent ? { agent } : { agent: false }),
          headers: bytes
            ? { 'content-type': 'application/json', 'content-length': bytes.length }
            : {},
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text, reused: req.reusedSocket }),
          );
        },
      );
      req.on('error', reject);
      req.end(bytes);
    });
}

function portRefuses(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

beforeAll(async () => {
  core = await createAppCore({
    host: 'electron',
    home,
    // Electron's native dialog cannot run here: this answers as the engineer choosing the stick.
    pickFile: (purpose) =>
      Promise.resolve(purpose === 'margo-bundle-folder' ? { path: picked, kind: 'folder' } : null),
  });
  core.onEvent((e) => {
    if (e.event === 'store.changed') changes.push((e.payload as { what: string[] }).what);
  });
});

afterAll(async () => {
  await core?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('onboarding a Margo device from the app (desktop: a folder)', () => {
  let serving: NonNullable<MargoServingView['serving']>;
  let added: ProvisionedMargoClient;
  const keptAlive = new https.Agent({ keepAlive: true, maxSockets: 1 });
  afterAll(() => keptAlive.destroy());

  it('a fresh home has no trust domain, and looking does not make one', async () => {
    const view = await call<MargoServingView>('margo.status');
    expect(view.serving).toBeNull();
    expect(view.trustDomain).toBeNull();
    expect(view.defaults).toEqual({ host: '0.0.0.0', port: 8443, trustPort: 8444 });
    expect(() => statSync(join(home, 'keys', 'margo', 'identity.json'))).toThrow();
  });

  it('starts serving at run time and shows the WFM URL, the trust bundle and the CA fingerprint', async () => {
    const view = await call<MargoServingView>('margo.start', {
      host: '127.0.0.1',
      port: 0,
      trustPort: 0,
    });
    serving = view.serving!;
    expect(serving.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(serving.trustBundleUrl).toBe(`https://127.0.0.1:${serving.trustPort}/.well-known/margo`);
    const caPem = readFileSync(join(home, 'keys', 'margo', 'ca.pem'), 'utf8');
    expect(view.trustDomain?.caFingerprint).toBe(new X509Certificate(caPem).fingerprint256);
    expect(view.trustDomain?.caFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(view.bundleUrl).toBe(serving.url);
    // The trust bundle answers without a client certificate, as devices first ask it.
    const margo = await new Promise<string>((resolve, reject) => {
      https
        .get(serving.trustBundleUrl, { ca: caPem }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve(text));
        })
        .on('error', reject);
    });
    expect(JSON.parse(margo)).toMatchObject({ trustDomain: view.trustDomain?.name });
    // app.info says the same (the e2e story and older views read it there).
    expect((await call<{ margo: { url: string } | null }>('app.info')).margo?.url).toBe(
      serving.url,
    );
  });

  it('refuses a second start while serving, naming where it serves', async () => {
    const answer = await core.call('margo.start', { host: '127.0.0.1', port: 0, trustPort: 0 });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.name).toBe('refused');
    expect(answer.error.message).toContain(serving.url);
  });

  it('refuses a request of the wrong shape, naming the field, and starts nothing', async () => {
    const answer = await core.call('margo.start', { host: '', port: 70000, trustPort: 0 });
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.name).toBe('invalid-request');
  });

  it('adds a client and writes its bundle into a folder for it on the chosen stick', async () => {
    const folder = await call<PickedFile>('files.pick', { purpose: 'margo-bundle-folder' });
    expect(folder.kind).toBe('folder');
    added = await call<ProvisionedMargoClient>('margo.addClient', {
      clientId: 'press-gw',
      to: { kind: 'folder', folder: folder.token },
    });
    expect(added.folder).toBe(join(stick, 'press-gw'));
    expect(added.download).toBeNull();
    expect(added.url).toBe(serving.url);
    expect([...added.files].sort()).toEqual(['ca.pem', 'cert.pem', 'key.pem', 'wfm.json']);
    expect(statSync(join(stick, 'press-gw', 'key.pem')).mode & 0o777).toBe(0o600);
    expect(added.client).toMatchObject({
      clientId: 'press-gw',
      state: 'accepted',
      lastContact: null,
    });
    expect(added.client.devices).toEqual([]);
    // The same folder again: never overwritten.
    const again = await core.call('margo.addClient', {
      clientId: 'press-gw',
      to: { kind: 'folder', folder: folder.token },
    });
    expect(again.ok).toBe(false);
  });

  it('the device reports with that bundle over mutual TLS, and the list shows it and its last contact', async () => {
    changes.length = 0;
    const device = bundleClient(join(stick, 'press-gw'), keptAlive);
    const put = await device('PUT', '/api/v1/capabilities/gw-1', deviceCapabilities('gw-1'));
    expect(put.status).toBe(201);
    const clients = await call<MargoClientView[]>('margo.clients');
    const press = clients.find((c) => c.clientId === 'press-gw');
    expect(press?.devices).toEqual([
      { name: 'press-gw/gw-1', deviceId: 'gw-1', lastReport: expect.any(String) as string },
    ]);
    expect(Date.now() - Date.parse(press?.lastContact ?? '')).toBeLessThan(60_000);
    // Open views hear of it: the client list asks again on 'margo' and 'devices'.
    await vi.waitFor(
      () => expect(changes.flat()).toEqual(expect.arrayContaining(['margo', 'devices'])),
      {
        timeout: 2000,
      },
    );
  });

  it('renewed: a new bundle on another stick; the old one keeps working until it expires', async () => {
    picked = secondStick;
    const folder = await call<PickedFile>('files.pick', { purpose: 'margo-bundle-folder' });
    picked = stick;
    const renewed = await call<ProvisionedMargoClient>('margo.renewClient', {
      clientId: 'press-gw',
      to: { kind: 'folder', folder: folder.token },
    });
    expect(renewed.folder).toBe(join(secondStick, 'press-gw'));
    expect(renewed.client.state).toBe('accepted');
    // The expiry the list shows is the new certificate's, far from the 30-day warning.
    expect(renewed.client.certificate?.expiresSoon).toBe(false);
    expect(Date.parse(renewed.client.certificate?.notAfter ?? '')).toBeGreaterThan(
      Date.now() + 300 * 24 * 3600 * 1000,
    );
    const oldCert = readFileSync(join(stick, 'press-gw', 'cert.pem'), 'utf8');
    expect(readFileSync(join(secondStick, 'press-gw', 'cert.pem'), 'utf8')).not.toBe(oldCert);
    for (const dir of [join(stick, 'press-gw'), join(secondStick, 'press-gw')]) {
      expect((await bundleClient(dir)('GET', '/api/v1/deployments')).status).toBe(200);
    }
    // A client that was never added cannot be renewed.
    const unknown = await core.call('margo.renewClient', {
      clientId: 'nobody',
      to: { kind: 'folder', folder: folder.token },
    });
    expect(unknown.ok).toBe(false);
  });

  it('revoked: its next request is refused, also on the connection it holds open', async () => {
    const device = bundleClient(join(stick, 'press-gw'), keptAlive);
    expect((await device('GET', '/api/v1/deployments')).status).toBe(200);
    const revoked = await call<MargoClientView>('margo.revokeClient', { clientId: 'press-gw' });
    expect(revoked.state).toBe('revoked');
    expect(revoked.devices.map((d) => d.name)).toEqual(['press-gw/gw-1']);
    const refused = await device('GET', '/api/v1/deployments');
    expect(refused.reused).toBe(true);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toMatchObject({
      type: expect.stringContaining('not-authorized') as string,
    });
    // Revoking refuses every certificate of the client, the renewed one too.
    const renewedBundle = bundleClient(join(secondStick, 'press-gw'));
    expect((await renewedBundle('GET', '/api/v1/deployments')).status).toBe(403);
    // The device stays in the inventory: nothing reaches out to it, it keeps what it runs.
    const devices = await call<{ name: string }[]>('devices.list');
    expect(devices.map((d) => d.name)).toContain('press-gw/gw-1');
  });

  it('stops serving: both ports are closed', async () => {
    const view = await call<MargoServingView>('margo.stop');
    expect(view.serving).toBeNull();
    expect(await portRefuses(serving.port)).toBe('ECONNREFUSED');
    expect(await portRefuses(serving.trustPort)).toBe('ECONNREFUSED');
    expect((await call<{ margo: unknown }>('app.info')).margo).toBeNull();
    // Stopping again is no error: it does not serve, as asked.
    expect((await call<MargoServingView>('margo.stop')).serving).toBeNull();
    // The start form offers where it served last.
    expect(view.defaults).toMatchObject({ host: '127.0.0.1', port: serving.port });
  });

  it('the desktop app writes folders: a download is refused there', async () => {
    const answer = await core.call('margo.addClient', {
      clientId: 'mixer-gw',
      to: { kind: 'download' },
    });
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.name).toBe('not-supported');
  });
});

describe('the browser: serving from the start (--margo) and the bundle as a one-time .zip', () => {
  let browserCore: AppCore;
  let web: WebHost;
  let cookie = '';

  beforeAll(async () => {
    await core.close();
    browserCore = await createAppCore({
      host: 'browser',
      home,
      margo: { host: '127.0.0.1', port: 0, trustPort: 0 },
    });
    core = browserCore;
    const ui = join(root, 'ui');
    mkdirSync(ui, { recursive: true });
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>ui</title>');
    web = await startWebHost({
      core: browserCore,
      host: '127.0.0.1',
      port: 0,
      rendererDir: ui,
      token: newAccessToken(),
    });
    const entry = await fetch(web.url, { redirect: 'manual' });
    cookie = (entry.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  });

  afterAll(async () => {
    await web?.close();
  });

  it('serves from the start when asked to, and stops at run time', async () => {
    const view = await call<MargoServingView>('margo.status');
    expect(view.serving?.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect((await call<MargoServingView>('margo.stop')).serving).toBeNull();
    expect(await portRefuses(view.serving!.port)).toBe('ECONNREFUSED');
  });

  it('a folder is refused in the browser (its folders are uploads)', async () => {
    const upload = browserCore.registerPicked({ path: root, kind: 'folder' }, 'stick');
    const answer = await core.call('margo.addClient', {
      clientId: 'mixer-gw',
      to: { kind: 'folder', folder: upload.token },
    });
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.name).toBe('not-supported');
  });

  it('hands the bundle out once, as a .zip with a folder per client, behind the access cookie', async () => {
    const added = await call<ProvisionedMargoClient>('margo.addClient', {
      clientId: 'mixer-gw',
      to: { kind: 'download' },
      url: 'https://wfm.plant.example:8443',
    });
    expect(added.folder).toBeNull();
    const ticket = added.download!;
    expect(ticket.name).toBe('mixer-gw-margo-bundle.zip');
    const address = `${web.origin}/api/download?token=${encodeURIComponent(ticket.token)}`;
    // Without the access cookie, the download token alone gets nothing (and is not spent).
    expect((await fetch(address)).status).toBe(401);
    const answer = await fetch(address, { headers: { cookie } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/zip');
    expect(answer.headers.get('content-disposition')).toBe(
      'attachment; filename="mixer-gw-margo-bundle.zip"',
    );
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const zip = Buffer.from(await answer.arrayBuffer());
    expect(zip.length).toBe(ticket.size);
    // Read by another implementation (Python's zipfile): names and Unix modes.
    const saved = join(root, ticket.name);
    writeFileSync(saved, zip);
    const listing = execFileSync('python3', [
      '-c',
      'import sys, zipfile\nfor i in zipfile.ZipFile(sys.argv[1]).infolist(): print(i.filename, oct(i.external_attr >> 16))',
      saved,
    ]).toString();
    expect(listing.trim().split('\n').sort()).toEqual([
      expect.stringMatching(/^mixer-gw\/ca\.pem 0o1006[0-7]{2}$/),
      expect.stringMatching(/^mixer-gw\/cert\.pem 0o1006[0-7]{2}$/),
      'mixer-gw/key.pem 0o100600',
      expect.stringMatching(/^mixer-gw\/wfm\.json 0o1006[0-7]{2}$/),
    ]);
    const unpacked = join(root, 'unpacked');
    execFileSync('python3', ['-m', 'zipfile', '-e', saved, unpacked]);
    const wfm = JSON.parse(readFileSync(join(unpacked, 'mixer-gw', 'wfm.json'), 'utf8')) as {
      url: string;
      clientId: string;
    };
    expect(wfm).toMatchObject({ url: 'https://wfm.plant.example:8443', clientId: 'mixer-gw' });
    expect(
      new X509Certificate(readFileSync(join(unpacked, 'mixer-gw', 'cert.pem'))).subjectAltName,
    ).toContain('/client/mixer-gw');
    // Once only; nothing of it stays in the data home.
    expect((await fetch(address, { headers: { cookie } })).status).toBe(410);
    expect(execFileSync('find', [join(home, 'tmp'), '-name', 'key.pem']).toString()).toBe('');
  });
});
