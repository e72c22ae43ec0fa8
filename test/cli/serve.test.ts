import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { REPO_ROOT } from '../../electron/browser-host/ensure-renderer';
import { enter, startServe, type ServeProcess } from '../support/serve-process';

/** `npm run serve` as a child process: what it prints, what it refuses, how it exits. */
describe('serve', () => {
  const root = mkdtempSync(join(tmpdir(), 'commissioner-serve-'));
  const running: ServeProcess[] = [];
  afterAll(async () => {
    await Promise.all(running.map((s) => s.stop()));
    rmSync(root, { recursive: true, force: true });
  });

  function serveSync(args: string[]) {
    return spawnSync(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'electron/browser-host/serve.ts'), ...args],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, COMMISSIONER_HOME: join(root, 'other') },
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
  }

  async function call(origin: string, cookie: string, op: string, request: unknown) {
    const res = await fetch(`${origin}/api/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify({ op, request }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('prints the URL with its access token on a line of its own; nothing answers without it, loopback included', async () => {
    const serve = await startServe(join(root, 'home'));
    running.push(serve);
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    const { origin } = new URL(serve.url);
    const token = new URL(serve.url).searchParams.get('token') ?? '';
    expect((await call(origin, '', 'app.info', {})).status).toBe(401);
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('Open the address it printed');
    const apiWithToken = await fetch(`${origin}/api/call?token=${token}`, {
      method: 'POST',
      body: JSON.stringify({ op: 'app.info', request: {} }),
    });
    expect(apiWithToken.status).toBe(401);

    const entry = await enter(serve.url);
    expect(entry).toMatchObject({ status: 303, location: '/' });
    expect(entry.setCookie).toMatch(/; HttpOnly; SameSite=Strict; Path=\/$/);
    const app = await fetch(`${origin}/`, { headers: { cookie: entry.cookie } });
    expect(app.status).toBe(200);
    expect(await app.text()).toContain('<div id="root"');
    const csp = app.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://${new URL(origin).host}`);
    expect(csp).not.toContain('unsafe-eval');
    expect((await call(origin, entry.cookie, 'app.info', {})).body).toMatchObject({ ok: true });
  }, 120_000);

  it('refuses a device on the station itself (its Docker socket) unless started with --allow-local-targets', async () => {
    const serve = running[0]!;
    const { origin } = new URL(serve.url);
    const { cookie } = await enter(serve.url);
    const device = { name: 'station', host: 'unix:///var/run/docker.sock' };
    const refused = await call(origin, cookie, 'devices.add', device);
    expect(refused.body).toMatchObject({
      ok: false,
      error: { name: 'refused', details: { reasons: [expect.stringContaining('unix socket')] } },
    });
    expect((await call(origin, cookie, 'devices.list', {})).body).toEqual({ ok: true, result: [] });

    const allowing = await startServe(join(root, 'allowing'), ['--allow-local-targets']);
    running.push(allowing);
    const entered = await enter(allowing.url);
    const added = await call(new URL(allowing.url).origin, entered.cookie, 'devices.add', {
      name: 'station',
      host: 'unix:///run/commissioner-test-no-such.sock',
    });
    expect(added.body).toMatchObject({ ok: true, result: { name: 'station' } });
  }, 120_000);

  it('off loopback: HTTPS only, with a certificate of the plant CA whose fingerprint is printed beside the URL', async (context) => {
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
    if (!lan) {
      console.log('skipped: this machine has no IPv4 address besides loopback to listen on');
      context.skip();
      return;
    }
    const home = join(root, 'lan');
    const serve = await startServe(home, ['--host', lan]);
    running.push(serve);
    expect(serve.url).toMatch(
      new RegExp(`^https://${lan.replace(/\./g, '\\.')}:\\d+/\\?token=[\\w-]{43}$`),
    );
    expect(serve.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const { origin } = new URL(serve.url);
    // A browser that trusts the plant CA accepts the certificate for that address, and sees
    // the printed fingerprint; the cookie is Secure.
    const ca = readFileSync(join(home, 'keys', 'margo', 'ca.pem'));
    const entry = await new Promise<{ status: number; cookie: string; fingerprint: string }>(
      (resolve, reject) => {
        https
          .get(serve.url, { ca }, (res) => {
            res.resume();
            resolve({
              status: res.statusCode ?? 0,
              cookie: String(res.headers['set-cookie'] ?? ''),
              fingerprint: (res.socket as TLSSocket).getPeerCertificate().fingerprint256,
            });
          })
          .on('error', reject);
      },
    );
    expect(entry.status).toBe(303);
    expect(entry.fingerprint).toBe(serve.fingerprint);
    expect(entry.cookie).toMatch(/; HttpOnly; SameSite=Strict; Path=\/; Secure$/);
    // The events over wss:// with the cookie.
    const cookie = entry.cookie.split(';')[0] ?? '';
    const ws = new WebSocket(`${origin.replace('https', 'wss')}/api/events`, {
      ca,
      headers: { cookie, origin },
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.close();
    // Plain HTTP gets no page there.
    await expect(fetch(origin.replace('https', 'http'))).rejects.toThrow();
  }, 120_000);

  it('a port in use is said in one line, exit 1', async () => {
    const port = new URL(running[0]!.url).port;
    const second = serveSync(['--port', port]);
    expect(second.status).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr.trim().split('\n').at(-1)).toBe(
      `serve: port ${port} on 127.0.0.1 is in use (another Commissioner, or another program): pass --port <n>, or --port 0 for any free port`,
    );
  }, 120_000);

  it('usage errors exit 2', () => {
    const bad = serveSync(['--port', 'eighty']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--port eighty is not a port number');
    const size = serveSync(['--max-upload', '16GB']);
    expect(size.status).toBe(2);
    expect(size.stderr).toContain(
      'serve: --max-upload 16GB is not a size: write bytes, or a number with KiB, MiB, GiB or TiB (e.g. 500MiB, 16GiB)',
    );
  }, 120_000);
});
