import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCertificateAuthority,
  mintSvid,
  type KeyAndCertificate,
} from '../../electron/core/identity/certificates';
import { addClient, revokeClient } from '../../electron/core/identity/margo-clients';
import { plantIdentity, type PlantIdentity } from '../../electron/core/identity/plant-identity';
import { clientSpiffeId } from '../../electron/core/identity/spiffe-id';
import {
  removeDesiredDeployment,
  setDesiredDeployment,
} from '../../electron/core/store/margo-desired-state';
import { startWfmServer, type WfmServer } from '../../electron/core/margo-server/wfm-server';
import { openStore, type Store } from '../../electron/core/store/store';
import { compatibilityMatrix } from '../../electron/core/devices/device-compatibility';
import {
  getDevice,
  listDevices,
  type DeviceRecord,
} from '../../electron/core/store/device-inventory';
import type { ApplicationDescription } from '../../shared/margo/application-description';
import { validateDocumentText } from '../../shared/validation/validate-document';
import { deviceCapabilities } from '../support/margo-device-client';
import { REPO_ROOT } from '../support/run-cli';
import { hasSpec, specPath, whenSpec } from '../support/spec-examples';

/**
 * Conformance of the Workload Management API (rc.3), playing the device's client exactly as
 * the spec describes it: real mutual TLS with fresh identities, every response body checked
 * against the rc.3 OpenAPI schemas, ETags, digests, scopes, problem types.
 */
// The schemas are the spec examples' folder's. Without it only the schema checks are left
// out (the tests build on one another's state, so none of them is skipped whole).
const ajv = whenSpec(() => {
  const api = parse(
    readFileSync(
      specPath(
        'pre-draft_v1.0.0-rc.3/system-design/specification/margo-management-interface/workload-management-api-1.0.0-rc.3.yaml',
      ),
      'utf8',
    ),
  ) as object;
  // A defect of the rc.3 OpenAPI: UnsignedAppStateManifest lists `bundle.mediaType`,
  // `bundle.digest` and `bundle.url` as *top-level* required properties (keys with dots no
  // manifest has; DeploymentBundleRef already requires nothing and allows null). Read as
  // meant: the dotted names are dropped, everything else is checked as written.
  const schemas = (api as { components: { schemas: Record<string, { required?: string[] }> } })
    .components.schemas;
  const stateManifestSchema = schemas.UnsignedAppStateManifest;
  if (stateManifestSchema?.required) {
    stateManifestSchema.required = stateManifestSchema.required.filter((r) => !r.includes('.'));
  }
  const wfm = new Ajv2020({ strict: false, allErrors: true, logger: false });
  wfm.addSchema(api, 'wfm');
  return wfm;
});
function conforms(schema: string, body: unknown): void {
  if (!hasSpec('the checks of response bodies against the rc.3 OpenAPI schemas')) return;
  const validate = ajv.compile({ $ref: `wfm#/components/schemas/${schema}` });
  expect(validate(body), `${schema}: ${JSON.stringify(validate.errors)}`).toBe(true);
}

const PROBLEM = 'https://docs.margo.org/specification/problem-types#';
const MANIFEST = 'application/vnd.margo.manifest.v1+json';
const root = mkdtempSync(join(tmpdir(), 'commissioner-wfm-'));
let store: Store;
let identity: PlantIdentity;
let server: WfmServer;
let alice: KeyAndCertificate;
let bob: KeyAndCertificate;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json?: unknown;
}

