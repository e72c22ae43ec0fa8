import https from 'node:https';
import type http from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import { recordServeAddress, type PlantIdentity } from '../identity/plant-identity';
import type { Store } from '../store/store';
import { refNames } from '../store/stored-refs';
import { logRawError } from '../errors/error-log';
import { createDistributionHandler } from '../registry-server/distribution-handler';
import { isDistributionPath, requestTarget } from '../registry-server/distribution-route';
import { OciError, sendError } from '../registry-server/oci-error';
import { checkClient } from './client-identity';
import {
  applyConnectionLimits,
  connectionLimits,
  limitedServerOptions,
  type ConnectionLimits,
} from './connection-limits';
import { sendInternalProblem, sendProblem } from './problem';
import { withErrorBoundary, type FailureAnswer, type RequestListener } from './request-boundary';
import { createWfmApi } from './wfm-api';
import { credentialsRefresher, wfmCredentials, type WfmCredentials } from './wfm-credentials';

export interface WfmServerOptions {
  store: Store;
  identity: PlantIdentity;
  /** 0.0.0.0 (every address of the laptop) unless given. */
  host: string;
  port: number;
  /** The Trust Bundle API's own port (no client authentication); 0 picks one. */
  trustPort: number;
  /** Accept TLS 1.2 too (devices whose TLS stack lacks 1.3); 1.3 only by default. */
  allowTls12?: boolean;
  /** More request handlers behind the same mutual TLS (the registry endpoint). */
  extraHandlers?: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean)[];
  onChange?: (what: 'devices' | 'status', clientId: string) => void;
  /** Changes to the timeouts and connection caps (tests shorten them); the defaults otherwise. */
  limits?: Partial<ConnectionLimits>;
}

export interface WfmServer {
  /** `https://<address>:<port>`: what clients are given. */
  url: string;
  trustUrl: string;
  port: number;
  trustPort: number;
  /** The timeouts and connection caps both ports enforce. */
  limits: ConnectionLimits;
  close(): Promise<void>;
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/** The addresses a server bound to `host` is reached by, for its certificate's names. */
export function reachableNames(host: string): string[] {
  if (!WILDCARD.has(host)) return [...new Set([host, 'localhost', '127.0.0.1'])];
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((a): a is NonNullable<typeof a> => a !== undefined)
    .filter((a) => a.family === 'IPv4' || !a.address.startsWith('fe80'))
    .map((a) => a.address);
  return [...new Set(['localhost', hostname(), ...addresses])];
}

/**
 * The registry host names of what the store holds (`registry.plant.local` of
 * `registry.plant.local/demo/line-status:1.0.0`): devices pointed at the laptop in place of
 * those registries (the Docker way) check the laptop's certificate against these names. Only
 * devices that trust this plant's CA accept it, so this impersonates nothing beyond the plant.
 */
export function storedRegistryHosts(store: Store, limit = 200): string[] {
  const names = refNames(store);
  const hosts = new Set<string>();
  for (const name of names) {
    const first = name.split('/')[0] ?? '';
    if (!name.includes('/') || !/[.:]|^localhost$/.test(first)) continue;
    const host = first.replace(/:\d+$/, '');
    if (/^[a-z0-9.-]+$/i.test(host)) hosts.add(host.toLowerCase());
    if (hosts.size >= limit) break;
  }
  return [...hosts].sort();
}

/** The address put in URLs given to clients: the host, or the laptop's first LAN address. */
export function advertisedHost(host: string): string {
  if (!WILDCARD.has(host)) return host.includes(':') ? `[${host}]` : host;
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal);
  return lan?.address ?? '127.0.0.1';
}

