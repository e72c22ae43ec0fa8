import type { IncomingMessage } from 'node:http';
import type { Plugin, ProxyOptions } from 'vite';
import { tokenCookieName } from '../shared/contract/wire.ts';

/** Where `npm run dev` finds the core unless COMMISSIONER_CORE says otherwise (`npm run serve`'s default). */
export const DEFAULT_CORE = 'http://127.0.0.1:4780';

/** The core's origin and access token, from the URL `npm run serve` printed. */
export function coreAddress(core: string): { origin: string; port: string; token: string | null } {
  const url = new URL(core);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return { origin: url.origin, port, token: url.searchParams.get('token') };
}

const LOOPBACK = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

/**
 * Whether a request reached the dev server from its own page: the Host is a loopback name (a
 * page on another site that rebinds its DNS name to this machine has its own name here), and
 * the Origin, when the browser sends one, is that same host. The core makes the same checks;
 * they are made here because the proxy rewrites both headers for the core.
 */
export function fromDevPage(req: IncomingMessage): boolean {
  const host = req.headers.host ?? '';
  if (!LOOPBACK.test(host)) return false;
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${host}`;
}

/**
 * The dev server's `/api` proxy to a running core: contract calls, uploads and the events
 * WebSocket. The core answers only to its own Host and Origin, so the proxy presents them as
 * the core's — for requests from the dev page only; anything else is refused here (404).
 */
export function coreProxy(core: string): ProxyOptions {
  const target = coreAddress(core).origin;
  return {
    target,
    ws: true,
    changeOrigin: true,
    bypass: (req) => (fromDevPage(req) ? undefined : false),
    configure: (proxy) => {
      const asCore = (proxyReq: {
        getHeader(n: string): unknown;
        setHeader(n: string, v: string): void;
      }) => {
        if (proxyReq.getHeader('origin') !== undefined) proxyReq.setHeader('origin', target);
      };
      proxy.on('proxyReq', asCore);
      proxy.on('proxyReqWs', asCore);
    },
  };
}

/**
 * The core's access token on the dev server: the dev page opened with `?token=…` (the dev
 * server prints that address when COMMISSIONER_CORE is the URL `npm run serve` printed) gets
 * the core's HttpOnly cookie here, and the address without the token; the proxy passes the
 * cookie on, and the core checks it as it checks its own page's. So the dev server gives
 * nobody the core without the token, as the core itself does not.
 */
export function devAccessToken(core: string): Plugin {
  const { port, token } = coreAddress(core);
  const cookie = tokenCookieName(port);
  return {
    name: 'commissioner-dev-access-token',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = new URL(req.url ?? '/', 'http://dev');
        const given = url.searchParams.get('token');
        if (!given || url.pathname.startsWith('/api/') || !fromDevPage(req)) return next();
        url.searchParams.delete('token');
        res.writeHead(303, {
          Location: `${url.pathname}${url.search}`,
          'Set-Cookie': `${cookie}=${given}; HttpOnly; SameSite=Strict; Path=/`,
          'Cache-Control': 'no-store',
        });
        res.end();
      });
      const printUrls = server.printUrls.bind(server);
      server.printUrls = () => {
        printUrls();
        const local = server.resolvedUrls?.local[0];
        if (local && token) {
          server.config.logger.info(`  ➜  With the core's token: ${local}?token=${token}`);
        } else if (!token) {
          server.config.logger.warn(
            '  COMMISSIONER_CORE has no ?token=…: set it to the URL npm run serve printed, then open the address printed here',
          );
        }
      };
    },
  };
}