function request(
  svid: KeyAndCertificate | null,
  method: string,
  path: string,
  options: {
    body?: unknown;
    headers?: Record<string, string>;
    port?: number;
    tls12?: boolean;
  } = {},
): Promise<Answer> {
  const body =
    options.body === undefined
      ? undefined
      : Buffer.isBuffer(options.body)
        ? options.body
        : Buffer.from(JSON.stringify(options.body));
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: options.port ?? server.port,
        method,
        path,
        ca: identity.ca.certPem,
        ...(svid ? { cert: svid.certPem, key: svid.keyPem } : {}),
        ...(options.tls12 ? { maxVersion: 'TLSv1.2' as const } : {}),
        servername: 'localhost',
        agent: false,
        headers: {
          ...(body ? { 'content-type': 'application/json', 'content-length': body.length } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          const type = String(res.headers['content-type'] ?? '');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: bytes,
            ...(/json/.test(type) && bytes.length > 0
              ? { json: JSON.parse(bytes.toString()) }
              : {}),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function capabilities(id: string) {
  return deviceCapabilities(
    id,
    { cpus: [{ cores: 4, architecture: 'arm64' }], memory: '4 Gi', storage: '59 Gi' },
    { line: 'press' },
  );
}

function deploymentYaml(id: string, note: string): Buffer {
  return Buffer.from(
    `apiVersion: application.margo.org/v1alpha1\nkind: ApplicationDeployment\nmetadata:\n  name: line-status-gw\n  annotations:\n    note: ${note}\nid: ${id}\n`,
  );
}

const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

beforeAll(async () => {
  store = openStore(join(root, 'home'));
  identity = plantIdentity(store.paths);
  alice = addClient(store, identity, 'alice-gw').svid;
  bob = addClient(store, identity, 'bob-gw').svid;
  server = await startWfmServer({ store, identity, host: '127.0.0.1', port: 0, trustPort: 0 });
}, 60_000);

afterAll(async () => {
  await server?.close();
  store?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('identity and access', () => {
  it('a client without a certificate fails the TLS handshake', async () => {
    await expect(request(null, 'GET', '/api/v1/deployments')).rejects.toThrow(
      /certificate required|socket hang up|ECONNRESET|alert/i,
    );
  });

  it('a certificate of another trust domain fails the handshake', async () => {
    const foreignCa = createCertificateAuthority('elsewhere.example');
    const foreign = mintSvid(foreignCa, {
      spiffeId: clientSpiffeId('elsewhere.example', identity.wfmId, 'alice-gw'),
      commonName: 'x',
      server: false,
      days: 30,
    });
    await expect(request(foreign, 'GET', '/api/v1/deployments')).rejects.toThrow(
      /unknown ca|alert|socket hang up|ECONNRESET/i,
    );
  });

  it('a certificate of this CA for another WFM, or never accepted, gets 403 not-authorized', async () => {
    const otherWfm = mintSvid(identity.ca, {
      spiffeId: clientSpiffeId(identity.trustDomain, 'another-wfm', 'alice-gw'),
      commonName: 'x',
      server: false,
      days: 30,
    });
    const unknown = mintSvid(identity.ca, {
      spiffeId: clientSpiffeId(identity.trustDomain, identity.wfmId, 'mallory'),
      commonName: 'x',
      server: false,
      days: 30,
    });
    for (const svid of [otherWfm, unknown]) {
      const answer = await request(svid, 'GET', '/api/v1/deployments');
      expect(answer.status).toBe(403);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      conforms('ProblemDetail', answer.json);
      expect(answer.json).toMatchObject({ type: `${PROBLEM}not-authorized`, retryable: false });
    }
  });

  it('TLS 1.3 by default: a TLS 1.2-only client is refused', async () => {
    await expect(request(alice, 'GET', '/api/v1/deployments', { tls12: true })).rejects.toThrow(
      /protocol|version|alert/i,
    );
  });

  it('the server presents the WFM SVID with the names and addresses it is bound to', async () => {
    const peer = await new Promise<string>((resolve, reject) => {
      const socket = tlsConnect(
        {
          host: '127.0.0.1',
          port: server.port,
          ca: identity.ca.certPem,
          cert: alice.certPem,
          key: alice.keyPem,
          servername: 'localhost',
        },
        () => {
          resolve(socket.getPeerCertificate().subjectaltname ?? '');
          socket.end();
        },
      );
      socket.on('error', reject);
    });
    expect(peer).toContain(`URI:${identity.wfmSpiffeId}`);
    expect(peer).toContain('IP Address:127.0.0.1');
    expect(peer).toContain('DNS:localhost');
  });

  it('the Trust Bundle API answers without client authentication', async () => {
    const discovery = await request(null, 'GET', '/.well-known/margo', { port: server.trustPort });
    expect(discovery.json).toEqual({
      trustDomain: identity.trustDomain,
      trustBundleUri: `${server.trustUrl}/.well-known/spiffe/bundle.json`,
    });
    const bundle = await request(null, 'GET', '/.well-known/spiffe/bundle.json', {
      port: server.trustPort,
    });
    const keys = (bundle.json as { keys: { use: string; x5c: string[] }[] }).keys;
    expect(keys).toHaveLength(1);
    expect(keys[0]?.use).toBe('x509-svid');
    const der = Buffer.from(keys[0]?.x5c[0] ?? '', 'base64');
    expect(identity.ca.certPem.replace(/-----[A-Z ]+-----|\s/g, '')).toBe(der.toString('base64'));
    const again = await request(null, 'GET', '/.well-known/spiffe/bundle.json', {
      port: server.trustPort,
      headers: { 'if-none-match': String(bundle.headers.etag) },
    });
    expect(again.status).toBe(304);
  });
});

describe('capabilities', () => {
  it('PUT creates (201) then updates (200); DELETE removes (204), then 404', async () => {
    const first = await request(alice, 'PUT', '/api/v1/capabilities/gw-1', {
      body: capabilities('gw-1'),
    });
    expect(first.status).toBe(201);
    const second = await request(alice, 'PUT', '/api/v1/capabilities/gw-1', {
      body: capabilities('gw-1'),
    });
    expect(second.status).toBe(200);
    conforms('DeviceCapabilitiesManifest', capabilities('gw-1'));
    expect((await request(alice, 'DELETE', '/api/v1/capabilities/gw-1')).status).toBe(204);
    const gone = await request(alice, 'DELETE', '/api/v1/capabilities/gw-1');
    expect(gone.status).toBe(404);
    expect(gone.json).toMatchObject({ type: `${PROBLEM}device-not-found` });
  });

  it('a child before its gateway: 404 gateway-not-found; after it: 201', async () => {
    const early = await request(alice, 'PUT', '/api/v1/capabilities/gw-2/plc-1', {
      body: capabilities('gw-2/plc-1'),
    });
    expect(early.status).toBe(404);
    conforms('ProblemDetail', early.json);
    expect(early.json).toMatchObject({ type: `${PROBLEM}gateway-not-found` });
    await request(alice, 'PUT', '/api/v1/capabilities/gw-2', { body: capabilities('gw-2') });
    const child = await request(alice, 'PUT', '/api/v1/capabilities/gw-2/plc-1', {
      body: capabilities('gw-2/plc-1'),
    });
    expect(child.status).toBe(201);
  });

  it('device ids are scoped per client', async () => {
    const other = await request(bob, 'DELETE', '/api/v1/capabilities/gw-2');
    expect(other.status).toBe(404);
  });

  it('bad bodies: not JSON → 400 invalid-request; not a manifest → 422 with the fields', async () => {
    const junk = await request(alice, 'PUT', '/api/v1/capabilities/gw-3', {
      body: Buffer.from('{not json'),
    });
    expect(junk.status).toBe(400);
    expect(junk.json).toMatchObject({ type: `${PROBLEM}invalid-request` });
    const wrong = capabilities('gw-3') as { properties: Record<string, unknown> };
    delete wrong.properties.vendor;
    wrong.properties.cpus = [{ cores: 'four', architecture: 'x86' }];
    const semantic = await request(alice, 'PUT', '/api/v1/capabilities/gw-3', { body: wrong });
    expect(semantic.status).toBe(422);
    conforms('ProblemDetail', semantic.json);
    const fields = (semantic.json as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields.some((f) => f.includes('vendor'))).toBe(true);
    expect(fields.some((f) => f.includes('cpus'))).toBe(true);
  });

  it('a body naming another device id than the path: filed under the path, the reported id kept', async () => {
    const mismatch = await request(alice, 'PUT', '/api/v1/capabilities/gw-4', {
      body: capabilities('gw-5'),
    });
    expect(mismatch.status).toBe(201);
    expect(getDevice(store, 'alice-gw/gw-4')?.connection).toEqual({
      protocol: 'margo',
      clientId: 'alice-gw',
      deviceId: 'gw-4',
      reportedId: 'gw-5',
    });
    expect(getDevice(store, 'alice-gw/gw-5')).toBeUndefined();
    // Reporting its own id again drops the note.
    await request(alice, 'PUT', '/api/v1/capabilities/gw-4', { body: capabilities('gw-4') });
    expect(getDevice(store, 'alice-gw/gw-4')?.connection).not.toHaveProperty('reportedId');
    expect((await request(alice, 'DELETE', '/api/v1/capabilities/gw-4')).status).toBe(204);
  });
});

describe('one fleet', () => {
  it('a reporting device joins the inventory as <client>/<device>, and compatibility reads its report', async () => {
    const devices = listDevices(store).filter((d) => d.kind === 'margo');
    expect(devices.map((d) => d.name).sort()).toEqual(['alice-gw/gw-2', 'alice-gw/gw-2/plc-1']);
    const gw = getDevice(store, 'alice-gw/gw-2');
    expect(gw?.connection).toEqual({ protocol: 'margo', clientId: 'alice-gw', deviceId: 'gw-2' });
    expect(gw?.reported?.properties.cpus).toEqual([{ cores: 4, architecture: 'arm64' }]);
    const demo = validateDocumentText(
      readFileSync(join(REPO_ROOT, 'resources/demo/package/margo.yaml'), 'utf8'),
      { file: 'margo.yaml' },
    ).value as ApplicationDescription;
    const rows = compatibilityMatrix(demo, [gw as DeviceRecord]);
    expect(rows.map((r) => [r.device, r.verdict])).toEqual([['alice-gw/gw-2', 'compatible']]);
    // An unregistered gateway leaves with its children.
    await request(alice, 'PUT', '/api/v1/capabilities/gw-9', { body: capabilities('gw-9') });
    await request(alice, 'PUT', '/api/v1/capabilities/gw-9/io-1', {
      body: capabilities('gw-9/io-1'),
    });
    expect(getDevice(store, 'alice-gw/gw-9/io-1')).toBeDefined();
    expect((await request(alice, 'DELETE', '/api/v1/capabilities/gw-9')).status).toBe(204);
    expect(getDevice(store, 'alice-gw/gw-9')).toBeUndefined();
    expect(getDevice(store, 'alice-gw/gw-9/io-1')).toBeUndefined();
  });
});

describe('desired state', () => {
  const id = randomUUID();
  let firstDigest = '';

  it('an empty manifest: version 1, bundle null, strong ETag over the exact bytes, 304, 406', async () => {
    const answer = await request(bob, 'GET', '/api/v1/deployments');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/vnd.margo.manifest.v1+json');
    expect(answer.headers['cache-control']).toBe('private');
    conforms('UnsignedAppStateManifest', answer.json);
    expect(answer.json).toEqual({ bundle: null, deployments: [], manifestVersion: 1 });
    expect(answer.headers.etag).toBe(`"${digestOf(answer.body)}"`);
    const again = await request(bob, 'GET', '/api/v1/deployments', {
      headers: { 'if-none-match': String(answer.headers.etag) },
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // Only the manifest's own type, the wildcard, or no Accept are served.
    for (const accept of ['text/html', 'application/json', 'application/*', `${MANIFEST};q=0`]) {
      const refused = await request(bob, 'GET', '/api/v1/deployments', { headers: { accept } });
      expect(refused.status, accept).toBe(406);
      expect(refused.json).toMatchObject({ type: `${PROBLEM}server-cannot-generate-response` });
    }
    for (const accept of [MANIFEST, '*/*', `application/json;q=0.9, ${MANIFEST}`, '']) {
      const served = await request(bob, 'GET', '/api/v1/deployments', { headers: { accept } });
      expect(served.status, accept).toBe(200);
    }
  });

  it('a placed deployment: new version, its bytes and the bundle by digest, immutable caching', async () => {
    const yaml = deploymentYaml(id, 'first');
    firstDigest = setDesiredDeployment(store, 'alice-gw', 'gw-2', id, yaml);
    const answer = await request(alice, 'GET', '/api/v1/deployments');
    conforms('UnsignedAppStateManifest', answer.json);
    const manifest = answer.json as {
      manifestVersion: number;
      bundle: { digest: string; url: string; mediaType: string };
      deployments: { deploymentId: string; digest: string; url: string; sizeBytes: number }[];
    };
    expect(manifest.manifestVersion).toBe(1);
    expect(manifest.deployments).toEqual([
      {
        deploymentId: id,
        digest: digestOf(yaml),
        sizeBytes: yaml.length,
        url: `/api/v1/deployments/${id}/${digestOf(yaml)}`,
      },
    ]);
    const one = await request(alice, 'GET', manifest.deployments[0]!.url);
    expect(one.status).toBe(200);
    expect(one.body.equals(yaml)).toBe(true);
    expect(one.headers.etag).toBe(`"${digestOf(yaml)}"`);
    expect(one.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(one.headers['content-type']).toBe('application/yaml');
    const bundle = await request(alice, 'GET', manifest.bundle.url);
    expect(bundle.headers['content-type']).toBe('application/vnd.margo.bundle.v1+tar+gzip');
    expect(digestOf(bundle.body)).toBe(manifest.bundle.digest);
    const tar = gunzipSync(bundle.body);
    expect(tar.subarray(0, 100).toString().replace(/\0+$/, '')).toBe(`${id}.yaml`);
    expect(tar.includes(yaml)).toBe(true);
    const cached = await request(alice, 'GET', manifest.bundle.url, {
      headers: { 'if-none-match': `"${manifest.bundle.digest}"` },
    });
    expect(cached.status).toBe(304);
  });

  it('digests are looked up in the caller’s scope; unknown → 404, malformed → 400', async () => {
    const url = `/api/v1/deployments/${id}/${firstDigest}`;
    const foreign = await request(bob, 'GET', url);
    expect(foreign.status).toBe(404);
    expect(foreign.json).toMatchObject({ type: `${PROBLEM}deployment-not-found` });
    const unknown = await request(alice, 'GET', `/api/v1/bundles/sha256:${'0'.repeat(64)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ type: `${PROBLEM}invalid-bundle` });
    const bad = await request(alice, 'GET', `/api/v1/deployments/${id}/sha256:xyz`);
    expect(bad.status).toBe(400);
  });

  it('a change bumps the version; the superseded digest stays servable; it persists across restarts', async () => {
    setDesiredDeployment(store, 'alice-gw', 'gw-2', id, deploymentYaml(id, 'second'));
    const v2 = (await request(alice, 'GET', '/api/v1/deployments')).json as {
      manifestVersion: number;
    };
    expect(v2.manifestVersion).toBe(2);
    const old = await request(alice, 'GET', `/api/v1/deployments/${id}/${firstDigest}`);
    expect(old.status).toBe(200);
    await server.close();
    server = await startWfmServer({ store, identity, host: '127.0.0.1', port: 0, trustPort: 0 });
    const same = (await request(alice, 'GET', '/api/v1/deployments')).json as {
      manifestVersion: number;
    };
    expect(same.manifestVersion).toBe(2);
    // Superseded bytes are kept a week, then go with the next change.
    store.db
      .prepare('UPDATE margo_served SET superseded_at = ? WHERE client_id = ? AND digest = ?')
      .run(new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString(), 'alice-gw', firstDigest);
    removeDesiredDeployment(store, 'alice-gw', id);
    const empty = (await request(alice, 'GET', '/api/v1/deployments')).json;
    expect(empty).toEqual({ bundle: null, deployments: [], manifestVersion: 3 });
    expect((await request(alice, 'GET', `/api/v1/deployments/${id}/${firstDigest}`)).status).toBe(
      404,
    );
    setDesiredDeployment(store, 'alice-gw', 'gw-2', id, deploymentYaml(id, 'third'));
  });

  it('status: 201 then 200; a bad state → 422; a deployment never given → 422', async () => {
    const status = {
      deploymentId: id,
      deviceId: 'gw-2',
      adoptedManifestVersion: 4,
      status: { state: 'installing' },
      components: [{ name: 'line-status', state: 'installing' }],
    };
    conforms('DeploymentStatusManifest', status);
    const path = `/api/v1/deployments/${id}/status`;
    expect((await request(alice, 'POST', path, { body: status })).status).toBe(201);
    const installed = {
      ...status,
      status: { state: 'installed' },
      components: [{ name: 'line-status', state: 'installed' }],
    };
    expect((await request(alice, 'POST', path, { body: installed })).status).toBe(200);
    const bad = await request(alice, 'POST', path, {
      body: { ...status, status: { state: 'exploded' } },
    });
    expect(bad.status).toBe(422);
    conforms('ProblemDetail', bad.json);
    const never = await request(bob, 'POST', path, { body: status });
    expect(never.status).toBe(422);
  });

  it('a revoked client is refused at once by the running server', async () => {
    expect((await request(bob, 'GET', '/api/v1/deployments')).status).toBe(200);
    revokeClient(store, 'bob-gw');
    const refused = await request(bob, 'GET', '/api/v1/deployments');
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ type: `${PROBLEM}not-authorized` });
  });
});
