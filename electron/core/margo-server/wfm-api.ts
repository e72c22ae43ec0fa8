import type http from 'node:http';
import type { DeviceCapabilitiesManifest } from '../../../shared/margo/device-capabilities';
import type { DeploymentStatusManifest } from '../../../shared/margo/deployment-status';
import { validateDocumentBytes } from '../../../shared/validation/validate-document';
import { recordMargoStatus } from '../deployments/margo/margo-placement';
import { margoDeviceName } from '../../../shared/devices/device-connection';
import { forgetMargoDevice, getDevice, recordMargoDevice } from '../store/device-inventory';
import { recordLastSeen } from '../store/margo-clients-table';
import { desiredDevice } from '../store/margo-desired-state';
import { hasReportedStatus, recordStatusReport } from '../store/margo-status';
import { logRawError } from '../errors/error-log';
import type { PlantIdentity } from '../identity/plant-identity';
import type { Store } from '../store/store';
import { checkClient } from './client-identity';
import { sendInternalProblem, sendProblem } from './problem';
import { failRequest } from './request-boundary';
import {
  BUNDLE_MEDIA_TYPE,
  MANIFEST_MEDIA_TYPE,
  servedBytes,
  stateManifest,
} from './state-manifest';

// Reports are a few KiB; validating one costs about 4 ms per KiB of event loop, which every
// other device waits out, so a device cannot send what would hold the WFM for long.
const MAX_BODY = 256 * 1024;
const DEVICE_ID = /^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const IMMUTABLE = 'private, max-age=31536000, immutable';

type Handler = (ctx: Context) => Promise<void> | void;

interface Context {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  store: Store;
  clientId: string;
  params: string[];
  /** Called after the state of a client changed (devices, statuses), for the app's views. */
  onChange: (what: 'devices' | 'status', clientId: string) => void;
}

const ROUTES: { method: string; pattern: RegExp; handler: Handler }[] = [
  { method: 'PUT', pattern: /^\/api\/v1\/capabilities\/(.+)$/, handler: putCapabilities },
  { method: 'DELETE', pattern: /^\/api\/v1\/capabilities\/(.+)$/, handler: deleteCapabilities },
  { method: 'GET', pattern: /^\/api\/v1\/deployments$/, handler: getManifest },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/deployments\/([^/]+)\/(sha256:[^/]+)$/,
    handler: getDeployment,
  },
  { method: 'GET', pattern: /^\/api\/v1\/bundles\/([^/]+)$/, handler: getBundle },
  { method: 'POST', pattern: /^\/api\/v1\/deployments\/([^/]+)\/status$/, handler: postStatus },
];

/**
 * The Workload Management API (rc.3) for requests that passed mutual TLS: the caller is the
 * SPIFFE ID of its certificate, checked against the accepted clients on every request, and
 * every resource is looked up in that client's scope only. Returns false for other paths.
 */
export function createWfmApi(
  store: Store,
  identity: PlantIdentity,
  onChange: Context['onChange'] = () => {},
): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  const lastSeen = new Map<string, number>();
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    if (!path.startsWith('/api/')) return false;
    const client = checkClient(req, store, identity);
    if (!client.ok) {
      sendProblem(res, req, 'not-authorized', client.detail);
      return true;
    }
    // "Last seen" to the half minute is enough; writing it on every poll would be most of the work.
    const now = Date.now();
    if (now - (lastSeen.get(client.clientId) ?? 0) > 30_000) {
      lastSeen.set(client.clientId, now);
      try {
        recordLastSeen(store, client.clientId, new Date(now).toISOString());
      } catch (e) {
        // Bookkeeping: a busy or full store must not fail the device's request with it.
        logRawError('Margo WFM API: recording when a client was last seen', e);
      }
    }
    const sameMethod = ROUTES.filter((r) => r.pattern.test(path));
    const route = sameMethod.find((r) => r.method === req.method);
    if (!route) {
      if (sameMethod.length > 0) {
        res.writeHead(405, { Allow: sameMethod.map((r) => r.method).join(', ') });
        res.end();
      } else {
        sendProblem(res, req, { status: 404, title: 'Not found' }, `no API at ${path}`);
      }
      return true;
    }
    const params = decodeSegments((route.pattern.exec(path) as RegExpExecArray).slice(1));
    if (!params) {
      sendProblem(
        res,
        req,
        'invalid-request',
        'the path is not valid percent-encoding: each % must start an escape of UTF-8 bytes (%20, %C3%A9)',
      );
      return true;
    }
    // Run as a promise from the start, so a handler that throws at once is caught too.
    Promise.resolve()
      .then(() => route.handler({ req, res, store, clientId: client.clientId, params, onChange }))
      .catch((e: unknown) =>
        failRequest(req, res, e, 'Margo WFM API', () => sendInternalProblem(res, req)),
      );
    return true;
  };
}

