import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildDemoKit } from '../../electron/demo-kit/build-demo-kit';
import { createAppCore, type AppCore } from '../../electron/core/contract-handlers/app-core';
import type { KeyAndCertificate } from '../../electron/core/identity/certificates';
import { addClient } from '../../electron/core/identity/margo-clients';
import { plantIdentity, type PlantIdentity } from '../../electron/core/identity/plant-identity';
import { openStore, type Store } from '../../electron/core/store/store';
import { DeployForm, DeployPlan } from '../../shared/contract/deploy';
import { makePackageFixture } from '../support/kit-fixture';
import { deviceCapabilities, margoClientRequest } from '../support/margo-device-client';
import { DeploymentDetail } from '../../shared/contract/deployments';
import { coreCalls } from '../support/core-calls';

/**
 * One fleet: a Margo device (played by its client over real mutual TLS) reports its
 * capabilities, appears in the app's inventory, gets the demo app through the same wizard
 * operations as a Docker device, pulls it from its desired state, and its status reports
 * drive the deployment's states and timeline; an update and a removal follow the same way.
 */
const APP = 'org-commissioner-demo-line-status';
const DEVICE = 'press-gw/gw-1';
const root = mkdtempSync(join(tmpdir(), 'commissioner-margo-deploy-'));
let core: AppCore;
let store: Store;
let identity: PlantIdentity;
let port = 0;
let client: KeyAndCertificate;

const { call, waitForJob } = coreCalls(() => core, 50);

/** The device's client: one HTTPS request with its SVID. */
const device = (method: string, path: string, body?: unknown) =>
  margoClientRequest(
    {
      url: `https://127.0.0.1:${port}`,
      ca: identity.ca.certPem,
      cert: client.certPem,
      key: client.keyPem,
    },
    method,
    path,
    body,
  );

async function desired(): Promise<{
  manifestVersion: number;
  deployments: { deploymentId: string; digest: string; url: string }[];
}> {
  return JSON.parse((await device('GET', '/api/v1/deployments')).text);
}

async function deploy(values: Record<string, unknown>) {
  const request = {
    id: APP,
    version: '1.0.0',
    profile: 'line-status-compose',
    devices: [DEVICE],
    values,
  };
  const plan = DeployPlan.parse(await call('deploy.plan', request));
  const [d] = plan.devices;
  if (!d?.ok) throw new Error(`refused: ${JSON.stringify(d)}`);
  const { jobId } = await call<{ jobId: string }>('deploy.start', {
    ...request,
    reviewed: { [DEVICE]: d.digest },
  });
  return { plan: d, job: await waitForJob(jobId) };
}

function report(
  deploymentId: string,
  version: number,
  state: string,
  error?: { code: string; message: string },
) {
  return device('POST', `/api/v1/deployments/${deploymentId}/status`, {
    deploymentId,
    deviceId: 'gw-1',
    adoptedManifestVersion: version,
    status: { state, ...(error ? { error: { ...error, source: 'line-status-gw-1' } } : {}) },
    components: [
      {
        name: 'line-status',
        state,
        ...(error ? { error: { ...error, source: 'line-status' } } : {}),
      },
    ],
  });
}

const events: string[][] = [];

beforeAll(async () => {
  const home = join(root, 'home');
  // The client is provisioned first (as `margo client add` does, before any server ran)…
  store = openStore(home);
  identity = plantIdentity(store.paths);
  client = addClient(store, identity, 'press-gw').svid;
  // …then the app serves Margo devices itself, on its own store (as `serve --margo`).
  core = await createAppCore({
    host: 'browser',
    home,
    demoKit: await buildDemoKit(),
    margo: { host: '127.0.0.1', port: 0, trustPort: 0 },
  });
  core.onEvent((e) => {
    if (e.event === 'store.changed') events.push((e.payload as { what: string[] }).what);
  });
  const info = await call<{ margo: { url: string; trustDomain: string } | null }>('app.info');
  expect(info.margo?.trustDomain).toBe(identity.trustDomain);
  port = Number(new URL(info.margo?.url ?? '').port);
  const { jobId } = await call<{ jobId: string }>('imports.start', { sources: [{ kind: 'demo' }] });
  expect((await waitForJob(jobId)).state).toBe('succeeded');
}, 120_000);