function listen(server: https.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, WILDCARD.has(host) ? undefined : host, () => {
      server.off('error', reject);
      // Later errors (an accept failing for want of file descriptors) are the server's own:
      // unheard, an 'error' event ends the process.
      server.on('error', (e) => logRawError('Margo WFM server', e));
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** A 500 in the format of the API asked: OCI error JSON under /v2, a problem elsewhere. */
const answerFailure: FailureAnswer = (req, res) => {
  if (isDistributionPath(requestTarget(req.url).path)) {
    sendError(res, new OciError(500, 'UNKNOWN', 'unknown error'), req.method === 'HEAD');
  } else sendInternalProblem(res, req);
};

/**
 * The WFM as devices reach it: the Workload Management API behind mutual TLS (TLS 1.3 unless
 * 1.2 is allowed; a client without a certificate of the trust domain fails the handshake),
 * and the Trust Bundle API on its own port without client authentication. The server's SVID
 * is minted at each start with the names and addresses it is bound to, from the current CA;
 * client certificates may chain to any trust anchor (both CAs during a rotation). A CA
 * rotation started or finished while it runs takes effect from the next connection on.
 */
export async function startWfmServer(options: WfmServerOptions): Promise<WfmServer> {
  const { identity, store } = options;
  const hosts = [...new Set([...reachableNames(options.host), ...storedRegistryHosts(store)])];
  let credentials = wfmCredentials(identity, hosts);
  const limits = connectionLimits(options.limits);
  const minVersion = options.allowTls12 ? ('TLSv1.2' as const) : ('TLSv1.3' as const);
  const tls = {
    key: credentials.key,
    cert: credentials.cert,
    minVersion,
    ...limitedServerOptions(limits),
  };
  const api = createWfmApi(store, identity, options.onChange);
  const registry = createDistributionHandler(store, {
    onError: (e) => logRawError('Margo registry endpoint', e),
  });
  // The registry is behind the same mutual TLS and the same accepted-client policy: a device
  // pulls with its client certificate (Docker: certs.d/<host:port>/client.cert, client.key).
  const guardedRegistry = (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    const path = (req.url ?? '/').split('?')[0] as string;
    if (path !== '/v2' && !path.startsWith('/v2/')) return false;
    const client = checkClient(req, store, identity);
    if (!client.ok) {
      const body = Buffer.from(
        JSON.stringify({ errors: [{ code: 'DENIED', message: client.detail }] }),
      );
      res.writeHead(403, { 'Content-Type': 'application/json', 'Content-Length': body.length });
      res.end(body);
      return true;
    }
    return registry(req, res);
  };
  const handlers = [api, guardedRegistry, ...(options.extraHandlers ?? [])];
  const serveDevices: RequestListener = (req, res) => {
    for (const handle of handlers) if (handle(req, res)) return;
    sendProblem(res, req, { status: 404, title: 'Not found' }, `nothing is served at ${req.url}`);
  };
  const server = https.createServer(
    { ...tls, ca: credentials.ca, requestCert: true, rejectUnauthorized: true },
    withErrorBoundary(serveDevices, 'Margo WFM server', answerFailure),
  );
  applyConnectionLimits(server, limits);
  let trustUrl = '';
  const serveTrust: RequestListener = (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    if (path === '/.well-known/margo') {
      const body = Buffer.from(
        JSON.stringify({
          trustDomain: identity.trustDomain,
          trustBundleUri: `${trustUrl}/.well-known/spiffe/bundle.json`,
        }),
      );
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (path === '/.well-known/spiffe/bundle.json') {
      const { bundle, bundleEtag } = credentials;
      const headers = { ETag: bundleEtag, 'Cache-Control': 'public, max-age=300' };
      if (req.headers['if-none-match'] === bundleEtag) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      res.writeHead(200, {
        ...headers,
        'Content-Type': 'application/json',
        'Content-Length': bundle.length,
      });
      res.end(req.method === 'HEAD' ? undefined : bundle);
      return;
    }
    sendProblem(res, req, { status: 404, title: 'Not found' }, `nothing is served at ${path}`);
  };
  const trust = https.createServer(
    tls,
    withErrorBoundary(serveTrust, 'Margo trust bundle server', answerFailure),
  );
  applyConnectionLimits(trust, limits);
  const refresh = credentialsRefresher(identity, hosts, credentials, (next: WfmCredentials) => {
    credentials = next;
    const context = { key: next.key, cert: next.cert, minVersion };
    server.setSecureContext({ ...context, ca: next.ca });
    trust.setSecureContext(context);
  });
  // Before TLS's own listener: the connection that noticed a change is served with it already.
  server.prependListener('connection', refresh);
  trust.prependListener('connection', refresh);

  const port = await listen(server, options.port, options.host);
  let trustPort: number;
  try {
    trustPort = await listen(trust, options.trustPort, options.host);
  } catch (e) {
    server.close();
    throw e;
  }
  const host = advertisedHost(options.host);
  trustUrl = `https://${host}:${trustPort}`;
  // Wherever it runs (margo serve, the app), client bundles made later name this address.
  recordServeAddress(identity, {
    host: options.host,
    port,
    url: `https://${host}:${port}`,
    notAfter: credentials.notAfter,
  });
  return {
    url: `https://${host}:${port}`,
    trustUrl,
    port,
    trustPort,
    limits,
    close: async () => {
      const closing = [server, trust].map(
        (s) => new Promise<void>((resolve) => s.close(() => resolve())),
      );
      server.closeAllConnections();
      trust.closeAllConnections();
      await Promise.all(closing);
    },
  };
}
