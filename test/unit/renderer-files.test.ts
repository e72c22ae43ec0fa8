import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RendererFiles } from '../../electron/browser-host/renderer-files';
import { precompress } from '../../renderer/precompress';

const ENTRY = 'export const app = "commissioner";\n'.repeat(100);
const INDEX = '<!doctype html><title>Commissioner</title>'.padEnd(2000, ' ');
const CHROMIUM = 'gzip, deflate, br, zstd';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'commissioner-renderer-files-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'assets', 'index-abc123.js'), ENTRY);
  writeFileSync(join(root, 'assets', 'small-def456.js'), 'export {};\n');
  writeFileSync(join(root, '..', `${root.split('/').pop()}-secret.txt`), 'secret');
  // The build's own plugin writes the compressed copies, as `vite build` does.
  const plugin = precompress() as unknown as {
    writeBundle(options: { dir: string }, bundle: Record<string, unknown>): void;
  };
  plugin.writeBundle(
    { dir: root },
    { 'index.html': {}, 'assets/index-abc123.js': {}, 'assets/small-def456.js': {} },
  );
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(`${root}-secret.txt`, { force: true });
});

describe('the browser host serving the built renderer', () => {
  it('answers each file in the smallest encoding the browser takes, written at build time', () => {
    const files = new RendererFiles(root);
    const br = files.get('/assets/index-abc123.js', CHROMIUM);
    expect(br?.headers['Content-Encoding']).toBe('br');
    expect(br?.headers.Vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(br!.body).toString()).toBe(ENTRY);
    expect(br!.body.length).toBeLessThan(ENTRY.length / 10);
    // Chromium over plain HTTP offers no brotli.
    const gzip = files.get('/assets/index-abc123.js', 'gzip, deflate');
    expect(gzip?.headers['Content-Encoding']).toBe('gzip');
    expect(gunzipSync(gzip!.body).toString()).toBe(ENTRY);
    for (const refused of [undefined, 'identity', 'br;q=0, gzip;q=0']) {
      const plain = files.get('/assets/index-abc123.js', refused);
      expect(plain?.headers['Content-Encoding']).toBeUndefined();
      expect(plain?.body.toString()).toBe(ENTRY);
    }
    // Too small to be worth it: no copies, so no Vary either.
    const small = files.get('/assets/small-def456.js', CHROMIUM);
    expect(small?.headers['Content-Encoding']).toBeUndefined();
    expect(small?.headers.Vary).toBeUndefined();
    expect(small?.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
  });

  it('lets the browser keep hashed assets for good, and never index.html, which names them', () => {
    const files = new RendererFiles(root);
    expect(files.get('/assets/index-abc123.js', CHROMIUM)?.headers['Cache-Control']).toBe(
      'private, max-age=31536000, immutable',
    );
    for (const page of ['/', '/index.html']) {
      const index = files.get(page, CHROMIUM);
      expect(index?.headers['Cache-Control']).toBe('no-store');
      expect(index?.headers['Content-Type']).toBe('text/html; charset=utf-8');
      expect(brotliDecompressSync(index!.body).toString()).toBe(INDEX);
    }
  });

  it('gives index.html for client routes, a 404 for an asset of another build, nothing outside', () => {
    const files = new RendererFiles(root);
    expect(brotliDecompressSync(files.get('/deploy', CHROMIUM)!.body).toString()).toBe(INDEX);
    const stale = files.get('/assets/index-old999.js', CHROMIUM);
    expect(stale?.status).toBe(404);
    expect(stale?.body.toString()).toMatch(/not part of this build of the UI: reload the page/);
    const escape = files.get(`/../${root.split('/').pop()}-secret.txt`, undefined);
    expect(escape?.body.toString()).toBe(INDEX);
    rmSync(join(root, 'index.html'));
    expect(files.get('/deploy', CHROMIUM)).toBeNull();
  });

  it('reads a rebuilt file again, and never serves a compressed copy older than its file', () => {
    const files = new RendererFiles(root);
    expect(files.get('/assets/index-abc123.js', undefined)?.body.toString()).toBe(ENTRY);
    const rebuilt = 'export const app = "rebuilt";\n'.repeat(100);
    const js = join(root, 'assets', 'index-abc123.js');
    writeFileSync(js, rebuilt);
    const later = new Date(Date.now() + 60_000);
    utimesSync(js, later, later);
    const answer = files.get('/assets/index-abc123.js', CHROMIUM);
    expect(answer?.headers['Content-Encoding']).toBeUndefined();
    expect(answer?.body.toString()).toBe(rebuilt);
  });
});
