import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../electron/core/contract-handlers/app-core';
import { addClient } from '../../electron/core/identity/margo-clients';
import { plantIdentity } from '../../electron/core/identity/plant-identity';
import { openStore } from '../../electron/core/store/store';
import { DeployPlan } from '../../shared/contract/deploy';
import { DeploymentDetail } from '../../shared/contract/deployments';
import { DeviceView } from '../../shared/contract/devices';
import { coreCalls } from '../support/core-calls';
import { makePackageFixture } from '../support/kit-fixture';
import { deviceCapabilities, type MargoClientBundle } from '../support/margo-device-client';
import { ReferenceAgent } from '../support/reference-agent';

/**
 * The margo/sandbox reference device agent as a client of ours, its request sequence as
 * docs/margo-conformance.md describes it: capabilities under its client id, polling with the
 * ETag, the bundle and the deployment by digest, status reports without
 * adoptedManifestVersion, and removal. A real deployment is placed through the core; what the
 * agent's reports mean is asserted in the records the engineer sees.
 */
const CLIENT = 'press-agent';
const DEVICE = `${CLIENT}/${CLIENT}`;
const APP = 'com-example-line-monitor';
const root = mkdtempSync(join(tmpdir(), 'commissioner-reference-agent-'));
let core: AppCore;
let agent: ReferenceAgent;
let bundle: MargoClientBundle;
let deploymentId = '';
const { call, waitForJob } = coreCalls(() => core, 50);

const detail = async () =>
  DeploymentDetail.parse(await call('deployments.show', { id: deploymentId }));

beforeAll(async () => {
  const home = join(root, 'home');
  const store = openStore(home);
  const identity = plantIdentity(store.paths);
  const svid = addClient(store, identity, CLIENT).svid;
  store.close();
  core = await createAppCore({
    host: 'browser',
    home,
    margo: { host: '127.0.0.1', port: 0, trustPort: 0 },
  });
  const info = await call<{ margo: { url: string } | null }>('app.info');
  bundle = {
    url: info.margo?.url ?? '',
    ca: identity.ca.certPem,
    cert: svid.certPem,
    key: svid.keyPem,
  };
  agent = new ReferenceAgent(bundle, CLIENT);
  const fixture = await makePackageFixture(join(root, 'line-monitor'));
  const token = core.registerPicked({ path: fixture.packageDir, kind: 'folder' }, 'package').token;
  const imported = await waitForJob(
    (await call<{ jobId: string }>('imports.start', { sources: [{ kind: 'picked', token }] }))
      .jobId,
  );
  expect(imported.state).toBe('succeeded');
}, 60_000);

