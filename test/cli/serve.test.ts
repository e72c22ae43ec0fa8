import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../electron/browser-host/ensure-renderer';
import { startServe, type ServeProcess } from '../support/serve-process';

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

  it('prints the URL on a line of its own and serves the app there, with the CSP', async () => {
    const serve = await startServe(join(root, 'home'));
    running.push(serve);
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(serve.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
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

  it('another address needs the flag and gets a token; requests without it get 401', async () => {
    const serve = await startServe(join(root, 'shared'), ['--host', '127.0.0.2']);
    running.push(serve);
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/\?token=[\w-]{20,}$/);
    const bare = new URL(serve.url);
    bare.search = '';
    expect((await fetch(bare)).status).toBe(401);
    expect((await fetch(serve.url)).status).toBe(200);
  }, 120_000);

  it('usage errors exit 2', () => {
    const bad = serveSync(['--port', 'eighty']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--port eighty is not a port number');
  }, 120_000);
});
