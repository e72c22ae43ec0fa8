import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoKit, DEMO_IMAGE } from '../../electron/demo-kit/build-demo-kit';
import { addClient, revokeClient } from '../../electron/core/identity/margo-clients';
import { plantIdentity } from '../../electron/core/identity/plant-identity';
import { readImageManifest } from '../../electron/core/images/docker-save-stream';
import { findImageRef, resolveImageRef } from '../../electron/core/images/find-image-ref';
import { importSources } from '../../electron/core/import/import-sources';
import { startWfmServer, type WfmServer } from '../../electron/core/margo-server/wfm-server';
import { openStore, type Store } from '../../electron/core/store/store';
import { engineJson, engineRequest, startFleet, type Fleet } from '../support/docker-fleet';

/**
 * The laptop as the plant's registry, the Docker way: a real dockerd (in its own network
 * namespace) pulls the demo compose archive's image from the WFM's registry endpoint, trusting
 * the trust domain's CA and presenting a client certificate from /etc/docker/certs.d — and is
 * refused once that client is revoked.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-registry-docker-'));
let fleet: Fleet;
let store: Store;
let server: WfmServer;
let certsDir = '';
let registry = '';
let hostsLine = '';
/** The supplier registry the demo image is named after. */
const REGISTRY_HOST = DEMO_IMAGE.split('/')[0] as string;

beforeAll(async () => {
  fleet = await startFleet({ count: 1 });
  store = openStore(join(root, 'home'));
  const kit = await buildDemoKit();
  if (!kit) throw new Error('the demo kit cannot be built here (busybox-static missing)');
  await importSources(store, [{ input: 'demo kit', path: kit }]);
  const identity = plantIdentity(store.paths);
  const { svid } = addClient(store, identity, 'press-gw');
  server = await startWfmServer({ store, identity, host: '0.0.0.0', port: 0, trustPort: 0 });
  const device = fleet.daemons[0]!;
  // The Docker way: the supplier registry's name resolves to the laptop (here /etc/hosts,
  // which the daemon in its network namespace shares), and certs.d trusts the plant's CA.
  hostsLine = `${device.hostAddress} ${REGISTRY_HOST} # commissioner-test-${process.pid}`;
  appendFileSync('/etc/hosts', `\n${hostsLine}\n`);
  registry = `${REGISTRY_HOST}:${server.port}`;
  // dockerd reads registry trust from /etc/docker/certs.d/<host:port>/ (one per registry).
  certsDir = join('/etc/docker/certs.d', registry);
  mkdirSync(certsDir, { recursive: true });
  writeFileSync(join(certsDir, 'ca.crt'), identity.ca.certPem);
  writeFileSync(join(certsDir, 'client.cert'), svid.certPem);
  writeFileSync(join(certsDir, 'client.key'), svid.keyPem, { mode: 0o600 });
}, 180_000);

afterAll(async () => {
  if (hostsLine) {
    const hosts = readFileSync('/etc/hosts', 'utf8');
    writeFileSync('/etc/hosts', hosts.replace(`\n${hostsLine}\n`, ''));
  }
  if (certsDir) rmSync(certsDir, { recursive: true, force: true });
  await server?.close();
  store?.close();
  await fleet?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function pull(reference: string): Promise<{ status: number; text: string }> {
  const [name, tag] = reference.split(/:(?=[^:/]+$)/) as [string, string];
  const res = await engineRequest(
    fleet.daemons[0]!,
    'POST',
    `/images/create?fromImage=${encodeURIComponent(name)}&tag=${encodeURIComponent(tag)}`,
    { timeoutMs: 120_000 },
  );
  return { status: res.status, text: res.body.toString('utf8') };
}

describe('a Docker device pulls from the laptop', () => {
  it('pulls the compose archive’s image by the supplier registry’s name, trusting the plant CA', async () => {
    const image = `${registry}/${DEMO_IMAGE.replace(/^[^/]+\//, '')}`;
    const pulled = await pull(image);
    expect(pulled.status).toBe(200);
    expect(pulled.text).not.toMatch(/"error"/);
    expect(pulled.text).toContain(`Downloaded newer image for ${registry}/`);
    const inspected = await engineJson<{ Id: string }>(
      fleet.daemons[0]!,
      'GET',
      `/images/${encodeURIComponent(image)}/json`,
    );
    // The image the device runs is the one in the store, byte for byte (same config digest).
    const ref = findImageRef(store, DEMO_IMAGE) ?? '';
    const stored = resolveImageRef(store, ref);
    expect(stored?.kind).toBe('image');
    const manifest = readImageManifest(store.blobs, stored?.digest ?? '');
    expect(inspected.Id).toBe(manifest.config.digest);
  }, 180_000);

  it('a revoked client cannot pull any more', async () => {
    revokeClient(store, 'press-gw');
    const image = `${registry}/${DEMO_IMAGE.replace(/^[^/]+\//, '')}`;
    await engineRequest(fleet.daemons[0]!, 'DELETE', `/images/${encodeURIComponent(image)}`);
    const refused = await pull(image);
    expect(refused.text).toMatch(/denied: client press-gw is not accepted by this WFM/);
  }, 180_000);
});
