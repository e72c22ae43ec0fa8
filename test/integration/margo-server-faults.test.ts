import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyAndCertificate } from '../../electron/core/identity/certificates';
import { addClient } from '../../electron/core/identity/margo-clients';
import { plantIdentity, type PlantIdentity } from '../../electron/core/identity/plant-identity';
import { errorLogFile, setErrorLogDir } from '../../electron/core/errors/error-log';
import { importSources } from '../../electron/core/import/import-sources';
import { LayoutWriter } from '../../electron/core/kit/layout-writer';
import {
  DEFAULT_CONNECTION_LIMITS,
  type ConnectionLimits,
} from '../../electron/core/margo-server/connection-limits';
import { startWfmServer, type WfmServer } from '../../electron/core/margo-server/wfm-server';
import { setDesiredDeployment } from '../../electron/core/store/margo-desired-state';
import { openStore, type Store } from '../../electron/core/store/store';
import { MEDIA } from '../../shared/oci/media-types';
import { fuzzCases, misanswered } from '../support/margo-fuzz-cases';
import { deviceCapabilities, margoClientRequest } from '../support/margo-device-client';
import { holdTlsConnection, idleConnection, rawExchange } from '../support/raw-tls-exchange';

/**
 * The WFM port under attack, with real mutual TLS: requests no client library would send,
 * clients that stall at every step, connection floods past the caps, and faults of the store
 * behind it. After each, a legitimate device still polls and reports, the process is alive
 * and nothing went unhandled. The fuzzed server has its deadlines shortened (seconds, not
 * tens of seconds) and its caps lowered; a second server keeps the defaults, and one of its
 * connections proves the 10 s handshake deadline for real.
 */
const PROBLEM = 'https://docs.margo.org/specification/problem-types#';
const SHORT: Partial<ConnectionLimits> = {
  handshakeTimeoutMs: 1000,
  headersTimeoutMs: 2000,
  requestTimeoutMs: 3000,
  deadlineCheckIntervalMs: 250,
  maxConnectionsPerAddress: 12,
};
// Flooding connections sit idle after their handshake: the default deadlines leave them be.
const CAPPED: Partial<ConnectionLimits> = { maxConnections: 48, maxConnectionsPerAddress: 12 };
const root = mkdtempSync(join(tmpdir(), 'commissioner-wfm-faults-'));
let store: Store;
let identity: PlantIdentity;
let alice: KeyAndCertificate;
let fuzzed: WfmServer;
let flooded: WfmServer;
let defaults: WfmServer;
let defaultHandshake: ReturnType<typeof idleConnection>;
const deploymentId = randomUUID();
let blobPath = '';
// What would have ended the process outside a test runner.
const processFaults: unknown[] = [];
const onProcessFault = (e: unknown) => processFaults.push(e);

const device = (server: WfmServer) => ({
  url: server.url.replace(/^https:\/\/[^:/]+/, 'https://127.0.0.1'),
  ca: identity.ca.certPem,
  cert: alice.certPem,
  key: alice.keyPem,
});
const target = (server: WfmServer, localAddress?: string) => ({
  host: '127.0.0.1',
  port: server.port,
  ca: identity.ca.certPem,
  cert: alice.certPem,
  key: alice.keyPem,
  ...(localAddress ? { localAddress } : {}),
});
const statusReport = (state: string) => ({
  deploymentId,
  deviceId: 'gw-1',
  adoptedManifestVersion: 1,
  status: { state },
  components: [{ name: 'line-status', state }],
});

/** The raw errors the servers logged (unexpected failures only: hang-ups are not logged). */
function loggedFailures(): string[] {
  const file = errorLogFile();
  if (!file || !existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"context":"Margo'));
}

/** A device's poll and status report still succeed; nothing failed unexpectedly meanwhile. */
async function stillServes(server: WfmServer, loggedBefore = 0): Promise<void> {
  const poll = await margoClientRequest(device(server), 'GET', '/api/v1/deployments');
  expect(poll.status).toBe(200);
  expect(poll.text).toContain(deploymentId);
  const report = await margoClientRequest(
    device(server),
    'POST',
    `/api/v1/deployments/${deploymentId}/status`,
    statusReport('installing'),
  );
  expect([200, 201]).toContain(report.status);
  expect(processFaults).toEqual([]);
  expect(loggedFailures().slice(loggedBefore)).toEqual([]);
}

async function eachLimited<T>(items: T[], limit: number, run: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await run(items[next++] as T);
    }),
  );
}

const holdConnection = (server: WfmServer, localAddress: string) =>
  holdTlsConnection(target(server, localAddress));

