import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoKit } from '../../electron/demo-kit/build-demo-kit';
import { createAppCore, type AppCore } from '../../electron/core/contract-handlers/app-core';
import { newAccessToken } from '../../electron/browser-host/access-gate';
import { startWebHost, type WebHost } from '../../electron/browser-host/web-host';
import { AppView, CatalogFacets, CatalogPage } from '../../shared/contract/catalog';
import { Matrix } from '../../shared/contract/compatibility';
import { AddedDevice } from '../../shared/contract/devices';
import { Job } from '../../shared/contract/jobs';
import { PickedFile } from '../../shared/contract/picked-file';
import { EventMessage } from '../../shared/contract/wire';
import { startFleet, type Fleet } from '../support/docker-fleet';

/**
 * The core the UI talks to, through the browser host as a browser would reach it (HTTP calls,
 * WebSocket events, uploads), with a real store and a real device.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-app-core-'));
let fleet: Fleet;
let core: AppCore;
let web: WebHost;
let base: string;
/** `name=value` of the access cookie the printed URL set. */
let cookie: string;
const events: EventMessage[] = [];
let socket: WebSocket;

async function call<T>(op: string, request: unknown = {}): Promise<T> {
  const res = await fetch(`${base}/api/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, cookie },
    body: JSON.stringify({ op, request }),
  });
  const body = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
  if (!body.ok) throw new Error(body.error?.message);
  return body.result as T;
}

async function envelope(op: string, request: unknown) {
  const res = await fetch(`${base}/api/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ op, request }),
  });
  return (await res.json()) as {
    ok: boolean;
    error?: { name: string; message: string; details?: unknown };
  };
}

async function upload(purpose: string, name: string, bytes: Buffer): Promise<PickedFile> {
  const res = await fetch(
    `${base}/api/upload?purpose=${purpose}&name=${encodeURIComponent(name)}`,
    {
      method: 'PUT',
      headers: { cookie },
      body: bytes,
    },
  );
  return PickedFile.parse(await res.json());
}

