import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyAndCertificate } from '../../electron/core/identity/certificates';
import { addClient } from '../../electron/core/identity/margo-clients';
import { plantIdentity } from '../../electron/core/identity/plant-identity';
import { setDesiredDeployment } from '../../electron/core/store/margo-desired-state';
import { openStore } from '../../electron/core/store/store';
import { fuzzCases, misanswered } from '../support/margo-fuzz-cases';
import { margoClientRequest } from '../support/margo-device-client';
import { holdTlsConnection, rawExchange } from '../support/raw-tls-exchange';
import { enter, startServe, type ServeProcess } from '../support/serve-process';

/**
 * `npm run serve -- --margo` as the engineer starts it, with a device's client played over
 * real mutual TLS: a malformed request, fuzzed requests and a connection flood from the plant
 * LAN must leave the whole app running — the devices' API and the engineer's UI alike.
 */
describe('serve --margo under hostile requests', () => {
  const root = mkdtempSync(join(tmpdir(), 'commissioner-serve-margo-'));
  const home = join(root, 'home');
  const deploymentId = randomUUID();
  let serve: ServeProcess;
  let ca = '';
  let svid: KeyAndCertificate;
  let wfm: URL;
  /** The access cookie the printed URL gives (the UI and /api need it, loopback included). */
  let cookie = '';

  const device = () => ({ url: wfm, ca, cert: svid.certPem, key: svid.keyPem });

  /** The app is alive, its UI loads, and a device still polls and reports. */
  async function stillServing(): Promise<void> {
    expect(serve.process.exitCode).toBeNull();
    expect(serve.process.signalCode).toBeNull();
    const page = await fetch(new URL(serve.url).origin, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"');
    const poll = await margoClientRequest(device(), 'GET', '/api/v1/deployments');
    expect(poll.status).toBe(200);
    expect(poll.text).toContain(deploymentId);
    const report = await margoClientRequest(
      device(),
      'POST',
      `/api/v1/deployments/${deploymentId}/status`,
      {
        deploymentId,
        deviceId: 'gw-1',
        adoptedManifestVersion: 1,
        status: { state: 'installing' },
        components: [{ name: 'line-status', state: 'installing' }],
      },
    );
    expect([200, 201]).toContain(report.status);
    // Nothing failed unexpectedly on the way (hang-ups and refusals are not logged).
    const log = join(home, 'logs', 'errors.log');
    const failures = existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter((l) => l.includes('"context":"Margo'))
      : [];
    expect(failures).toEqual([]);
  }

  beforeAll(async () => {
    mkdirSync(home, { recursive: true });
    // Provisioning, as `margo client add` does it, and a deployment placed for its device.
    const store = openStore(home);
    try {
      const identity = plantIdentity(store.paths);
      ca = identity.ca.certPem;
      svid = addClient(store, identity, 'press-gw').svid;
      setDesiredDeployment(
        store,
        'press-gw',
        'gw-1',
        deploymentId,
        Buffer.from(
          `apiVersion: application.margo.org/v1alpha1\nkind: ApplicationDeployment\nid: ${deploymentId}\n`,
        ),
      );
    } finally {
      store.close();
    }
    serve = await startServe(home, [
      '--margo',
      '--margo-host',
      '127.0.0.1',
      '--margo-port',
      '0',
      '--margo-trust-port',
      '0',
    ]);
    const origin = new URL(serve.url).origin;
    cookie = (await enter(serve.url)).cookie;
    const info = (await (
      await fetch(`${origin}/api/call`, {
        method: 'POST',
        headers: { origin, cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ op: 'app.info', request: {} }),
      })
    ).json()) as { result: { margo: { url: string } | null } };
    expect(info.result.margo, 'serve --margo does not serve Margo devices').not.toBeNull();
    wfm = new URL(info.result.margo?.url ?? '');
  }, 180_000);

  afterAll(async () => {
    await serve?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('the malformed-URI DELETE gets 400 invalid-request, and the app keeps serving', async () => {
    const answer = await margoClientRequest(device(), 'DELETE', '/api/v1/capabilities/%E0%A4%A');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({
      type: 'https://docs.margo.org/specification/problem-types#invalid-request',
      status: 400,
    });
    await stillServing();
  }, 60_000);

  it('fuzzed requests and a connection flood past the per-address cap leave it serving', async () => {
    const target = {
      host: wfm.hostname,
      port: Number(wfm.port),
      ca,
      cert: svid.certPem,
      key: svid.keyPem,
    };
    const cases = fuzzCases(
      { deploymentId, blobPath: `/v2/library/busybox/blobs/sha256:${'ab'.repeat(32)}` },
      { seed: 0x5e7e, count: 80, stalling: false },
    );
    const wrong: string[] = [];
    for (let i = 0; i < cases.length; i += 4) {
      await Promise.all(
        cases.slice(i, i + 4).map(async (c) => {
          const problem = misanswered(
            c,
            await rawExchange(target, [c.bytes], { timeoutMs: 20_000 }),
          );
          if (problem) wrong.push(problem);
        }),
      );
    }
    expect(wrong).toEqual([]);
    await stillServing();
    // One address opening more than its 32 connections: the rest are refused, others served.
    const held = await Promise.all(
      Array.from({ length: 40 }, () =>
        holdTlsConnection({ ...target, localAddress: '127.0.0.60' }),
      ),
    );
    try {
      expect(held.filter(Boolean)).toHaveLength(32);
      await stillServing();
    } finally {
      for (const socket of held) socket?.destroy();
    }
  }, 180_000);
});