/** The path's captured segments decoded, or undefined when one is not valid percent-encoding. */
function decodeSegments(segments: string[]): string[] | undefined {
  try {
    return segments.map((s) => decodeURIComponent(s));
  } catch (e) {
    if (e instanceof URIError) return undefined;
    throw e;
  }
}

/** Thrown into a handler waiting for a body the client will never send: it went away. */
function clientWentAway(): NodeJS.ErrnoException {
  return Object.assign(new Error('the client closed the connection mid-request'), {
    code: 'ECONNRESET',
  });
}

/**
 * The request body, or undefined when it is larger than MAX_BODY; then the rest is not read
 * (the answer closes the connection). A declared length over the limit is refused unread.
 */
function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length']) > MAX_BODY) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (done: () => void) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      done();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
      else
        settle(() => {
          req.pause();
          resolve(undefined);
        });
    };
    const onEnd = () => settle(() => resolve(Buffer.concat(chunks)));
    const onError = (e: unknown) => settle(() => reject(e));
    const onClose = () => settle(() => reject(clientWentAway()));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/** Reads a JSON body and validates it as a Margo document; answers the problem itself. */
async function margoBody<T>(
  ctx: Context,
  kind: 'DeviceCapabilitiesManifest' | 'DeploymentStatusManifest',
): Promise<T | undefined> {
  const { req, res } = ctx;
  if (!/^application\/(.+\+)?json\b/i.test(req.headers['content-type'] ?? '')) {
    sendProblem(
      res,
      req,
      'invalid-request',
      'the body must be JSON (Content-Type: application/json)',
    );
    return undefined;
  }
  const body = await readBody(req);
  if (!body) {
    // What is left of the body is not read: the connection goes with the answer.
    res.setHeader('Connection', 'close');
    sendProblem(res, req, 'invalid-request', `the body is larger than ${MAX_BODY} bytes`);
    return undefined;
  }
  try {
    JSON.parse(body.toString('utf8'));
  } catch (e) {
    sendProblem(res, req, 'invalid-request', `the body is not JSON: ${(e as Error).message}`);
    return undefined;
  }
  const checked = validateDocumentBytes(body, { file: 'body' });
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (checked.kind !== kind || !checked.valid || errors.length > 0) {
    sendProblem(
      res,
      req,
      'semantic-error',
      checked.kind !== kind ? `the body is not a ${kind}` : `the ${kind} is not valid`,
      {
        errors: (errors.length > 0 ? errors : checked.diagnostics).slice(0, 50).map((d) => ({
          field: d.path || '(body)',
          message: `${d.message} (${d.rule}, line ${d.line}:${d.column})`,
        })),
      },
    );
    return undefined;
  }
  return checked.value as T;
}

async function putCapabilities(ctx: Context): Promise<void> {
  const { req, res, store, clientId } = ctx;
  const deviceId = ctx.params[0] as string;
  if (!DEVICE_ID.test(deviceId)) {
    sendProblem(res, req, 'invalid-request', `"${deviceId}" is not a device id`);
    return;
  }
  const manifest = await margoBody<DeviceCapabilitiesManifest>(ctx, 'DeviceCapabilitiesManifest');
  if (!manifest) return;
  // The device is the path's id. A body naming another (the reference device agent sends its
  // client id in the path, the device id in the body) is not refused: rc.3 names no answer
  // for it, the caller's scope is the same, and the reported id is kept and shown.
  const gateway = deviceId.includes('/') ? deviceId.slice(0, deviceId.lastIndexOf('/')) : null;
  // The inventory is the one record of what a client reported (no copy kept here).
  const known = (id: string) => getDevice(store, margoDeviceName(clientId, id)) !== undefined;
  if (gateway !== null && !known(gateway)) {
    sendProblem(
      res,
      req,
      'gateway-not-found',
      `the gateway ${gateway} has not reported its capabilities yet: a child reports after its gateway`,
    );
    return;
  }
  const existed = known(deviceId);
  recordMargoDevice(store, clientId, deviceId, manifest);
  ctx.onChange('devices', clientId);
  res.writeHead(existed ? 200 : 201, { 'Content-Length': 0 });
  res.end();
}

