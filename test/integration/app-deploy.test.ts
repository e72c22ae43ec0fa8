import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoKit } from '../../electron/demo-kit/build-demo-kit';
import { createAppCore, type AppCore } from '../../electron/core/contract-handlers/app-core';
import { DeployForm, DeployPlan } from '../../shared/contract/deploy';
import { DeploymentDetail, DeploymentListEntry } from '../../shared/contract/deployments';
import { coreCalls } from '../support/core-calls';
import type { EventMessage } from '../../shared/contract/wire';
import { makeBrokenDemoUpdate } from '../support/demo-update-fixture';
import { startFleet, type Fleet } from '../support/docker-fleet';

/**
 * Configure and deploy through the app core, as the wizard and the Deployments screen use it:
 * the demo app onto two real Docker daemons, an update that recreates one service, a plan that
 * changed since its review, a rollback, a removal.
 */
const APP = 'org-commissioner-demo-line-status';
const root = mkdtempSync(join(tmpdir(), 'commissioner-app-deploy-'));
let fleet: Fleet;
let core: AppCore;
const events: EventMessage[] = [];

const { call, waitForJob } = coreCalls(() => core);

function request(devices: string[], values: Record<string, unknown>) {
  return { id: APP, version: '1.0.0', profile: 'line-status-compose', devices, values };
}

async function reviewAndDeploy(devices: string[], values: Record<string, unknown>) {
  const plan = DeployPlan.parse(await call('deploy.plan', request(devices, values)));
  const reviewed = Object.fromEntries(
    plan.devices.flatMap((d) => (d.ok ? [[d.device, d.digest]] : [])),
  );
  const { jobId } = await call<{ jobId: string }>('deploy.start', {
    ...request(devices, values),
    reviewed,
  });
  return { plan, job: await waitForJob(jobId) };
}

beforeAll(async () => {
  fleet = await startFleet({ count: 2 });
  const demoKit = await buildDemoKit();
  core = await createAppCore({ host: 'browser', home: join(root, 'home'), demoKit });
  core.onEvent((e) => events.push(e));
  const { jobId } = await call<{ jobId: string }>('imports.start', { sources: [{ kind: 'demo' }] });
  expect((await waitForJob(jobId)).state).toBe('succeeded');
  for (const [i, d] of fleet.daemons.entries()) {
    const pick = (path: string) => core.registerPicked({ path, kind: 'file' }, path).token;
    await call('devices.add', {
      name: `line-${i + 1}`,
      host: d.url,
      tls: { ca: pick(d.tls.caPath), cert: pick(d.tls.certPath), key: pick(d.tls.keyPath) },
    });
  }
}, 180_000);