/** One poll from `localAddress` (a device of its own): its status, or undefined if refused. */
async function pollFrom(server: WfmServer, localAddress: string): Promise<number | undefined> {
  const answer = await rawExchange(
    target(server, localAddress),
    ['GET /api/v1/deployments HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'],
    { timeoutMs: 15_000 },
  );
  return answer.status;
}

beforeAll(async () => {
  process.on('uncaughtException', onProcessFault);
  process.on('unhandledRejection', onProcessFault);
  store = openStore(join(root, 'home'));
  identity = plantIdentity(store.paths);
  alice = addClient(store, identity, 'alice-gw').svid;
  setDesiredDeployment(
    store,
    'alice-gw',
    'gw-1',
    deploymentId,
    Buffer.from(
      `apiVersion: application.margo.org/v1alpha1\nkind: ApplicationDeployment\nid: ${deploymentId}\n`,
    ),
  );
  // An image in the store, so that Range headers reach a real blob of the registry endpoint.
  const layoutDir = join(root, 'layout');
  const layout = await LayoutWriter.create(layoutDir);
  const layer = await layout.addBytes(gzipSync(Buffer.from('busybox layer '.repeat(100))));
  const config = await layout.addBytes(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [] },
    }),
  );
  const manifest = await layout.addManifest(
    {
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, ...config },
      layers: [{ mediaType: MEDIA.ociLayerGzip, ...layer }],
    },
    'docker.io/library/busybox:1.36',
  );
  expect(manifest.digest).toMatch(/^sha256:/);
  await layout.finish();
  const imported = await importSources(store, [{ input: layoutDir, path: layoutDir }]);
  expect(imported.imported.length).toBeGreaterThan(0);
  blobPath = `/v2/library/busybox/blobs/${layer.digest}`;

  fuzzed = await startWfmServer({
    store,
    identity,
    host: '127.0.0.1',
    port: 0,
    trustPort: 0,
    limits: SHORT,
  });
  flooded = await startWfmServer({
    store,
    identity,
    host: '127.0.0.1',
    port: 0,
    trustPort: 0,
    limits: CAPPED,
  });
  defaults = await startWfmServer({ store, identity, host: '127.0.0.1', port: 0, trustPort: 0 });
  // Connects and never starts the handshake; checked near the end, so it costs no wait.
  defaultHandshake = idleConnection({ host: '127.0.0.1', port: defaults.port }, undefined, 60_000);
  await defaultHandshake.opened;
}, 120_000);

afterAll(async () => {
  defaultHandshake?.socket.destroy();
  await fuzzed?.close();
  await flooded?.close();
  await defaults?.close();
  store?.close();
  process.off('uncaughtException', onProcessFault);
  process.off('unhandledRejection', onProcessFault);
  rmSync(root, { recursive: true, force: true });
});

describe('malformed percent-encoding', () => {
  it('the DELETE from the issue gets 400 invalid-request, and the server keeps serving', async () => {
    const answer = await margoClientRequest(
      device(defaults),
      'DELETE',
      '/api/v1/capabilities/%E0%A4%A',
    );
    expect(answer.status).toBe(400);
    const problem = JSON.parse(answer.text) as { type: string; status: number; detail: string };
    expect(problem.type).toBe(`${PROBLEM}invalid-request`);
    expect(problem.status).toBe(400);
    expect(problem.detail).toMatch(/percent-encoding/);
    await stillServes(defaults);
  });

  it('in every route of the API, and in repository names of the registry endpoint', async () => {
    for (const [method, path] of [
      ['PUT', '/api/v1/capabilities/gw%zz'],
      ['GET', `/api/v1/deployments/%E0%A4%A/sha256:${'0'.repeat(64)}`],
      ['GET', '/api/v1/bundles/sha256%3%41'],
      ['POST', '/api/v1/deployments/%C0%AF%ED%A0%80/status'],
      ['DELETE', '/api/v1/capabilities/gw-1/%'],
    ] as const) {
      const answer = await margoClientRequest(device(defaults), method, path, {});
      expect(answer.status, `${method} ${path}`).toBe(400);
      expect(JSON.parse(answer.text)).toMatchObject({ type: `${PROBLEM}invalid-request` });
    }
    for (const path of [
      '/v2/library/%E0%A4%A/manifests/1.36',
      '/v2/library/busybox/blobs/sha256:%E0%A4%A',
    ]) {
      const answer = await margoClientRequest(device(defaults), 'GET', path);
      expect(answer.status, path).toBe(400);
      const error = (JSON.parse(answer.text) as { errors: { code: string }[] }).errors[0];
      expect(['NAME_INVALID', 'DIGEST_INVALID']).toContain(error?.code);
    }
    await stillServes(defaults);
  });
});