afterAll(async () => {
  store?.close();
  await core?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('deploying to a Margo device', () => {
  it('a device that reports its capabilities appears in the wizard, compatible', async () => {
    const put = await device('PUT', '/api/v1/capabilities/gw-1', deviceCapabilities('gw-1'));
    expect(put.status).toBe(201);
    // The open views hear of it at once (store changes reach them every 100 ms at most).
    await vi.waitFor(() => expect(events.some((what) => what.includes('devices'))).toBe(true), {
      timeout: 1000,
    });
    const form = DeployForm.parse(await call('deploy.form', { id: APP, devices: [DEVICE] }));
    expect(form.devices.find((d) => d.name === DEVICE)).toMatchObject({
      verdict: 'compatible',
      disabledReason: null,
    });
  });

  it('deploying places it in the desired state; the device pulls exactly the reviewed bytes', async () => {
    const { plan, job } = await deploy({ lineName: 'Gateway line', pollSeconds: 15, port: 8088 });
    expect(plan.items).toEqual([
      expect.objectContaining({ component: 'line-status', action: 'place' }),
    ]);
    expect(plan.images).toEqual([]);
    expect(job.outcomes?.[0]).toMatchObject({ device: DEVICE, state: 'placed', revision: 1 });
    const manifest = await desired();
    expect(manifest.deployments).toHaveLength(1);
    const entry = manifest.deployments[0]!;
    expect(entry.deploymentId).toBe(plan.deploymentId);
    expect(entry.digest).toBe(plan.digest);
    const yaml = parse((await device('GET', entry.url)).text) as {
      id: string;
      metadata: { deviceId?: string };
    };
    expect(yaml.id).toBe(plan.deploymentId);
    // The device id in the deployment is the one the client knows (scoped to it).
    expect(JSON.stringify(yaml)).toContain('gw-1');
    expect(JSON.stringify(yaml)).not.toContain('press-gw/gw-1');
    const detail = DeploymentDetail.parse(
      await call('deployments.show', { id: plan.deploymentId }),
    );
    expect(detail).toMatchObject({ state: 'pending', device: DEVICE });
  });

  it('the device’s reports drive the states and the timeline', async () => {
    const id = (await desired()).deployments[0]!.deploymentId;
    const version = (await desired()).manifestVersion;
    expect((await report(id, version, 'installing')).status).toBe(201);
    let detail = DeploymentDetail.parse(await call('deployments.show', { id }));
    expect(detail.state).toBe('installing');
    expect((await report(id, version, 'installed')).status).toBe(200);
    detail = DeploymentDetail.parse(await call('deployments.show', { id }));
    expect(detail.state).toBe('installed');
    expect(detail.components).toEqual([
      expect.objectContaining({ name: 'line-status', state: 'installed' }),
    ]);
    expect(detail.revisions.map((r) => [r.revision, r.outcome])).toEqual([[1, 'installed']]);
    expect(detail.events.some((e) => e.message.startsWith('the device reports installed'))).toBe(
      true,
    );
    const logs = await core.call('deployments.logs', { id });
    expect(logs).toMatchObject({ ok: false, error: { name: 'not-supported' } });
  });

  it('an update is a new desired state; a failure reported comes back with its reason', async () => {
    const before = (await desired()).manifestVersion;
    const { plan, job } = await deploy({ lineName: 'Gateway line 2', pollSeconds: 15, port: 8088 });
    expect(plan.update).toBe(1);
    expect(plan.items[0]?.action).toBe('update');
    expect(job.outcomes?.[0]).toMatchObject({ state: 'placed', revision: 2 });
    const after = await desired();
    expect(after.manifestVersion).toBe(before + 1);
    expect(after.deployments[0]?.digest).toBe(plan.digest);
    await report(plan.deploymentId, after.manifestVersion, 'failed', {
      code: 'image-pull',
      message: 'registry.plant.local unreachable',
    });
    const detail = DeploymentDetail.parse(
      await call('deployments.show', { id: plan.deploymentId }),
    );
    expect(detail.state).toBe('failed');
    expect(detail.error?.message).toBe('registry.plant.local unreachable');
    expect(detail.components[0]?.error?.code).toBe('image-pull');
  });

  it('rollback places the earlier revision again; removal takes it out until the device says removed', async () => {
    const id = (await desired()).deployments[0]!.deploymentId;
    const rolled = await waitForJob(
      (await call<{ jobId: string }>('deployments.rollback', { id })).jobId,
    );
    expect(rolled.outcomes?.[0]).toMatchObject({ state: 'placed', rolledBackTo: 1 });
    const first = DeploymentDetail.parse(await call('deployments.show', { id }));
    expect((await desired()).deployments[0]?.digest).toBe(first.revisions[0]?.digest);
    const removed = await waitForJob(
      (await call<{ jobId: string }>('deployments.remove', { id, volumes: false })).jobId,
    );
    expect(removed.state).toBe('succeeded');
    const manifest = await desired();
    expect(manifest.deployments).toEqual([]);
    expect(DeploymentDetail.parse(await call('deployments.show', { id })).state).toBe('removing');
    await report(id, manifest.manifestVersion, 'removed');
    expect(DeploymentDetail.parse(await call('deployments.show', { id })).state).toBe('removed');
  });
});

describe('a Helm profile to a Margo device that runs Helm', () => {
  const HELM_DEVICE = 'press-gw/k3s-1';
  const capabilitiesOf = (id: string, vendor: string) =>
    deviceCapabilities(id, {
      vendor,
      cpus: [{ cores: 4, architecture: 'arm64' }],
      memory: '8 Gi',
      storage: '64 Gi',
      supportedDeploymentTypes: ['helm'],
    });

  it('picks the Helm profile the device supports and places it; eligibility rules still apply', async () => {
    // An app with a compose and a Helm profile; the Helm one requires vendor Example.
    const fixture = await makePackageFixture(join(root, 'line-monitor'));
    const token = core.registerPicked(
      { path: fixture.packageDir, kind: 'folder' },
      'package',
    ).token;
    const imported = await waitForJob(
      (await call<{ jobId: string }>('imports.start', { sources: [{ kind: 'picked', token }] }))
        .jobId,
    );
    expect(imported.result?.imported.some((i) => i.kind === 'application')).toBe(true);
    expect(
      (await device('PUT', '/api/v1/capabilities/k3s-1', capabilitiesOf('k3s-1', 'Example')))
        .status,
    ).toBe(201);
    expect(
      (await device('PUT', '/api/v1/capabilities/k3s-2', capabilitiesOf('k3s-2', 'Other'))).status,
    ).toBe(201);

    const form = DeployForm.parse(
      await call('deploy.form', { id: 'com-example-line-monitor', devices: [HELM_DEVICE] }),
    );
    expect(form.profile).toBe('line-monitor-helm');
    expect(form.devices.find((d) => d.name === HELM_DEVICE)?.verdict).toBe('compatible');
    expect(form.devices.find((d) => d.name === 'press-gw/k3s-2')?.disabledReason).toMatch(
      /vendor/i,
    );

    const request = {
      id: 'com-example-line-monitor',
      version: '1.2.0',
      profile: 'line-monitor-helm',
      devices: [HELM_DEVICE, 'press-gw/k3s-2'],
      values: { pollSeconds: 60 },
    };
    const plan = DeployPlan.parse(await call('deploy.plan', request));
    const [helm, other] = plan.devices;
    expect(other).toMatchObject({ ok: false, code: 'incompatible' });
    if (!helm?.ok) throw new Error(`refused: ${JSON.stringify(helm)}`);
    const { jobId } = await call<{ jobId: string }>('deploy.start', {
      ...request,
      devices: [HELM_DEVICE],
      reviewed: { [HELM_DEVICE]: helm.digest },
    });
    expect((await waitForJob(jobId)).outcomes?.[0]).toMatchObject({ state: 'placed' });
    const entry = (await desired()).deployments.find((d) => d.deploymentId === helm.deploymentId);
    const yaml = parse((await device('GET', entry?.url ?? '')).text) as {
      spec: {
        deploymentProfile: { type: string; components: { name: string }[] };
        parameters: Record<string, { value: unknown; targets: { pointer: string }[] }>;
      };
    };
    expect(yaml.spec.deploymentProfile.type).toBe('helm');
    expect(yaml.spec.deploymentProfile.components.map((c) => c.name)).toEqual(['monitor-chart']);
    expect(yaml.spec.parameters.pollSeconds?.value).toBe(60);
    expect(yaml.spec.parameters.pollSeconds?.targets.map((t) => t.pointer)).toEqual([
      'settings.pollSeconds',
    ]);
  });
});
