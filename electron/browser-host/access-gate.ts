import { randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { tokenCookieName } from '../../shared/contract/wire';

/** 256 bits: as hard to guess as the host's TLS key. */
export function newAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What a request shows of the access token. */
export type Admission =
  /** The cookie carries the token. */
  | 'cookie'
  /** A page load with the token in its address (the printed URL): set the cookie, redirect. */
  | 'entry'
  | 'refused';

/**
 * The browser host's access token, on every request, loopback included (other users of the
 * station reach loopback too). The printed URL carries it once: that page load sets an
 * HttpOnly, SameSite=Strict cookie (Secure on HTTPS) and is redirected to the address without
 * it, so it stays in neither the address bar nor the history; every later request carries only
 * the cookie. `/api/*` (calls, uploads, events) never takes the token from its address, where
 * logs, proxies and Referer headers would see it.
 */
export class AccessGate {
  readonly cookieName: string;
  private readonly expected: Buffer;

  constructor(
    private readonly token: string,
    port: number,
    private readonly secure: boolean,
  ) {
    this.cookieName = tokenCookieName(port);
    this.expected = Buffer.from(token);
  }

  admit(req: http.IncomingMessage, url: URL): Admission {
    const page =
      (req.method === 'GET' || req.method === 'HEAD') && !url.pathname.startsWith('/api/');
    // The printed URL opened again: its token leaves the address bar even with the cookie set.
    if (page && this.matches(url.searchParams.get('token') ?? undefined)) return 'entry';
    if (this.matches(cookieValue(req.headers.cookie, this.cookieName))) return 'cookie';
    return 'refused';
  }

  /** The answer to the entry page load: the cookie, and the same address without the token. */
  enter(res: http.ServerResponse, url: URL): void {
    const clean = new URLSearchParams(url.searchParams);
    clean.delete('token');
    const query = clean.toString();
    res.writeHead(303, {
      Location: `${url.pathname}${query ? `?${query}` : ''}`,
      'Set-Cookie': `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/${this.secure ? '; Secure' : ''}`,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    });
    res.end();
  }

  private matches(given: string | undefined): boolean {
    if (given === undefined) return false;
    const bytes = Buffer.from(given);
    return bytes.length === this.expected.length && timingSafeEqual(bytes, this.expected);
  }
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const REFUSED_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Commissioner: access token needed</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>This Commissioner needs its access token</h1>
<p>Open the address it printed when it started (the one ending in <code>?token=…</code>), in
this browser. It is valid until the Commissioner stops.</p>
</body></html>
`;

/** 401: a plain page for a person who opened the address without the token, JSON for the app. */
export function refuseAccess(res: http.ServerResponse, url: URL): void {
  const api = url.pathname.startsWith('/api/');
  const body = api
    ? JSON.stringify({
        error: 'this Commissioner needs its access token: open the URL it printed when it started',
      })
    : REFUSED_PAGE;
  res.writeHead(401, {
    'Content-Type': api ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(body);
}
