import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAccessToken } from '../../electron/browser-host/access-gate';
import { startWebHost, type WebHost } from '../../electron/browser-host/web-host';
import { createAppCore, type AppCore } from '../../electron/core/contract-handlers/app-core';

/**
 * Uploads through the real browser host over real HTTP: the cap, the free-space check on a real
 * small filesystem (a 4 MiB tmpfs, mounted as root), aborted uploads. Whatever fails leaves
 * nothing in the uploads folder.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-uploads-'));
const MiB = 1024 * 1024;

interface Host {
  core: AppCore;
  web: WebHost;
  cookie: string;
}

async function host(name: string, options: { maxUploadBytes?: number; uploadsDir?: string }) {
  const core = await createAppCore({
    home: join(root, name),
    host: 'browser',
    ...(options.uploadsDir ? { uploadsDir: options.uploadsDir } : {}),
  });
  mkdirSync(join(root, 'ui'), { recursive: true });
  writeFileSync(join(root, 'ui', 'index.html'), '<!doctype html><title>ui</title>');
  const web = await startWebHost({
    core,
    host: '127.0.0.1',
    port: 0,
    rendererDir: join(root, 'ui'),
    token: newAccessToken(),
    ...(options.maxUploadBytes ? { maxUploadBytes: options.maxUploadBytes } : {}),
  });
  const entry = await fetch(web.url, { redirect: 'manual' });
  return { core, web, cookie: (entry.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
}

interface Sent {
  status: number;
  body: { error?: { name: string; message: string }; ok?: boolean; token?: string };
  /** Bytes written before the answer came. */
  written: number;
}

/**
 * One PUT, written chunk by chunk (64 KiB) until `size` bytes or until the host answers,
 * whichever comes first; `declared` is the Content-Length (none: chunked). `abortAfter` closes
 * the connection after that many bytes, as a browser that goes away does.
 */
function put(
  h: Host,
  query: string,
  options: {
    size: number;
    declared?: number;
    abortAfter?: number;
    /** Awaited before the abort: what must be true on the host's side by then. */
    beforeAbort?: () => Promise<void>;
  },
): Promise<Sent> {
  const url = new URL(`/api/upload?${query}`, h.web.origin);
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = http.request(url, {
      method: 'PUT',
      headers: {
        cookie: h.cookie,
        origin: h.web.origin,
        ...(options.declared !== undefined ? { 'content-length': String(options.declared) } : {}),
      },
    });
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Sent['body'], written }),
      );
    });
    req.on('error', (e) => {
      if (options.abortAfter !== undefined) resolve({ status: 0, body: {}, written });
      else if (!answered) reject(e);
    });
    const chunk = Buffer.alloc(64 * 1024, 7);
    const next = () => {
      if (answered) return;
      if (options.abortAfter !== undefined && written >= options.abortAfter) {
        void (options.beforeAbort?.() ?? Promise.resolve()).then(() => req.destroy());
        return;
      }
      if (written >= options.size) {
        req.end();
        return;
      }
      const piece = chunk.subarray(0, Math.min(chunk.length, options.size - written));
      written += piece.length;
      if (req.write(piece)) setImmediate(next);
      else req.once('drain', next);
    };
    if (options.size === 0) req.flushHeaders();
    else next();
  });
}

/** Everything under a folder, as relative paths (empty: nothing was kept). */
function contents(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String);
}

async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

let capped: Host;

beforeAll(async () => {
  capped = await host('capped', { maxUploadBytes: 1 * MiB });
}, 60_000);

afterAll(async () => {
  await capped?.web.close();
  await capped?.core.close();
  rmSync(root, { recursive: true, force: true });
});

