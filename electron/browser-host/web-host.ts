import { createReadStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { CallMessage, WIRE } from '../../shared/contract/wire';
import type { AppCore } from '../core/contract-handlers/app-core-api';
import { removeDownloadFile } from '../core/contract-handlers/downloads';
import { advertisedHost, reachableNames } from '../core/margo-server/wfm-server';
import type { Caller } from '../../shared/contract/roles';
import { roleAllows } from '../../shared/contract/roles';
import { AccessGate, refuseAccess } from './access-gate';
import { AccountDoor } from './account-door';
import { LOGIN_PATHS, serveLoginPage, serveLoginStyle } from './login-page';
import { RendererFiles } from './renderer-files';
import type { ThrottleOptions } from './login-throttle';
import type { SessionLimits } from './sessions';
import { DEFAULT_MAX_UPLOAD, UploadReceiver } from './upload-receiver';

export interface WebHostOptions {
  core: AppCore;
  /** 127.0.0.1 unless the engineer asked for another address. */
  host: string;
  port: number;
  /** The built renderer (index.html and its assets). */
  rendererDir: string;
  /** The access token every request must show (the printed URL, then a cookie). */
  token: string;
  /** HTTPS with this key and certificate (off loopback); plain HTTP without. */
  tls?: { key: string; cert: string };
  /** The largest upload (a file, or a folder's files together); 16 GiB when absent. */
  maxUploadBytes?: number;
  /** With named accounts: how long a session lasts (30 minutes idle, 12 hours in all by default). */
  sessionLimits?: SessionLimits;
  /** With named accounts: how wrong passwords are slowed (tests shorten the lockout). */
  loginThrottle?: ThrottleOptions;
}

export interface WebHost {
  /** The URL to open, with the access token: printed once, never logged elsewhere. */
  url: string;
  /** The same without the token, `http(s)://host:port`. */
  origin: string;
  close(): Promise<void>;
}

const MAX_CALL_BYTES = 4 * 1024 * 1024;

/** The desktop app's CSP, with the host's own WebSocket allowed (wss:// under HTTPS). */
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
 * The browser host: the same UI and core as the desktop app, over HTTP(S) and a WebSocket. It
 * serves the built renderer with the desktop app's CSP, carries contract calls (`POST
 * /api/call`), events (`/api/events`), uploads (`PUT /api/upload`, the browser's way of
 * picking files) and one-time downloads (`GET /api/download`, e.g. a Margo client's bundle). Every request must show the access token (loopback included: other users of
 * the station reach it too), requests naming another host are refused (DNS rebinding), and
 * writes and WebSockets from another origin are refused (no site the engineer visits can
 * drive it).
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { core } = options;
  const files = new RendererFiles(resolve(options.rendererDir));
  const scheme = options.tls ? 'https' : 'http';
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, { error: (e as Error).message });
      else res.destroy();
    });
  };
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler)
    : http.createServer(handler);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const uploads = new UploadReceiver(core, options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD);
  let origin = '';
  // Made once listening: the cookie's name carries the port.
  let gate: AccessGate | undefined = undefined;
  let door: AccountDoor | undefined = undefined;

  /**
   * The Host header must name this host (a page on another site that rebinds its DNS name to
   * this address is refused), and a browser's Origin (sent on POST, PUT, WebSocket) must be
   * that same host.
   */
  let allowedHosts = new Set<string>();
  const knownHost = (req: http.IncomingMessage): boolean =>
    allowedHosts.has((req.headers.host ?? '').toLowerCase());
  const sameOrigin = (req: http.IncomingMessage): boolean =>
    req.headers.origin === undefined || req.headers.origin === `${scheme}://${req.headers.host}`;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (!knownHost(req)) {
      json(res, 421, { error: `this Commissioner answers as ${origin} only` });
      return;
    }
    // Named accounts, once there are any (also added while running): a login instead of the token.
    if (door && core.accounts.any()) return handleWithAccounts(door, req, res, url);
    const admission = gate?.admit(req, url) ?? 'refused';
    if (admission === 'refused') return refuseAccess(res, url);
    if (admission === 'entry') return gate?.enter(res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD' && !sameOrigin(req)) {
      json(res, 403, { error: 'requests from another site are refused' });
      return;
    }
    return route(req, res, url, undefined);
  }

  async function handleWithAccounts(
    door: AccountDoor,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ): Promise<void> {
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    if (write && !sameOrigin(req)) {
      json(res, 403, { error: 'requests from another site are refused' });
      return;
    }
    if (url.pathname === LOGIN_PATHS.page && !write) return serveLoginPage(res, url);
    if (url.pathname === LOGIN_PATHS.style && !write) return serveLoginStyle(res);
    if (url.pathname === LOGIN_PATHS.login && req.method === 'POST') return door.login(req, res);
    if (url.pathname === LOGIN_PATHS.logout && req.method === 'POST') return door.logout(req, res);
    const admission = door.admit(req);
    if (admission.state !== 'open') {
      if (url.pathname.startsWith('/api/')) {
        // `login` tells the page where to send the person (its transport follows it).
        json(res, 401, {
          error:
            admission.state === 'expired'
              ? 'your session ended: log in again'
              : 'this Commissioner has accounts: log in first',
          login: `${LOGIN_PATHS.page}${admission.state === 'expired' ? '?notice=expired' : ''}`,
        });
        return;
      }
      res.writeHead(303, {
        Location: `${LOGIN_PATHS.page}${admission.state === 'expired' ? '?notice=expired' : ''}`,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    return route(req, res, url, admission.caller);
  }

  async function route(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    caller: Caller | undefined,
  ): Promise<void> {
    if (url.pathname === WIRE.call && req.method === 'POST') return callOperation(req, res, caller);
    // An upload is the browser's way of picking a file: only for who may pick one (an
    // operator imports, an admin adds trust material), so a viewer cannot fill the disk.
    const mayUpload = !caller || roleAllows(caller.role, 'files.pick');
    if ((url.pathname === WIRE.upload || url.pathname === WIRE.uploadDone) && !mayUpload) {
      json(res, 403, {
        error: `${caller?.account} may not upload files: ask an admin for the operator role`,
      });
      return;
    }
    if (url.pathname === WIRE.upload && req.method === 'PUT') return uploads.upload(req, res, url);
    if (url.pathname === WIRE.uploadDone && req.method === 'POST') {
      return uploads.done(req, res, url);
    }
    if (url.pathname === WIRE.download && req.method === 'GET') {
      return serveDownload(res, url);
    }
    if (req.method === 'GET' || req.method === 'HEAD') return serveFile(req, res, url);
    json(res, 405, { error: `${req.method} ${url.pathname} is not served here` });
  }

  async function callOperation(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    caller: Caller | undefined,
  ) {
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
    // The core names the caller's account in the operation's audit entry.
    json(res, 200, await core.call(message.op, message.request, caller));
  }

  /**
   * A file an operation made for this browser (a Margo client's bundle as a .zip, a backup), once. Past
   * the access gate like every `/api/*` request; the download's own token only names it.
   */
  async function serveDownload(res: http.ServerResponse, url: URL) {
    const download = core.takeDownload(url.searchParams.get('token') ?? '');
    if (!download) {
      json(res, 410, {
        error:
          'this download is gone: it is handed out once, for five minutes. Make it again (the client bundle, the report or the backup).',
      });
      return;
    }
    const size = download.file?.size ?? download.bytes?.length ?? 0;
    res.writeHead(200, {
      'Content-Type': download.mediaType,
      'Content-Length': size,
      // The names come from the core (a client id: letters, digits, . _ ~ -), quoted anyway.
      'Content-Disposition': `attachment; filename="${download.name.replace(/["\\\r\n]/g, '_')}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    if (!download.file) {
      res.end(download.bytes);
      return;
    }
    // A backup: streamed from the file made for it, which goes once sent (or abandoned).
    const sent = pipeline(createReadStream(download.file.path), res);
    await sent.catch(() => undefined).finally(() => removeDownloadFile(download));
  }

  function serveFile(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      json(res, 400, { error: `${url.pathname} is not a valid address` });
      return;
    }
    const file = files.get(pathname, req.headers['accept-encoding']);
    if (!file) {
      json(res, 503, { error: 'the UI is not built: run npm run serve (it builds it)' });
      return;
    }
    res.writeHead(file.status, {
      ...file.headers,
      'Content-Length': file.body.length,
      'Content-Security-Policy': contentSecurityPolicy(`${scheme}://${req.headers.host}`),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    const admitted =
      door && core.accounts.any()
        ? door.admit(req).state === 'open'
        : gate?.admit(req, url) === 'cookie';
    if (url.pathname !== WIRE.events || !knownHost(req) || !admitted || !sameOrigin(req)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
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
  gate = new AccessGate(options.token, address.port, options.tls !== undefined);
  door = new AccountDoor(
    core.accounts,
    address.port,
    options.tls !== undefined,
    options.sessionLimits,
    options.loginThrottle,
  );
  const shown = advertisedHost(options.host);
  origin = `${scheme}://${shown}:${address.port}`;
  const loopback = ['127.0.0.1', 'localhost', '[::1]'];
  const names = loopback.includes(shown)
    ? loopback
    : [...new Set([shown, ...reachableNames(options.host)])].map((h) =>
        h.includes(':') ? `[${h}]` : h,
      );
  allowedHosts = new Set(names.map((h) => `${h}:${address.port}`.toLowerCase()));
  return {
    url: `${origin}/?token=${options.token}`,
    origin,
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
