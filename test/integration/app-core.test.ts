import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoKit } from '../../electron/demo-kit/build-demo-kit';
import { createAppCore, type AppCore } from '../../electron/core/contract-handlers/app-core';
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
const events: EventMessage[] = [];
let socket: WebSocket;

async function call<T>(op: string, request: unknown = {}): Promise<T> {
  const res = await fetch(`${base}/api/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ op, request }),
  });
  const body = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
  if (!body.ok) throw new Error(body.error?.message);
  return body.result as T;
}

async function envelope(op: string, request: unknown) {
  const res = await fetch(`${base}/api/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ op, request }),
  });
  return (await res.json()) as { ok: boolean; error?: { name: string; message: string } };
}

async function upload(purpose: string, name: string, bytes: Buffer): Promise<PickedFile> {
  const res = await fetch(
    `${base}/api/upload?purpose=${purpose}&name=${encodeURIComponent(name)}`,
    {
      method: 'PUT',
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
  web = await startWebHost({ core, host: '127.0.0.1', port: 0, rendererDir: join(root, 'ui') });
  base = web.url.replace(/\/$/, '');
  socket = new WebSocket(`${base.replace('http', 'ws')}/api/events`);
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
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ op: 'app.info', request: {} }),
    });
    expect(foreign.status).toBe(403);
    const page = await fetch(`${base}/`);
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

  it('off loopback a token is required; the printed URL carries it', async () => {
    const guarded = await startWebHost({
      core,
      host: '127.0.0.1',
      port: 0,
      rendererDir: join(root, 'ui'),
      token: 'secret-token-123',
    });
    try {
      const origin = new URL(guarded.url).origin;
      expect(guarded.url).toMatch(/\/\?token=secret-token-123$/);
      const denied = await fetch(`${origin}/api/call`, {
        method: 'POST',
        body: JSON.stringify({ op: 'app.info', request: {} }),
      });
      expect(denied.status).toBe(401);
      const allowed = await fetch(`${origin}/api/call`, {
        method: 'POST',
        headers: { authorization: 'Bearer secret-token-123' },
        body: JSON.stringify({ op: 'app.info', request: {} }),
      });
      expect(((await allowed.json()) as { ok: boolean }).ok).toBe(true);
      const first = await fetch(guarded.url);
      expect(first.headers.get('set-cookie')).toMatch(
        /commissioner_token=secret-token-123; HttpOnly; SameSite=Strict/,
      );
    } finally {
      await guarded.close();
    }
  });
});