describe('uploads through the browser host', { timeout: 60_000 }, () => {
  it('takes a file up to the cap and answers a token for it', async () => {
    const sent = await put(capped, 'purpose=import-kit&name=kit.tar', {
      size: MiB,
      declared: MiB,
    });
    expect(sent.status).toBe(200);
    expect(sent.body.token).toEqual(expect.any(String));
    expect(contents(capped.core.uploadsDir).some((p) => p.endsWith('kit.tar'))).toBe(true);
  });

  it('refuses a file over the cap from its Content-Length, before its body is read', async () => {
    const before = contents(capped.core.uploadsDir);
    // Headers only: the answer comes although not one byte of the 10 GiB is sent.
    const sent = await put(capped, 'purpose=import-kit&name=huge.tar', {
      size: 0,
      declared: 10 * 1024 * MiB,
    });
    expect(sent.status).toBe(413);
    expect(sent.body.error).toEqual({
      name: 'refused',
      message:
        'huge.tar is larger than the 1 MiB this Commissioner takes in one upload: whoever started it can raise the limit',
      details: { reasons: ['larger than 1 MiB'] },
    });
    expect(contents(capped.core.uploadsDir)).toEqual(before);
  });

  it('stops a body that runs past the cap without saying its length, and keeps nothing of it', async () => {
    const before = contents(capped.core.uploadsDir);
    const sent = await put(capped, 'purpose=import-kit&name=chunked.tar', { size: 64 * MiB });
    expect(sent.status).toBe(413);
    expect(sent.body.error?.name).toBe('refused');
    expect(sent.written).toBeLessThan(64 * MiB);
    expect(await until(() => contents(capped.core.uploadsDir).length === before.length)).toBe(true);
  });

  it('counts a folder’s files together, and removes the whole folder when one is refused', async () => {
    const group = 'a1b2c3d4e5f6';
    const file = (n: number) =>
      put(capped, `purpose=import-folder&name=pkg&group=${group}&path=f${n}.bin`, {
        size: 400 * 1024,
        declared: 400 * 1024,
      });
    expect((await file(1)).status).toBe(200);
    expect((await file(2)).status).toBe(200);
    expect(contents(capped.core.uploadsDir)).toContain(join(group, 'pkg', 'f2.bin'));
    const third = await file(3);
    expect(third.status).toBe(413);
    expect(third.body.error?.message).toContain('the folder pkg is larger than the 1 MiB');
    expect(contents(capped.core.uploadsDir).filter((p) => p.startsWith(group))).toEqual([]);
    // The folder is over: later files and its completion are refused.
    expect((await file(4)).status).toBe(409);
    const done = await fetch(
      `${capped.web.origin}/api/upload/done?group=${group}&name=pkg&purpose=import-folder`,
      { method: 'POST', headers: { cookie: capped.cookie } },
    );
    expect(done.status).toBe(400);
  });

  it('removes what an aborted upload had written', async () => {
    const before = contents(capped.core.uploadsDir).length;
    const partial = () => contents(capped.core.uploadsDir).some((p) => p.endsWith('aborted.tar'));
    const sent = await put(capped, 'purpose=import-kit&name=aborted.tar', {
      size: MiB,
      declared: MiB,
      abortAfter: 512 * 1024,
      // The partial file is there before the browser goes away.
      beforeAbort: async () => {
        expect(await until(partial)).toBe(true);
      },
    });
    expect(sent.status).toBe(0);
    expect(await until(() => contents(capped.core.uploadsDir).length === before)).toBe(true);
    expect(partial()).toBe(false);
  });
});

describe('uploads and free space', { timeout: 60_000 }, () => {
  const mount = join(root, 'small-disk');
  let small: Host | undefined;
  const asRoot = process.getuid?.() === 0;

  beforeAll(async () => {
    if (!asRoot) return;
    mkdirSync(mount, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', mount]);
    small = await host('small', { uploadsDir: mount });
  }, 60_000);

  afterAll(async () => {
    await small?.web.close();
    await small?.core.close();
    if (asRoot) execFileSync('umount', [mount]);
  });

  it('refuses before the body what the data home has no room for; a full disk mid-upload leaves nothing', async (context) => {
    if (!small) {
      console.log('skipped: mounting a small filesystem (tmpfs) needs root');
      context.skip();
      return;
    }
    const early = await put(small, 'purpose=import-kit&name=big.tar', {
      size: 0,
      declared: 8 * MiB,
    });
    expect(early.status).toBe(507);
    expect(early.body.error?.name).toBe('storage');
    expect(early.body.error?.message).toMatch(
      /^the data folder of this Commissioner has [\d.]+ MiB free, not enough for big\.tar \(8 MiB\): free some space there, then upload again$/,
    );
    expect(contents(mount)).toEqual([]);

    // No length given: the disk fills up on the way; the partial file goes.
    const full = await put(small, 'purpose=import-kit&name=filling.tar', { size: 8 * MiB });
    expect(full.status).toBe(507);
    expect(full.body.error?.message).toContain('filled up while filling.tar was uploaded');
    expect(contents(mount)).toEqual([]);

    // What fits still goes in.
    const fits = await put(small, 'purpose=import-kit&name=fits.tar', {
      size: MiB,
      declared: MiB,
    });
    expect(fits.status).toBe(200);
  });
});