function deleteCapabilities(ctx: Context): void {
  const { req, res, store, clientId } = ctx;
  const deviceId = ctx.params[0] as string;
  if (!DEVICE_ID.test(deviceId)) {
    sendProblem(res, req, 'invalid-request', `"${deviceId}" is not a device id`);
    return;
  }
  if (forgetMargoDevice(store, clientId, deviceId) === 0) {
    sendProblem(res, req, 'device-not-found', `no device ${deviceId} for this client`);
    return;
  }
  ctx.onChange('devices', clientId);
  res.writeHead(204);
  res.end();
}

/**
 * Whether `Accept` lets the state manifest be served: its own media type or the wildcard for
 * any type, or no Accept at all (rc.3: "Supported values:
 * application/vnd.margo.manifest.v1+json"). Anything else, `application/json` included, is
 * 406 (the Conformance Test Toolkit's MI-008). A type the client weighs `q=0` it refused.
 */
function acceptsManifest(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) return false;
    return type === MANIFEST_MEDIA_TYPE || type === '*/*';
  });
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}

async function getManifest(ctx: Context): Promise<void> {
  const { req, res, store, clientId } = ctx;
  if (!acceptsManifest(req.headers.accept)) {
    sendProblem(
      res,
      req,
      'server-cannot-generate-response',
      `the state manifest is served as ${MANIFEST_MEDIA_TYPE}; Accept asked for ${req.headers.accept}`,
    );
    return;
  }
  const manifest = await stateManifest(store, clientId);
  const headers = { ETag: manifest.etag, 'Cache-Control': 'private', Vary: 'Accept' };
  if (matches(req.headers['if-none-match'], manifest.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': MANIFEST_MEDIA_TYPE,
    'Content-Length': manifest.bytes.length,
  });
  res.end(manifest.bytes);
}

function sendImmutable(
  ctx: Context,
  digest: string,
  bytes: Buffer | undefined,
  type: string,
  missing: 'deployment-not-found' | 'invalid-bundle',
): void {
  const { req, res } = ctx;
  if (!DIGEST.test(digest)) {
    sendProblem(res, req, 'invalid-request', `${digest} is not a sha256 digest`);
    return;
  }
  if (!bytes) {
    sendProblem(res, req, missing, `${digest} is not available to this client`);
    return;
  }
  const etag = `"${digest}"`;
  const headers = { ETag: etag, 'Cache-Control': IMMUTABLE, Vary: 'Accept-Encoding' };
  if (matches(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': bytes.length });
  res.end(bytes);
}

function getDeployment(ctx: Context): void {
  const [deploymentId, digest] = ctx.params as [string, string];
  sendImmutable(
    ctx,
    digest,
    servedBytes(ctx.store, ctx.clientId, 'deployment', digest, deploymentId),
    'application/yaml',
    'deployment-not-found',
  );
}

function getBundle(ctx: Context): void {
  const digest = ctx.params[0] as string;
  sendImmutable(
    ctx,
    digest,
    servedBytes(ctx.store, ctx.clientId, 'bundle', digest),
    BUNDLE_MEDIA_TYPE,
    'invalid-bundle',
  );
}

async function postStatus(ctx: Context): Promise<void> {
  const { req, res, store, clientId } = ctx;
  const deploymentId = ctx.params[0] as string;
  const status = await margoBody<DeploymentStatusManifest>(ctx, 'DeploymentStatusManifest');
  if (!status) return;
  const problems: { field: string; message: string }[] = [];
  if (status.deploymentId !== deploymentId) {
    problems.push({
      field: 'deploymentId',
      message: `is ${status.deploymentId}, the path names ${deploymentId}`,
    });
  }
  const placedOn = desiredDevice(store, clientId, deploymentId);
  const reported = hasReportedStatus(store, clientId, deploymentId);
  if (placedOn === undefined && !reported) {
    sendProblem(
      res,
      req,
      'semantic-error',
      `deployment ${deploymentId} was never given to this client`,
      {
        errors: [{ field: 'deploymentId', message: 'unknown to this client' }],
      },
    );
    return;
  }
  if (problems.length > 0) {
    sendProblem(res, req, 'semantic-error', 'the status does not fit the deployment', {
      errors: problems,
    });
    return;
  }
  // A report without adoptedManifestVersion (the reference device agent sends none) still
  // says what runs: it is recorded, and the timeline says the version was not reported.
  recordStatusReport(store, clientId, deploymentId, {
    deviceId: status.deviceId ?? placedOn ?? null,
    status,
    adoptedManifestVersion: status.adoptedManifestVersion ?? null,
  });
  // Our deployments follow what the device reports (states, errors, timeline).
  recordMargoStatus(store, clientId, status);
  ctx.onChange('status', clientId);
  res.writeHead(reported ? 200 : 201, { 'Content-Length': 0 });
  res.end();
}