afterAll(async () => {
  await core?.close();
  await fleet?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('configure and deploy through the app core', () => {
  it('the form: devices with verdicts, the one profile chosen, fields with where values go', async () => {
    const form = DeployForm.parse(await call('deploy.form', { id: APP, devices: ['line-1'] }));
    expect(form.devices.map((d) => [d.name, d.verdict, d.disabledReason])).toEqual([
      ['line-1', 'compatible', null],
      ['line-2', 'compatible', null],
    ]);
    expect(form.profile).toBe('line-status-compose');
    const fields = form.form?.fields ?? [];
    expect(fields.map((f) => f.parameter)).toEqual(['lineName', 'pollSeconds', 'port']);
    expect(fields[0]?.targets).toEqual([
      { component: 'line-status', kind: 'environment variable', pointer: 'LINE_NAME' },
    ]);
    expect(form.installedValues).toEqual({});
  });

  it('refuses bad values by parameter, before anything changes', async () => {
    const plan = DeployPlan.parse(
      await call('deploy.plan', request(['line-1'], { lineName: '', pollSeconds: 2 })),
    );
    const [device] = plan.devices;
    expect(device?.ok).toBe(false);
    if (device?.ok !== false) return;
    expect(device.code).toBe('values');
    expect(device.errors.map((e) => e.parameter).sort()).toEqual(['lineName', 'pollSeconds']);
    expect(device.errors.find((e) => e.parameter === 'pollSeconds')?.message).toMatch(/5/);
    expect(DeploymentListEntry.array().parse(await call('deployments.list'))).toEqual([]);
  });

  it('deploys to two devices: plan, images with sizes, YAML, then installed', async () => {
    const { plan, job } = await reviewAndDeploy(['line-1', 'line-2'], {
      lineName: 'Press line',
      pollSeconds: 10,
      port: 8090,
    });
    for (const d of plan.devices) {
      expect(d.ok).toBe(true);
      if (!d.ok) continue;
      expect(d.update).toBeNull();
      expect(d.items.map((i) => [i.service, i.action])).toEqual([
        ['board', 'create'],
        ['heartbeat', 'create'],
      ]);
      expect(d.images).toEqual([
        { name: 'registry.plant.local/demo/line-status:1.0.0', bytes: expect.any(Number) },
      ]);
      expect(d.images[0]?.bytes).toBeGreaterThan(100_000);
      expect(d.yaml).toContain('value: Press line');
      expect(d.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    expect(job.kind).toBe('deploy');
    expect(job.outcomes?.map((o) => [o.device, o.state])).toEqual([
      ['line-1', 'installed'],
      ['line-2', 'installed'],
    ]);
    // A line per device and one per image each side-loaded, with its bytes.
    const images = job.items.filter((i) => i.unit === 'bytes');
    expect(images).toHaveLength(2);
    for (const i of images) {
      expect(i.state).toBe('succeeded');
      expect(i.done).toBe(i.total);
      expect(i.done).toBeGreaterThan(100_000);
    }
    const list = DeploymentListEntry.array().parse(await call('deployments.list'));
    expect(list.map((d) => [d.device, d.state, d.appName])).toEqual([
      ['line-1', 'installed', 'Line Status Board'],
      ['line-2', 'installed', 'Line Status Board'],
    ]);
    expect(list[0]?.components).toEqual([{ name: 'line-status', state: 'installed' }]);
    // Views followed it live.
    expect(
      events.some(
        (e) =>
          e.event === 'store.changed' &&
          (e.payload as { what: string[] }).what.includes('deployments'),
      ),
    ).toBe(true);
  }, 180_000);

  it('an update starts from the installed values, locks the immutable port, recreates only the board', async () => {
    const form = DeployForm.parse(await call('deploy.form', { id: APP, devices: ['line-1'] }));
    expect(form.installedValues['line-1']).toMatchObject({
      lineName: 'Press line',
      pollSeconds: 10,
      port: 8090,
    });
    expect(form.form?.fields.find((f) => f.parameter === 'port')?.locked).toBe(true);
    expect(form.devices.find((d) => d.name === 'line-1')?.installed).toMatchObject({
      revision: 1,
      state: 'installed',
    });
    const { plan, job } = await reviewAndDeploy(['line-1'], {
      lineName: 'Press line 2',
      pollSeconds: 10,
      port: 8090,
    });
    const [d] = plan.devices;
    if (!d?.ok) throw new Error('plan refused');
    expect(d.update).toBe(1);
    expect(Object.fromEntries(d.items.map((i) => [i.service, i.action]))).toEqual({
      board: 'recreate',
      heartbeat: 'unchanged',
    });
    expect(d.items.find((i) => i.service === 'board')?.reasons.join(' ')).toMatch(/LINE_NAME/);
    expect(d.images).toEqual([]);
    expect(job.outcomes?.[0]).toMatchObject({ state: 'installed', revision: 2 });
  }, 180_000);

  it('an immutable value cannot change on an update', async () => {
    const plan = DeployPlan.parse(
      await call('deploy.plan', request(['line-1'], { lineName: 'x', port: 9000 })),
    );
    const [d] = plan.devices;
    expect(d?.ok).toBe(false);
    if (d?.ok !== false) return;
    expect(d.errors.map((e) => e.parameter)).toEqual(['port']);
  });

  it('does not deploy what changed since the review', async () => {
    const values = { lineName: 'Reviewed', pollSeconds: 10, port: 8090 };
    const plan = DeployPlan.parse(await call('deploy.plan', request(['line-1'], values)));
    const [d] = plan.devices;
    if (!d?.ok) throw new Error('plan refused');
    const { jobId } = await call<{ jobId: string }>('deploy.start', {
      ...request(['line-1'], { ...values, lineName: 'Not what was reviewed' }),
      reviewed: { 'line-1': d.digest },
    });
    const job = await waitForJob(jobId);
    expect(job.outcomes?.[0]).toMatchObject({ state: 'refused', error: { code: 'changed' } });
    const detail = DeploymentDetail.parse(
      await call('deployments.show', { id: job.outcomes?.[0]?.deploymentId ?? d.deploymentId }),
    );
    expect(detail.revision).toBe(2);
  }, 180_000);

  it('a revision that fails on the device is rolled back automatically, with its reason', async () => {
    const kit = await makeBrokenDemoUpdate(join(root, 'broken'));
    const token = core.registerPicked({ path: kit, kind: 'file' }, 'demo-1.0.1-broken.tar').token;
    const imported = await waitForJob(
      (await call<{ jobId: string }>('imports.start', { sources: [{ kind: 'picked', token }] }))
        .jobId,
    );
    expect(imported.result?.imported.map((i) => i.kind)).toContain('application');
    const values = { lineName: 'Press line', pollSeconds: 10, port: 8090 };
    const broken = { ...request(['line-2'], values), version: '1.0.1' };
    const plan = DeployPlan.parse(await call('deploy.plan', broken));
    const [d] = plan.devices;
    if (!d?.ok) throw new Error(`plan refused: ${JSON.stringify(d)}`);
    expect(d.update).toBe(1);
    const job = await waitForJob(
      (
        await call<{ jobId: string }>('deploy.start', {
          ...broken,
          reviewed: { 'line-2': d.digest },
        })
      ).jobId,
    );
    const [outcome] = job.outcomes ?? [];
    expect(outcome).toMatchObject({ state: 'rolled-back', revision: 2, rolledBackTo: 1 });
    expect(outcome?.error?.message).toMatch(/rolled back to revision 1/);
    expect(outcome?.error?.message).toMatch(/cannot open \/etc\/board\/line\.conf|exit/);
    const detail = DeploymentDetail.parse(await call('deployments.show', { id: d.deploymentId }));
    expect(detail).toMatchObject({ state: 'installed', revision: 1, version: '1.0.0' });
    expect(detail.revisions.map((r) => [r.revision, r.outcome])).toEqual([
      [1, 'installed'],
      [2, 'rolled-back'],
    ]);
  }, 180_000);

  it('shows a deployment with its YAML, revisions, timeline and logs; rolls back; removes', async () => {
    const [entry] = DeploymentListEntry.array().parse(await call('deployments.list'));
    if (!entry) throw new Error('no deployment');
    const detail = DeploymentDetail.parse(await call('deployments.refresh', { id: entry.id }));
    expect(detail.state).toBe('installed');
    expect(detail.revisions.map((r) => [r.revision, r.outcome])).toEqual([
      [1, 'superseded'],
      [2, 'installed'],
    ]);
    expect(detail.deployment).toContain('Press line 2');
    expect(detail.events.some((e) => e.message.includes('revision 2 installed'))).toBe(true);
    const logs = await call<{ service: string }[]>('deployments.logs', { id: entry.id });
    expect(logs.map((l) => l.service).sort()).toEqual(['board', 'heartbeat']);

    const rolled = await waitForJob(
      (await call<{ jobId: string }>('deployments.rollback', { id: entry.id })).jobId,
    );
    expect(rolled.outcomes?.[0]).toMatchObject({ state: 'installed', rolledBackTo: 1 });
    // The app by its name, as everywhere else on screen (the id is in the deployment).
    expect(rolled.title).toBe(`Roll back Line Status Board on ${entry.device}`);
    const after = DeploymentDetail.parse(await call('deployments.show', { id: entry.id }));
    expect(after.revision).toBe(1);
    expect(after.revisions.map((r) => [r.revision, r.outcome])).toEqual([
      [1, 'installed'],
      [2, 'rolled-back'],
    ]);
    expect(after.deployment).toContain('value: Press line\n');
    // Asked for, the rollback is not a warning: only one after a failed revision is.
    expect(after.events.find((e) => e.message.includes('(asked for)'))?.level).toBe('info');

    const removed = await waitForJob(
      (await call<{ jobId: string }>('deployments.remove', { id: entry.id, volumes: false })).jobId,
    );
    expect(removed.outcomes?.[0]).toMatchObject({ state: 'removed' });
    expect(removed.title).toBe(`Remove Line Status Board from ${entry.device}`);
    expect(removed.items[0]?.message).toBeDefined();
    const gone = DeploymentDetail.parse(await call('deployments.show', { id: entry.id }));
    expect(gone.state).toBe('removed');
  }, 180_000);

  it('errors are data: an unknown deployment, an app not in the catalog', async () => {
    const missing = await core.call('deployments.show', { id: 'nope' });
    expect(missing).toMatchObject({
      ok: false,
      error: { name: 'not-found', details: { thing: 'deployment' } },
    });
    const app = await core.call('deploy.form', { id: 'com-example-absent' });
    expect(app).toMatchObject({
      ok: false,
      error: { name: 'not-found', details: { thing: 'application' } },
    });
  });
});
