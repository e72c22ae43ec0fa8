import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runCli } from '../support/run-cli';
import { enter, startServe, type ServeProcess } from '../support/serve-process';

/** An answer of /api/call, or the host's own refusal. */
interface CallBody {
  ok?: boolean;
  result?: unknown;
  /** A contract error; the host's own refusals (401) carry a sentence here instead. */
  error?: { name: string; message: string; details: unknown };
  login?: string;
}

/**
 * The browser host with named accounts (issue 18): a real `npm run serve` and the real CLI
 * on one data home. The role is enforced by the core, so every check here calls `/api/call`
 * directly, as a script or a tampered page would, not through the UI.
 */
describe('serve with named accounts', () => {
  const root = mkdtempSync(join(tmpdir(), 'commissioner-accounts-'));
  const home = join(root, 'home');
  const env = { COMMISSIONER_HOME: home };
  const running: ServeProcess[] = [];
  let serve: ServeProcess;
  let origin: string;

  const PASSWORDS = {
    vera: 'viewer password 1',
    otto: 'operator password 2',
    ada: 'admin password 3',
    bob: 'bob password 4',
  } as const;

  async function addUser(name: keyof typeof PASSWORDS, role: string) {
    const run = await runCli(['users', 'add', name, '--role', role, '--password-stdin'], {
      env,
      input: `${PASSWORDS[name]}\n`,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  }

  async function login(at: string, name: string, password: string) {
    const res = await fetch(`${at}/api/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: at },
      body: new URLSearchParams({ name, password }).toString(),
    });
    const setCookie = res.headers.get('set-cookie') ?? '';
    return {
      status: res.status,
      location: res.headers.get('location'),
      setCookie,
      cookie: setCookie.split(';')[0] ?? '',
    };
  }

  async function call(at: string, cookie: string, op: string, request: unknown) {
    const res = await fetch(`${at}/api/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: at, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify({ op, request }),
    });
    return { status: res.status, body: (await res.json()) as CallBody };
  }

  beforeAll(async () => {
    serve = await startServe(home);
    running.push(serve);
    origin = new URL(serve.url).origin;
  }, 180_000);
  afterAll(async () => {
    await Promise.all(running.map((s) => s.stop()));
    rmSync(root, { recursive: true, force: true });
  });

  it('with no accounts, keeps the single access token as before; the login page is not there', async () => {
    const listed = await runCli(['users', 'list'], { env });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('no accounts');
    expect((await call(origin, '', 'app.info', {})).status).toBe(401);
    expect((await fetch(`${origin}/login`)).status).toBe(401);
    const entry = await enter(serve.url);
    expect(entry).toMatchObject({ status: 303, location: '/' });
    expect((await call(origin, entry.cookie, 'app.info', {})).body).toMatchObject({ ok: true });
    // Without accounts the token's holder is the station's own user: no role, every operation.
    expect((await call(origin, entry.cookie, 'session.current', {})).body).toEqual({
      ok: true,
      result: { account: null, role: null },
    });
  }, 60_000);

  it('accounts added with the CLI switch the running host to its login page; the token no longer opens it', async () => {
    const entry = await enter(serve.url);
    await addUser('vera', 'viewer');
    await addUser('otto', 'operator');
    await addUser('ada', 'admin');
    await addUser('bob', 'operator');

    const listed = await runCli(['users', 'list', '--json'], { env });
    const accounts = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(accounts.map((a) => [a.name, a.role])).toEqual([
      ['ada', 'admin'],
      ['bob', 'operator'],
      ['otto', 'operator'],
      ['vera', 'viewer'],
    ]);
    expect(listed.stdout).not.toMatch(/scrypt|hash/i);
    expect(listed.stdout).not.toContain('scrypt');

    expect((await call(origin, entry.cookie, 'app.info', {})).status).toBe(401);
    const page = await fetch(`${origin}/`, {
      headers: { cookie: entry.cookie },
      redirect: 'manual',
    });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login');
    const again = await fetch(serve.url, { redirect: 'manual' });
    expect(again.headers.get('location')).toBe('/login');

    const loginPage = await fetch(`${origin}/login`);
    expect(loginPage.status).toBe(200);
    const html = await loginPage.text();
    expect(html).toContain('<form method="post" action="/api/login"');
    expect(html).not.toContain('<script');
    const csp = loginPage.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
  }, 120_000);

  it('a viewer reads, and cannot deploy, import or manage accounts through /api/call (forbidden)', async () => {
    const session = await login(origin, 'vera', PASSWORDS.vera);
    expect(session).toMatchObject({ status: 303, location: '/' });
    expect(session.setCookie).toMatch(
      /^commissioner_session_\d+=[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/$/,
    );
    expect((await call(origin, session.cookie, 'session.current', {})).body).toEqual({
      ok: true,
      result: { account: 'vera', role: 'viewer' },
    });
    expect((await call(origin, session.cookie, 'catalog.list', {})).body).toMatchObject({
      ok: true,
    });

    const deploy = await call(origin, session.cookie, 'deploy.start', {});
    expect(deploy.body).toEqual({
      ok: false,
      error: {
        name: 'forbidden',
        message:
          'vera is a viewer, and deploy start needs the operator role or higher: ask an admin',
        details: { operation: 'deploy.start', role: 'viewer', needs: 'operator' },
      },
    });
    for (const [op, request] of [
      ['imports.start', { sources: [{ kind: 'demo' }] }],
      ['deployments.remove', { id: 'x', volumes: false }],
      ['users.add', { name: 'mallory', role: 'admin', password: 'mallory password' }],
      ['devices.add', {}],
    ] as const) {
      const refused = await call(origin, session.cookie, op, request);
      expect(refused.body.error?.name, op).toBe('forbidden');
    }
    // Nothing was imported or added behind the refusals.
    expect((await call(origin, session.cookie, 'jobs.list', {})).body.result).toEqual([]);
    const listed = await runCli(['users', 'list', '--json'], { env });
    expect(listed.stdout).not.toContain('mallory');
    // Uploads are the browser's file picker: not for a viewer either.
    const upload = await fetch(`${origin}/api/upload?name=x`, {
      method: 'PUT',
      headers: { origin, cookie: session.cookie },
      body: 'x',
    });
    expect(upload.status).toBe(403);
  }, 60_000);

  it('an operator imports and reaches the deploy operations, but cannot manage accounts', async () => {
    const session = await login(origin, 'otto', PASSWORDS.otto);
    expect(session.status).toBe(303);
    const started = await call(origin, session.cookie, 'imports.start', {
      sources: [{ kind: 'demo' }],
    });
    expect(started.body).toMatchObject({ ok: true, result: { jobId: expect.any(String) } });
    // Past the role check: the core reads the request (this one is incomplete).
    const deploy = await call(origin, session.cookie, 'deploy.start', {});
    expect(deploy.body.error?.name).toBe('invalid-request');
    const plan = await call(origin, session.cookie, 'deploy.plan', {});
    expect(plan.body.error?.name).toBe('invalid-request');
    const users = await call(origin, session.cookie, 'users.list', {});
    expect(users.body.error).toMatchObject({
      name: 'forbidden',
      details: { role: 'operator', needs: 'admin' },
    });
  }, 60_000);

  it('an admin manages accounts; a removed account or a changed password ends its sessions at once', async () => {
    const admin = await login(origin, 'ada', PASSWORDS.ada);
    const added = await call(origin, admin.cookie, 'users.add', {
      name: 'temp',
      role: 'viewer',
      password: 'temporary password',
    });
    expect(added.body).toMatchObject({ ok: true, result: { name: 'temp', role: 'viewer' } });
    expect(JSON.stringify(added.body)).not.toContain('temporary password');
    const short = await call(origin, admin.cookie, 'users.add', {
      name: 'short',
      role: 'viewer',
      password: 'short',
    });
    expect(short.body.error?.name).toBe('invalid-request');

    const temp = await login(origin, 'temp', 'temporary password');
    expect((await call(origin, temp.cookie, 'catalog.list', {})).status).toBe(200);
    const changed = await call(origin, admin.cookie, 'users.setPassword', {
      name: 'temp',
      password: 'another temporary password',
    });
    expect(changed.body).toMatchObject({ ok: true });
    expect((await call(origin, temp.cookie, 'catalog.list', {})).status).toBe(401);
    const temp2 = await login(origin, 'temp', 'another temporary password');
    expect(temp2.location).toBe('/');
    expect((await call(origin, admin.cookie, 'users.remove', { name: 'temp' })).body).toEqual({
      ok: true,
      result: {},
    });
    expect((await call(origin, temp2.cookie, 'catalog.list', {})).status).toBe(401);
    expect(
      (await call(origin, admin.cookie, 'users.remove', { name: 'ada' })).body.error?.name,
    ).toBe('refused');
  }, 60_000);

  it('refuses a wrong password after a pause, and turns further guesses away, the right password too', async () => {
    const started = performance.now();
    const wrong = await login(origin, 'bob', 'not the password');
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(wrong).toMatchObject({ status: 303, location: '/login?notice=failed', setCookie: '' });
    const unknown = await login(origin, 'nobody', 'not the password');
    expect(unknown.location).toBe('/login?notice=failed');
    for (let i = 0; i < 4; i++) await login(origin, 'bob', `guess ${i}`);
    const right = await login(origin, 'bob', PASSWORDS.bob);
    expect(right).toMatchObject({ location: '/login?notice=locked', setCookie: '' });
    // Another account from elsewhere is not locked by bob's guesses.
    expect((await login(origin, 'otto', PASSWORDS.otto)).location).toBe('/');
  }, 60_000);

  it('logs out: the session ends on the host, the cookie is cleared', async () => {
    const session = await login(origin, 'otto', PASSWORDS.otto);
    const out = await fetch(`${origin}/api/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin, cookie: session.cookie },
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login?notice=logged-out');
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await call(origin, session.cookie, 'catalog.list', {})).status).toBe(401);
  }, 60_000);

  it('refuses a login posted from another site, and events without a session', async () => {
    const res = await fetch(`${origin}/api/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://evil.example',
      },
      body: new URLSearchParams({ name: 'otto', password: PASSWORDS.otto }).toString(),
    });
    expect(res.status).toBe(403);
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/api/events`, { origin });
    const status = await new Promise<number | undefined>((resolve) => {
      ws.on('unexpected-response', (_req, r) => resolve(r.statusCode));
      ws.on('open', () => resolve(101));
      ws.on('error', () => resolve(undefined));
    });
    expect(status).toBe(401);
  }, 60_000);

  it('ends a session after its idle time (--session-idle), and says so at the login page', async () => {
    const short = await startServe(home, ['--session-idle', '2s']);
    running.push(short);
    const at = new URL(short.url).origin;
    const session = await login(at, 'vera', PASSWORDS.vera);
    expect((await call(at, session.cookie, 'catalog.list', {})).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_500));
    const late = await call(at, session.cookie, 'catalog.list', {});
    expect(late).toEqual({
      status: 401,
      body: { error: 'your session ended: log in again', login: '/login?notice=expired' },
    });
    const session2 = await login(at, 'vera', PASSWORDS.vera);
    await new Promise((r) => setTimeout(r, 2_500));
    const page = await fetch(`${at}/`, {
      headers: { cookie: session2.cookie },
      redirect: 'manual',
    });
    expect(page.headers.get('location')).toBe('/login?notice=expired');
  }, 120_000);

  it('users commands: usage and refusals in plain words, with their exit codes', async () => {
    const noTerminal = await runCli(['users', 'add', 'carl', '--role', 'viewer'], { env });
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toContain('pipe it to --password-stdin');
    const badRole = await runCli(['users', 'add', 'carl', '--role', 'root', '--password-stdin'], {
      env,
      input: 'a long enough password\n',
    });
    expect(badRole).toMatchObject({ code: 2 });
    expect(badRole.stderr).toContain('a role is viewer, operator or admin');
    const twice = await runCli(['users', 'add', 'vera', '--role', 'viewer', '--password-stdin'], {
      env,
      input: 'a long enough password\n',
    });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('there is already an account named vera');
    const missing = await runCli(['users', 'remove', 'nobody', '--yes'], { env });
    expect(missing.code).toBe(1);
    const passwd = await runCli(['users', 'passwd', 'bob', '--password-stdin'], {
      env,
      input: 'bob new password 5\n',
    });
    expect(passwd.code).toBe(0);
    expect(passwd.stdout + passwd.stderr).not.toContain('bob new password');
  }, 120_000);
});
