import type { IncomingMessage } from 'node:http';
import type { ProxyOptions } from 'vite';

/** Where `npm run dev` finds the core unless COMMISSIONER_CORE says otherwise (`npm run serve`'s default). */
export const DEFAULT_CORE = 'http://127.0.0.1:4780';

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
  const target = new URL(core).origin;
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