afterAll(async () => {
  await core?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the reference device agent', () => {
  it('reports capabilities under its client id: the device is the path’s, the reported id kept and shown', async () => {
    expect(await agent.reportCapabilities(deviceCapabilities('line-7-edge'))).toBe(201);
    const devices = DeviceView.array().parse(await call('devices.list'));
    const device = devices.find((d) => d.name === DEVICE);
    expect(device?.kind).toBe('margo');
    expect(device?.connection.address).toBe(
      `margo client ${CLIENT}, device ${CLIENT} (reports itself as line-7-edge)`,
    );
    // A second report is an update of the same device, not another one.
    expect(await agent.reportCapabilities(deviceCapabilities('line-7-edge'))).toBe(200);
    expect(
      DeviceView.array()
        .parse(await call('devices.list'))
        .filter((d) => d.kind === 'margo')
        .map((d) => d.name),
    ).toEqual([DEVICE]);
  });

  it('polls with the ETag it was given: 200 once, then 304 while nothing changes', async () => {
    expect(await agent.sync()).toBe(200);
    expect(agent.manifestVersion).toBe(1);
    expect(await agent.sync()).toBe(304);
    expect(agent.log.slice(-2).map((r) => [r.path, r.ifNoneMatch, r.status])).toEqual([
      ['/api/v1/deployments', undefined, 200],
      ['/api/v1/deployments', agent.etag, 304],
    ]);
  });

  it('gets a deployment placed through the core: the bundle by digest, the YAML checked against the manifest', async () => {
    const request = {
      id: APP,
      version: '1.2.0',
      profile: 'line-monitor-compose',
      devices: [DEVICE],
      values: {},
    };
    const plan = DeployPlan.parse(await call('deploy.plan', request));
    const [planned] = plan.devices;
    if (!planned?.ok) throw new Error(`refused: ${JSON.stringify(planned)}`);
    deploymentId = planned.deploymentId;
    const job = await waitForJob(
      (
        await call<{ jobId: string }>('deploy.start', {
          ...request,
          reviewed: { [DEVICE]: planned.digest },
        })
      ).jobId,
    );
    expect(job.outcomes?.[0]).toMatchObject({ device: DEVICE, state: 'placed' });

    const before = agent.log.length;
    expect(await agent.sync()).toBe(200);
    expect(agent.manifestVersion).toBe(2);
    const fetched = agent.log
      .slice(before)
      .map((r) => [r.method, r.path.split('/sha256:')[0], r.status]);
    expect(fetched).toEqual([
      ['GET', '/api/v1/deployments', 200],
      ['GET', '/api/v1/bundles', 200],
    ]);
    const yaml = agent.deployments.get(deploymentId)?.yaml;
    expect(parse(String(yaml))).toMatchObject({
      id: deploymentId,
      // The device id of the deployment is the one the agent's report was filed under.
      metadata: { deviceId: CLIENT },
    });
    // Its fallback, one deployment by digest: a held one is asked for with its ETag (304)…
    expect(
      (await agent.fetchDeployment({ deploymentId, digest: planned.digest, url: '' })).equals(
        yaml as Buffer,
      ),
    ).toBe(true);
    expect(agent.log.at(-1)).toMatchObject({ ifNoneMatch: `"${planned.digest}"`, status: 304 });
    // …and an agent that holds nothing gets the same bytes.
    const fresh = new ReferenceAgent(bundle, CLIENT);
    expect(await fresh.sync({ perDeployment: true })).toBe(200);
    expect(fresh.log.map((r) => [r.path.split('/sha256:')[0], r.status])).toEqual([
      ['/api/v1/deployments', 200],
      [`/api/v1/deployments/${deploymentId}`, 200],
    ]);
    expect(fresh.deployments.get(deploymentId)?.yaml.equals(yaml as Buffer)).toBe(true);
  });

  it('its status reports carry no adoptedManifestVersion: accepted, and the timeline says so', async () => {
    const components = (state: string) => [{ name: 'monitor', state }];
    expect(await agent.reportStatus(deploymentId, 'installing', components('installing'))).toBe(
      201,
    );
    expect((await detail()).state).toBe('installing');
    expect(await agent.reportStatus(deploymentId, 'installed', components('installed'))).toBe(200);
    const installed = await detail();
    expect(installed.state).toBe('installed');
    expect(installed.components).toEqual([
      expect.objectContaining({ name: 'monitor', state: 'installed' }),
    ]);
    expect(installed.revisions.map((r) => [r.revision, r.outcome])).toEqual([[1, 'installed']]);
    const words = installed.events.map((e) => e.message);
    expect(words).toEqual(
      expect.arrayContaining([
        'the device reports installing (manifest version not reported)',
        'the device reports installed (manifest version not reported)',
      ]),
    );
    expect(await agent.sync()).toBe(304);
  });

  it('removal: the deployment leaves the manifest, the agent reports removing then removed', async () => {
    const removed = await waitForJob(
      (await call<{ jobId: string }>('deployments.remove', { id: deploymentId, volumes: false }))
        .jobId,
    );
    expect(removed.state).toBe('succeeded');
    expect((await detail()).state).toBe('removing');
    expect(await agent.sync()).toBe(200);
    expect(agent.manifestVersion).toBe(3);
    expect([...agent.removing]).toEqual([deploymentId]);
    const components = (state: string) => [{ name: 'monitor', state }];
    expect(await agent.reportStatus(deploymentId, 'removing', components('removing'))).toBe(200);
    expect(await agent.reportStatus(deploymentId, 'removed', components('removed'))).toBe(200);
    const gone = await detail();
    expect(gone.state).toBe('removed');
    expect(gone.events.map((e) => e.message)).toContain(
      'the device reports removed (manifest version not reported)',
    );
    expect(await agent.sync()).toBe(304);
  });
});