async function waitForJob(id: string): Promise<Job> {
  for (let i = 0; i < 300; i++) {
    const done = events
      .filter((e) => e.event === 'job.updated')
      .map((e) => Job.parse(e.payload))
      .find((j) => j.id === id && j.state !== 'running');
    if (done) return done;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not finish`);
}

beforeAll(async () => {
  fleet = await startFleet({ count: 1 });
  const demoKit = await buildDemoKit();
  core = await createAppCore({
    home: join(root, 'home'),
    host: 'browser',
    ...(demoKit ? { demoKit } : {}),
  });
  mkdirSync(join(root, 'ui'));
  writeFileSync(join(root, 'ui', 'index.html'), '<!doctype html><title>ui</title>');
  web = await startWebHost({
    core,
    host: '127.0.0.1',
    port: 0,
    rendererDir: join(root, 'ui'),
    token: newAccessToken(),
  });
  base = web.origin;
  const entry = await fetch(web.url, { redirect: 'manual' });
  cookie = (entry.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  socket = new WebSocket(`${base.replace('http', 'ws')}/api/events`, { headers: { cookie } });
  socket.on('message', (data) => events.push(EventMessage.parse(JSON.parse(data.toString()))));
  await new Promise((r) => socket.once('open', r));
}, 120_000);

afterAll(async () => {
  socket?.close();
  await web?.close();
  await core?.close();
  await fleet?.stop();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

describe('the core through the browser host', { timeout: 120_000 }, () => {
  it('first start: an empty catalog, the demo kit offered', async () => {
    const info = await call<{
      firstStart: boolean;
      host: string;
      demoKit: { available: boolean; imported: boolean };
    }>('app.info');
    expect(info).toMatchObject({
      firstStart: true,
      host: 'browser',
      demoKit: { available: true, imported: false },
    });
    expect(await call('catalog.list', {})).toEqual({ total: 0, entries: [] });
  });

  it('imports the demo kit as a job with progress, then the catalog has it', async () => {
    const { jobId } = await call<{ jobId: string }>('imports.start', {
      sources: [{ kind: 'demo' }],
    });
    const job = await waitForJob(jobId);
    expect(job.state).toBe('succeeded');
    expect(job.result?.imported.map((i) => i.kind).sort()).toEqual([
      'application',
      'compose',
      'image',
    ]);
    expect(job.items[0]).toMatchObject({ label: 'the demo kit', state: 'succeeded' });
    // Views hear of changes at most every 100 ms: the word can come after the job's end.
    for (let i = 0; i < 20 && !events.some((e) => e.event === 'store.changed'); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(events.some((e) => e.event === 'store.changed')).toBe(true);
    const page = CatalogPage.parse(await call('catalog.list', { search: 'status' }));
    expect(page.entries.map((e) => e.id)).toEqual(['org-commissioner-demo-line-status']);
    const facets = CatalogFacets.parse(await call('catalog.facets'));
    expect(facets.tags).toEqual(expect.arrayContaining([{ value: 'demo', count: 1 }]));
    expect(facets.types).toEqual([{ value: 'compose', count: 1 }]);
    const info = await call<{ firstStart: boolean; demoKit: { imported: boolean } }>('app.info');
    expect(info).toMatchObject({ firstStart: false, demoKit: { imported: true } });
  });

  it('shows an application: texts as Markdown, the icon as a data URL, no device yet', async () => {
    const view = AppView.parse(
      await call('catalog.show', { id: 'org-commissioner-demo-line-status' }),
    );
    expect(view.description).toMatchObject({
      format: 'markdown',
      text: expect.stringContaining('# Line Status Board'),
    });
    expect(view.releaseNotes?.text).toContain('1.0.0');
    expect(view.icon).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(view.compatibility).toEqual([]);
  });

  it('adds a device from uploaded TLS files, probes it, and matches the app against it', async () => {
    const d = fleet.daemons[0]!;
    const [ca, cert, key] = await Promise.all([
      upload('tls-ca', 'ca.pem', readFileSync(d.tls.caPath)),
      upload('tls-cert', 'cert.pem', readFileSync(d.tls.certPath)),
      upload('tls-key', 'key.pem', readFileSync(d.tls.keyPath)),
    ]);
    const view = AddedDevice.parse(
      await call('devices.add', {
        name: 'press-1',
        host: d.url,
        tls: { ca: ca.token, cert: cert.token, key: key.token },
      }),
    );
    expect(view.connection).toEqual({ protocol: 'tcp', address: `${d.url} (TLS)`, secure: true });
    expect(view.lastProbe?.reachable).toBe(true);
    // Sound files, signed by the device's CA, valid now: nothing to warn about.
    expect(view.warnings).toEqual([]);
    const matrix = Matrix.parse(await call('compat.matrix', {}));
    expect(matrix.cells).toEqual([
      expect.objectContaining({
        appId: 'org-commissioner-demo-line-status',
        device: 'press-1',
        verdict: 'compatible',
      }),
    ]);
    const runs = CatalogPage.parse(await call('catalog.list', { runsOn: 'press-1' }));
    expect(runs.total).toBe(1);
    const detail = AppView.parse(
      await call('catalog.show', { id: 'org-commissioner-demo-line-status' }),
    );
    expect(detail.compatibility).toEqual([
      expect.objectContaining({ device: 'press-1', verdict: 'compatible' }),
    ]);
  });

  it('errors cross as data: a bad request, an unknown operation, an unknown file token', async () => {
    expect(await envelope('catalog.list', { limit: -1 })).toMatchObject({
      ok: false,
      error: {
        name: 'invalid-request',
        message: expect.stringContaining('limit'),
        details: { issues: [expect.objectContaining({ path: 'limit' })] },
      },
    });
    expect(await envelope('nope', {})).toMatchObject({
      ok: false,
      error: { name: 'not-found', details: { thing: 'operation', name: 'nope' } },
    });
    expect(
      await envelope('imports.start', { sources: [{ kind: 'picked', token: 'made-up' }] }),
    ).toMatchObject({
      ok: false,
      error: { name: 'not-found', message: expect.stringContaining('choose it again') },
    });
    expect(await envelope('files.pick', { purpose: 'import-kit' })).toMatchObject({
      ok: false,
      error: { name: 'not-supported', message: 'in the browser, files are uploaded, not picked' },
    });
  });

  it('refuses other sites and other host names (CSRF, DNS rebinding), serves the UI with its CSP', async () => {
    const foreign = await fetch(`${base}/api/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example', cookie },
      body: JSON.stringify({ op: 'app.info', request: {} }),
    });
    expect(foreign.status).toBe(403);
    const page = await fetch(`${base}/`, { headers: { cookie } });
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-eval');
    const rebound = await new Promise<number>((resolve) => {
      const url = new URL(base);
      import('node:http').then(({ request }) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: '/api/call',
            method: 'GET',
            headers: { host: `evil.example:${url.port}` },
          },
          (res) => resolve(res.statusCode ?? 0),
        );
        req.end();
      });
    });
    expect(rebound).toBe(421);
  });

  it('every request needs the access token, loopback included: the printed URL once, then the cookie', async () => {
    const token = new URL(web.url).searchParams.get('token') ?? '';
    expect(web.url).toBe(`${base}/?token=${token}`);
    expect(token).toMatch(/^[\w-]{43}$/);
    const appInfo = (headers: Record<string, string>, path = '/api/call') =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ op: 'app.info', request: {} }),
      });
    // Without it, or with it anywhere but the cookie: 401, the page included.
    expect((await appInfo({})).status).toBe(401);
    expect((await appInfo({}, `/api/call?token=${token}`)).status).toBe(401);
    expect((await appInfo({ authorization: `Bearer ${token}` })).status).toBe(401);
    expect((await appInfo({ cookie: `${cookie.split('=')[0]}=not-${token}` })).status).toBe(401);
    expect((await appInfo({ cookie: `commissioner_token_1=${token}` })).status).toBe(401);
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(401);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Open the address it printed');
    const upload = await fetch(`${base}/api/upload?purpose=import-kit&name=x.tar`, {
      method: 'PUT',
      body: 'x',
    });
    expect(upload.status).toBe(401);
    // The printed URL: the cookie (HttpOnly, SameSite=Strict; not Secure over plain HTTP), and
    // the same address without the token, other parameters kept.
    const entry = await fetch(`${base}/deploy?token=${token}&app=x`, { redirect: 'manual' });
    expect(entry.status).toBe(303);
    expect(entry.headers.get('location')).toBe('/deploy?app=x');
    expect(entry.headers.get('set-cookie')).toBe(`${cookie}; HttpOnly; SameSite=Strict; Path=/`);
    expect(cookie).toMatch(new RegExp(`^commissioner_token_${new URL(base).port}=`));
    expect(((await (await appInfo({ cookie })).json()) as { ok: boolean }).ok).toBe(true);
    expect((await fetch(`${base}/`, { headers: { cookie } })).status).toBe(200);
    // The events: only with the cookie, never with the token in the address.
    const opens = async (url: string, headers: Record<string, string>) => {
      const ws = new WebSocket(url, { headers });
      return new Promise<number>((resolve) => {
        ws.once('open', () => {
          ws.close();
          resolve(101);
        });
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      });
    };
    const events = `${base.replace('http', 'ws')}/api/events`;
    expect(await opens(events, {})).toBe(401);
    expect(await opens(`${events}?token=${token}`, {})).toBe(401);
    expect(await opens(events, { cookie })).toBe(101);
  });

  it('refuses devices and registries on the station itself (the browser host did not allow them)', async () => {
    const pem = readFileSync(fleet.daemons[0]!.tls.caPath);
    const [ca, cert, key] = await Promise.all([
      upload('tls-ca', 'ca.pem', pem),
      upload('tls-cert', 'cert.pem', readFileSync(fleet.daemons[0]!.tls.certPath)),
      upload('tls-key', 'key.pem', readFileSync(fleet.daemons[0]!.tls.keyPath)),
    ]);
    const tls = { ca: ca.token, cert: cert.token, key: key.token };
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['unix:///var/run/docker.sock', {}, /a unix socket of this station/],
      ['tcp://127.0.0.1:2376', { tls }, /a loopback address/],
      [
        'tcp://localhost:2376',
        { tls },
        /localhost resolves to (127\.0\.0\.1|::1), a loopback address/,
      ],
      ['tcp://[::ffff:127.0.0.1]:2376', { tls }, /a loopback address/],
      ['tcp://169.254.169.254:2376', { tls }, /a link-local address/],
      ['ssh://root@0.0.0.0', {}, /an address meaning this station/],
    ];
    for (const [host, extra, reason] of cases) {
      const answer = await envelope('devices.add', { name: 'station', host, ...extra });
      expect(answer.ok, host).toBe(false);
      expect(answer.error).toMatchObject({
        name: 'refused',
        message: expect.stringContaining('is on the station this Commissioner runs on'),
        details: { reasons: [expect.stringMatching(reason)] },
      });
      expect(answer.error?.message).not.toMatch(/--/);
    }
    expect((await call<{ name: string }[]>('devices.list')).map((d) => d.name)).not.toContain(
      'station',
    );

    for (const reference of [
      'oci://127.0.0.1:5000/plant/app:1.0.0',
      'oci://localhost:5000/plant/app',
    ]) {
      const { jobId } = await call<{ jobId: string }>('imports.start', {
        sources: [{ kind: 'registry', reference, plainHttp: true }],
      });
      const job = await waitForJob(jobId);
      expect(job.state).toBe('failed');
      expect(job.error).toMatchObject({ name: 'refused' });
      expect(job.error?.message).toContain(
        'this Commissioner refuses registries on its own station',
      );
    }
  });

  it('allows them when the face says so (the desktop app, serve --allow-local-targets)', async () => {
    const allowing = await createAppCore({
      home: join(root, 'allowing'),
      host: 'browser',
      allowLocalTargets: true,
    });
    try {
      const answer = await allowing.call('devices.add', {
        name: 'station',
        host: 'unix:///run/commissioner-test-no-such.sock',
      });
      expect(answer).toMatchObject({
        ok: true,
        result: { name: 'station', connection: { protocol: 'unix' } },
      });
    } finally {
      await allowing.close();
    }
  });
});
