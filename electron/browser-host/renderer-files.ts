import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/** Vite names every file under assets/ after a hash of its content: a name never changes meaning. */
const HASHED = `${sep}assets${sep}`;
/** A year, the longest `max-age` browsers keep: a new build has new names anyway. */
const HASHED_CACHE = 'private, max-age=31536000, immutable';

/** The variants the renderer's build writes beside a file (renderer/precompress.ts), best first. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

export interface RendererFile {
  status: 200 | 404;
  headers: Record<string, string>;
  body: Buffer;
}

interface Cached {
  /** The file's identity when read: a rebuilt renderer is read again. */
  stamp: string;
  type: string;
  identity: Buffer;
  encoded: { name: string; body: Buffer }[];
}

function statOf(path: string): { stamp: string; mtimeMs: number } | null {
  try {
    const stat = statSync(path);
    return stat.isFile() ? { stamp: `${stat.size}:${stat.mtimeMs}`, mtimeMs: stat.mtimeMs } : null;
  } catch {
    return null;
  }
}

/** Which of `name` the browser said it takes (`Accept-Encoding`, q=0 meaning no). */
function accepts(header: string | undefined, name: string): boolean {
  for (const part of (header ?? '').toLowerCase().split(',')) {
    const [coding, ...params] = part.trim().split(';');
    if (coding !== name && coding !== '*') continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return q === undefined || Number(q) > 0;
  }
  return false;
}

/**
 * The built renderer as the browser host serves it: from memory after the first request, each
 * file in the smallest encoding the browser takes (brotli, then gzip, written at build time),
 * hashed assets cached by the browser for good (a new build has new names), index.html never
 * (it names the current build's assets). An address without a file is a client route: it gets
 * index.html; a missing asset (a page of an older build asking for its chunk) gets a 404, never
 * index.html in its place.
 */
export class RendererFiles {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly root: string) {}

  /** `pathname` decoded; null when it names no file of the renderer and no client route. */
  get(pathname: string, acceptEncoding: string | undefined): RendererFile | null {
    const wanted = pathname === '/' ? '/index.html' : pathname;
    const path = normalize(join(this.root, wanted));
    const inside = path.startsWith(this.root + sep);
    let file = inside ? this.read(path) : null;
    let served = path;
    if (!file) {
      if (inside && path.startsWith(this.root + HASHED)) return notFound(wanted);
      served = join(this.root, 'index.html');
      file = this.read(served);
      if (!file) return null;
    }
    const encoding = file.encoded.find((e) => accepts(acceptEncoding, e.name));
    const headers: Record<string, string> = {
      'Content-Type': file.type,
      'Cache-Control': served.startsWith(this.root + HASHED) ? HASHED_CACHE : 'no-store',
    };
    // Caches (the browser's own) must keep the encodings apart.
    if (file.encoded.length > 0) headers.Vary = 'Accept-Encoding';
    if (encoding) headers['Content-Encoding'] = encoding.name;
    return { status: 200, headers, body: encoding?.body ?? file.identity };
  }

  private read(path: string): Cached | null {
    const stat = statOf(path);
    if (!stat) return null;
    const cached = this.cache.get(path);
    if (cached?.stamp === stat.stamp) return cached;
    const fresh: Cached = {
      stamp: stat.stamp,
      type: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      identity: readFileSync(path),
      encoded: ENCODINGS.flatMap(({ name, suffix }) => {
        // A variant older than its file is from another build: not served.
        const variant = statOf(path + suffix);
        if (!variant || variant.mtimeMs < stat.mtimeMs) return [];
        return [{ name, body: readFileSync(path + suffix) }];
      }),
    };
    this.cache.set(path, fresh);
    return fresh;
  }
}

function notFound(wanted: string): RendererFile {
  return {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    body: Buffer.from(
      `${wanted} is not part of this build of the UI: reload the page to load the current one.\n`,
    ),
  };
}
