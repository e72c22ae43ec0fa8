import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { protocol } from 'electron';

/**
 * The renderer is served from `app://commissioner/…`, a privileged custom scheme, instead of
 * file://: the page gets a real origin (so `'self'` in the CSP means our files only), the CSP
 * travels as a response header on every file, Vite's absolute asset paths resolve, and only
 * the files under out/renderer can ever be read (file:// would expose the whole disk).
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'commissioner';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** No eval, no remote code; emotion (MUI) injects <style> elements, hence inline styles. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // corsEnabled: Vite emits `<script type="module" crossorigin>`, a CORS-mode fetch.
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
    },
  ]);
}

/** True for the app's own pages (`app://commissioner/…`). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    // Not `origin`: Node's URL gives "null" as the origin of a non-special scheme.
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

function answer(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    },
  });
}

async function readInside(root: string, pathname: string): Promise<Uint8Array | null> {
  const wanted = pathname === '/' ? 'index.html' : pathname.slice(1);
  const file = resolve(root, wanted);
  const inside = relative(root, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside))
    return null;
  try {
    return new Uint8Array(await readFile(file));
  } catch {
    return null;
  }
}

/**
 * Serves `root` (out/renderer) on the app scheme: GET/HEAD only, no path outside it (`..`,
 * encoded separators and absolute paths resolve outside and are refused), every answer with
 * the CSP. A path without an extension that names no file gets index.html (client routes).
 */
export function serveRenderer(root: string): void {
  const base = resolve(root);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return answer(404, 'not found');
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return answer(405, 'method not allowed');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return answer(400, 'bad path');
    }
    if (pathname.includes('\0')) return answer(400, 'bad path');
    let servedPath = pathname === '/' ? '/index.html' : pathname;
    let body = await readInside(base, pathname);
    if (body === null && extname(pathname) === '') {
      servedPath = '/index.html';
      body = await readInside(base, servedPath);
    }
    if (body === null) {
      return answer(
        404,
        servedPath === '/index.html'
          ? `the renderer is not built: ${join(base, 'index.html')} is missing (npm start builds it)`
          : `not found: ${pathname}`,
      );
    }
    const ext = extname(servedPath).toLowerCase();
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        'Content-Type': MIME_TYPES[ext] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  });
}