describe('bodies', () => {
  it('a report sent in one piece with its head is read whole; one over 256 KiB is refused unread', async () => {
    const body = JSON.stringify(deviceCapabilities('gw-7'));
    const whole = await rawExchange(
      target(defaults),
      [
        `PUT /api/v1/capabilities/gw-7 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      ],
      { timeoutMs: 15_000 },
    );
    expect(whole.status).toBe(201);
    // Declared too large: answered before a byte of it is sent.
    const huge = await rawExchange(
      target(defaults),
      [
        'PUT /api/v1/capabilities/gw-7 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n',
      ],
      { timeoutMs: 15_000 },
    );
    expect(huge.status).toBe(400);
    expect(huge.headers.connection).toBe('close');
    expect(JSON.parse(huge.body.toString())).toMatchObject({ type: `${PROBLEM}invalid-request` });
    await stillServes(defaults);
  });
});

describe('fuzzed requests', () => {
  it('a few hundred hostile requests: each answered below 500 or closed; devices served after each batch', async () => {
    const cases = fuzzCases(
      { deploymentId, blobPath },
      { seed: 0x1404, count: 320, stalling: true },
    );
    expect(cases).toHaveLength(320);
    for (let start = 0; start < cases.length; start += 40) {
      const wrong: string[] = [];
      await eachLimited(cases.slice(start, start + 40), 8, async (c) => {
        const answer = await rawExchange(target(fuzzed), [c.bytes], { timeoutMs: 20_000 });
        const problem = misanswered(c, answer);
        if (problem) wrong.push(problem);
      });
      expect(wrong, `batch from case ${start}`).toEqual([]);
      await stillServes(fuzzed);
    }
  }, 300_000);

  it('Range headers of every shape on a real blob: whole, partial, or 416, never a failure', async () => {
    for (const range of ['bytes=abc', 'bytes=5-1', 'bytes=-0', 'bytes=0-1,2-3', 'bytes=99999-']) {
      const answer = await rawExchange(
        target(fuzzed),
        [
          `GET ${blobPath} HTTP/1.1\r\nHost: localhost\r\nRange: ${range}\r\nConnection: close\r\n\r\n`,
        ],
        { timeoutMs: 15_000 },
      );
      expect([200, 206, 416], range).toContain(answer.status);
    }
    await stillServes(fuzzed);
  });
});

describe('slow clients', () => {
  it('the handshake deadline is 10 s unless changed, and the fuzzed server has its own', () => {
    expect(DEFAULT_CONNECTION_LIMITS.handshakeTimeoutMs).toBe(10_000);
    expect(defaults.limits).toEqual(DEFAULT_CONNECTION_LIMITS);
    expect(fuzzed.limits.handshakeTimeoutMs).toBe(1000);
  });

  it('a connection that never starts its handshake, or stops halfway, is dropped', async () => {
    const silent = idleConnection({ host: '127.0.0.1', port: fuzzed.port }, undefined, 20_000);
    // A ClientHello record that announces 512 bytes and sends 6.
    const partial = idleConnection(
      { host: '127.0.0.1', port: fuzzed.port },
      Buffer.from('160301020001000001fc0303', 'hex'),
      20_000,
    );
    expect(await silent.closedAfterMs).toBeLessThan(15_000);
    expect(await partial.closedAfterMs).toBeLessThan(15_000);
    await stillServes(fuzzed);
  });

  it('a request head sent a byte at a time (slowloris) is cut off; others are served meanwhile', async () => {
    const head = 'GET /api/v1/deployments HTTP/1.1\r\nHost: localhost\r\nX-Slow: ' + 'a'.repeat(60);
    const slow = rawExchange(target(fuzzed), [...head], { timeoutMs: 20_000, pauseMs: 150 });
    await new Promise((r) => setTimeout(r, 500));
    await stillServes(fuzzed);
    const answer = await slow;
    expect(answer.ended).toBe('closed');
    if (answer.status !== undefined) expect(answer.status).toBe(408);
  }, 30_000);

  it('a body that never arrives in full is cut off with 408', async () => {
    const answer = await rawExchange(
      target(fuzzed),
      [
        `PUT /api/v1/capabilities/gw-1 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"properties"`,
      ],
      { timeoutMs: 20_000 },
    );
    expect(answer.ended).toBe('closed');
    expect(answer.status).toBe(408);
    await stillServes(fuzzed);
  }, 30_000);
});

describe('the Trust Bundle port', () => {
  it('has the same deadlines and boundary, without client authentication', async () => {
    const trust = { host: '127.0.0.1', port: fuzzed.trustPort, ca: identity.ca.certPem };
    const silent = idleConnection(trust, undefined, 20_000);
    expect(await silent.closedAfterMs).toBeLessThan(15_000);
    const bad = await rawExchange(
      trust,
      ['GET /.well-known/%E0%A4%A HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'],
      { timeoutMs: 15_000 },
    );
    expect(bad.status).toBe(404);
    const bundle = await rawExchange(
      trust,
      [
        'GET /.well-known/spiffe/bundle.json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
      ],
      { timeoutMs: 15_000 },
    );
    expect(bundle.status).toBe(200);
  });
});

describe('connection floods', () => {
  it('one address past its cap is refused before the handshake; other devices are not', async () => {
    const cap = flooded.limits.maxConnectionsPerAddress;
    const held = await Promise.all(
      Array.from({ length: cap + 5 }, () => holdConnection(flooded, '127.0.0.20')),
    );
    try {
      expect(held.filter(Boolean)).toHaveLength(cap);
      expect(await pollFrom(flooded, '127.0.0.20')).toBeUndefined();
      expect(await pollFrom(flooded, '127.0.0.21')).toBe(200);
      await stillServes(flooded);
    } finally {
      for (const socket of held) socket?.destroy();
    }
    // Its connections closed, the address is welcome again.
    await expect.poll(() => pollFrom(flooded, '127.0.0.20'), { timeout: 10_000 }).toBe(200);
  }, 60_000);

  it('past the total cap new connections are refused, and served again once the flood ends', async () => {
    const { maxConnections, maxConnectionsPerAddress } = flooded.limits;
    const addresses = Array.from(
      { length: Math.ceil(maxConnections / maxConnectionsPerAddress) },
      (_, i) => `127.0.0.${30 + i}`,
    );
    const held = (
      await Promise.all(
        addresses.map((address, i) =>
          Promise.all(
            Array.from(
              {
                length: Math.min(
                  maxConnectionsPerAddress,
                  maxConnections - i * maxConnectionsPerAddress,
                ),
              },
              () => holdConnection(flooded, address),
            ),
          ),
        ),
      )
    ).flat();
    try {
      expect(held.filter(Boolean)).toHaveLength(maxConnections);
      expect(await pollFrom(flooded, '127.0.0.90')).toBeUndefined();
    } finally {
      for (const socket of held) socket?.destroy();
    }
    await expect.poll(() => pollFrom(flooded, '127.0.0.90'), { timeout: 10_000 }).toBe(200);
    await stillServes(flooded);
  }, 60_000);
});

describe('faults behind the server', () => {
  it('a store that cannot be written: 500 with a plain problem, the raw error logged, the process alive', async () => {
    const home = join(root, 'read-only');
    const broken = openStore(home);
    const brokenIdentity = plantIdentity(broken.paths);
    const bob = addClient(broken, brokenIdentity, 'bob-gw').svid;
    const server = await startWfmServer({
      store: broken,
      identity: brokenIdentity,
      host: '127.0.0.1',
      port: 0,
      trustPort: 0,
    });
    const bobDevice = {
      url: `https://127.0.0.1:${server.port}`,
      ca: brokenIdentity.ca.certPem,
      cert: bob.certPem,
      key: bob.keyPem,
    };
    const logged = () =>
      existsSync(join(broken.paths.logs, 'errors.log'))
        ? readFileSync(join(broken.paths.logs, 'errors.log'), 'utf8').trim().split('\n')
        : [];
    try {
      expect((await margoClientRequest(bobDevice, 'GET', '/api/v1/deployments')).status).toBe(200);
      // Reads still work, every write fails: as on a full disk or a home turned read-only.
      broken.db.pragma('query_only = ON');
      const report = await margoClientRequest(
        bobDevice,
        'PUT',
        '/api/v1/capabilities/gw-1',
        deviceCapabilities('gw-1'),
      );
      expect(report.status).toBe(500);
      const problem = JSON.parse(report.text) as Record<string, unknown>;
      expect(problem).toMatchObject({ status: 500, retryable: true, type: 'about:blank' });
      expect(String(problem.detail)).not.toMatch(/SQLITE|readonly|[A-Z]\w*Error/);
      expect(logged().some((l) => l.includes('"context":"Margo WFM API"'))).toBe(true);
      // Gone altogether: the failure is where the client is checked, before any route.
      broken.db.close();
      const poll = await margoClientRequest(bobDevice, 'GET', '/api/v1/deployments');
      expect(poll.status).toBe(500);
      expect(logged().some((l) => l.includes('"context":"Margo WFM server"'))).toBe(true);
      expect(processFaults).toEqual([]);
    } finally {
      await server.close();
      // Opening a store points the error log at its home: back to the one the others use.
      setErrorLogDir(store.paths.logs);
    }
    // The other servers of this process never noticed.
    await stillServes(fuzzed);
  }, 60_000);

  it('the default server drops a connection that never handshakes after about 10 s', async () => {
    const after = await defaultHandshake.closedAfterMs;
    expect(after).toBeDefined();
    expect(after as number).toBeGreaterThan(5_000);
    expect(after as number).toBeLessThan(40_000);
  }, 60_000);
});
