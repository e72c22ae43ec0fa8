import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, statSync } from 'node:fs';
import http from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { FilePurpose } from '../../shared/contract/picked-file';
import { CallMessage, WIRE } from '../../shared/contract/wire';
import type { AppCore } from '../core/contract-handlers/app-core-api';

export interface WebHostOptions {
  core: AppCore;
  /** 127.0.0.1 unless the engineer asked for another address. */
  host: string;
  port: number;
  /** The built renderer (index.html and its assets). */
  rendererDir: string;
  /** Required on every request when set (off loopback). */
  token?: string;
}

export interface WebHost {
  url: string;
  close(): Promise<void>;
}

const MAX_CALL_BYTES = 4 * 1024 * 1024;
const TOKEN_COOKIE = 'commissioner_token';

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

/** The desktop app's CSP, with the host's own WebSocket allowed. */
export function contentSecurityPolicy(origin: string): string {
  const ws = origin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${ws}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * The browser host: the same UI and core as the desktop app, over HTTP and a WebSocket. It
 * serves the built renderer with the desktop app's CSP, carries contract calls (`POST
 * /api/call`), events (`/api/events`) and uploads (`PUT /api/upload`, the browser's way of
 * picking files). Off loopback every request must carry the access token; requests from
 * another origin are refused (no site the engineer visits can drive it).
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { core } = options;
  const root = resolve(options.rendererDir);
  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, { error: (e as Error).message });
      else res.destroy();
    });
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  let origin = '';

  const authorized = (req: http.IncomingMessage, url: URL): boolean => {
    if (!options.token) return true;
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const cookie = new RegExp(`(?:^|;\\s*)${TOKEN_COOKIE}=([^;]+)`).exec(
      req.headers.cookie ?? '',
    )?.[1];
    const given = bearer ?? url.searchParams.get('token') ?? cookie;
    return given !== undefined && given !== null && same(given, options.token);
  };
  /**
   * The Host header must name this host (a page on another site that rebinds its DNS name to
   * this address is refused), and a browser's Origin (sent on POST, PUT, WebSocket) must be
   * that same host.
   */
  let allowedHosts = new Set<string>();
  const knownHost = (req: http.IncomingMessage): boolean =>
    allowedHosts.has((req.headers.host ?? '').toLowerCase());
  const sameOrigin = (req: http.IncomingMessage): boolean =>
    req.headers.origin === undefined || req.headers.origin === `http://${req.headers.host}`;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (!knownHost(req)) {
      json(res, 421, { error: `this Commissioner answers as ${origin} only` });
      return;
    }
    if (!authorized(req, url)) {
      json(res, 401, {
        error: 'this Commissioner needs its access token: open the URL it printed',
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && !sameOrigin(req)) {
      json(res, 403, { error: 'requests from another site are refused' });
      return;
    }
    if (url.pathname === WIRE.call && req.method === 'POST') return callOperation(req, res);
    if (url.pathname === WIRE.upload && req.method === 'PUT') return upload(req, res, url);
    if (url.pathname === WIRE.uploadDone && req.method === 'POST') return uploadDone(res, url);
    if (req.method === 'GET' || req.method === 'HEAD') return serveFile(req, res, url);
    json(res, 405, { error: `${req.method} ${url.pathname} is not served here` });
  }

  async function callOperation(req: http.IncomingMessage, res: http.ServerResponse) {
    const body = await readBody(req, MAX_CALL_BYTES).catch(() => undefined);
    let message: CallMessage | undefined;
    try {
      message =
        body === undefined ? undefined : CallMessage.parse(JSON.parse(body.toString('utf8')));
    } catch {
      message = undefined;
    }
    if (!message) {
      json(res, 400, {
        ok: false,
        error: {
          name: 'invalid-request',
          message: 'a call is {op, request} as JSON',
          details: { issues: [{ path: '', message: 'not a call' }] },
        },
      });
      return;
    }
    json(res, 200, await core.call(message.op, message.request));
  }

  /** One upload: a file, or one file of a folder (`group` + `path`). */
  async function upload(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const purpose = FilePurpose.safeParse(url.searchParams.get('purpose'));
    const name = safeSegment(url.searchParams.get('name') ?? '');
    const group = url.searchParams.get('group');
    if (!purpose.success || !name) {
      json(res, 400, { error: 'an upload names its purpose and file name' });
      return;
    }
    if (group !== null) {
      const relative = safeRelative(url.searchParams.get('path') ?? '');
      if (!/^[0-9a-f-]{8,64}$/i.test(group) || !relative) {
        json(res, 400, { error: 'a folder upload names its group and a relative path inside it' });
        return;
      }
      const target = join(core.uploadsDir, group, name, relative);
      mkdirSync(join(target, '..'), { recursive: true });
      await pipeline(req, createWriteStream(target, { mode: 0o600 }));
      json(res, 200, { ok: true });
      return;
    }
    const dir = join(core.uploadsDir, randomUUID());
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, name);
    await pipeline(req, createWriteStream(path, { mode: 0o600 }));
    const picked = core.registerPicked({ path, kind: 'file' }, name);
    json(res, 200, { ...picked, size: statSync(path).size });
  }

  async function uploadDone(res: http.ServerResponse, url: URL) {
    const group = url.searchParams.get('group') ?? '';
    const name = safeSegment(url.searchParams.get('name') ?? '');
    const dir = name ? join(core.uploadsDir, group, name) : '';
    if (!/^[0-9a-f-]{8,64}$/i.test(group) || !name || !isDirectory(dir)) {
      json(res, 400, { error: 'no such folder upload' });
      return;
    }
    json(res, 200, core.registerPicked({ path: dir, kind: 'folder' }, name));
  }

  async function serveFile(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    if (options.token && url.searchParams.get('token')) {
      // The page URL carries the token once; the cookie carries it for assets afterwards.
      res.setHeader(
        'Set-Cookie',
        `${TOKEN_COOKIE}=${options.token}; HttpOnly; SameSite=Strict; Path=/`,
      );
    }
    const wanted = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
    const path = normalize(join(root, wanted));
    const file = path.startsWith(root + sep) && isFile(path) ? path : join(root, 'index.html');
    if (!isFile(file)) {
      json(res, 503, { error: 'the UI is not built: run npm run serve (it builds it)' });
      return;
    }
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': contentSecurityPolicy(`http://${req.headers.host}`),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await pipeline(createReadStream(file), res);
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    if (
      url.pathname !== WIRE.events ||
      !knownHost(req) ||
      !authorized(req, url) ||
      !sameOrigin(req)
    ) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const unsubscribe = core.onEvent((m) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
      });
      const ping = setInterval(() => ws.ping(), 15_000);
      ws.on('close', () => {
        clearInterval(ping);
        unsubscribe();
      });
      ws.on('error', () => ws.terminate());
    });
  });

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host, () => done());
  });
  const address = server.address() as { port: number };
  const hostText = options.host.includes(':') ? `[${options.host}]` : options.host;
  origin = `http://${hostText}:${address.port}`;
  const loopback = ['127.0.0.1', 'localhost', '[::1]'];
  allowedHosts = new Set(
    (loopback.includes(hostText) ? loopback : [hostText]).map((h) =>
      `${h}:${address.port}`.toLowerCase(),
    ),
  );
  return {
    url: options.token ? `${origin}/?token=${options.token}` : `${origin}/`,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** One path segment a browser named: no separators, no `..`, not empty. */
function safeSegment(name: string): string | undefined {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base && base !== '.' && base !== '..' && !base.includes('\0') ? base : undefined;
}

/** A relative path inside an upload: every segment safe, nothing absolute. */
function safeRelative(path: string): string | undefined {
  const parts = path.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.some((p) => p === '..' || p.includes('\0'))) return undefined;
  return parts.join('/');
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
