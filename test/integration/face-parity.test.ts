import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../electron/core/contract-handlers/app-core';
import { buildDemoKit } from '../../electron/demo-kit/build-demo-kit';
import type { ContractError } from '../../shared/contract/contract-error';
import { AppView } from '../../shared/contract/catalog';
import { Matrix } from '../../shared/contract/compatibility';
import { DeployForm, DeployPlan } from '../../shared/contract/deploy';
import { DeploymentDetail, DeploymentListEntry } from '../../shared/contract/deployments';
import { DeviceView } from '../../shared/contract/devices';
import { Job } from '../../shared/contract/jobs';
import { startFleet, type Fleet } from '../support/docker-fleet';
import { runCli } from '../support/run-cli';

/**
 * One core for every face: the same scenarios through the CLI (a real child process) and
 * through the contract (the app core the UI uses), on one data home and one real device
 * fleet. Each pair must come out the same — same plan, same refusal, same records — because
 * each operation's rules live once, in its use case.
 */
const APP = 'org-commissioner-demo-line-status';
const PROFILE = 'line-status-compose';
const root = mkdtempSync(join(tmpdir(), 'commissioner-parity-'));
const home = join(root, 'home');
let fleet: Fleet;
let core: AppCore;

async function answer(op: string, request: unknown = {}) {
  return core.call(op, request);
}

async function call<T>(op: string, request: unknown = {}): Promise<T> {
  const a = await answer(op, request);
  if (!a.ok) throw new Error(`${op}: ${a.error.name}: ${a.error.message}`);
  return a.result as T;
}

async function failure(op: string, request: unknown): Promise<ContractError> {
  const a = await answer(op, request);
  if (a.ok) throw new Error(`${op} was expected to fail`);
  return a.error;
}

/** What a person reads: no class names, no errno codes, no stack frames. */
function expectPlainWords(text: string | undefined): void {
  expect(text).toBeTruthy();
  expect(text).not.toMatch(/\b[A-Z][A-Za-z]*Error\b|\bE[A-Z]{3,}\b|\bERR_[A-Z_]+\b|^\s+at /m);
}

function cli(...args: string[]) {
  return runCli(args, { env: { COMMISSIONER_HOME: home }, cwd: root });
}

async function waitForJob(id: string): Promise<Job> {
  for (;;) {
    const job = (await call<Job[]>('jobs.list')).find((j) => j.id === id);
    if (job && job.state !== 'running') return Job.parse(job);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const request = (devices: string[], values: Record<string, unknown>) => ({
  id: APP,
  version: '1.0.0',
  profile: PROFILE,
  devices,
  values,
});

beforeAll(async () => {
  fleet = await startFleet({ count: 2 });
  const demoKit = await buildDemoKit();
  core = await createAppCore({ host: 'browser', home, demoKit });
  const { jobId } = await call<{ jobId: string }>('imports.start', { sources: [{ kind: 'demo' }] });
  expect((await waitForJob(jobId)).state).toBe('succeeded');
}, 240_000);

afterAll(async () => {
  await core?.close();
  await fleet?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('the CLI and the contract run the same use cases', { timeout: 180_000 }, () => {
  it('adding devices: the same refusal for a missing key file, nothing recorded; then both add', async () => {
    const d = fleet.daemons[0] as Fleet['daemons'][number];
    const missing = join(root, 'no-such-key.pem');
    const viaCli = await cli(
      'devices',
      'add',
      'docker',
      'line-1',
      '--host',
      d.url,
      '--tls-ca',
      d.tls.caPath,
      '--tls-cert',
      d.tls.certPath,
      '--tls-key',
      missing,
    );
    const pick = (path: string) => core.registerPicked({ path, kind: 'file' }, path).token;
    const viaContract = await failure('devices.add', {
      name: 'line-1',
      host: d.url,
      tls: { ca: pick(d.tls.caPath), cert: pick(d.tls.certPath), key: pick(missing) },
    });
    expect(viaCli.code).toBe(2);
    expect(viaContract.name).toBe('invalid-input');
    expect(viaCli.stderr.trim()).toBe(`commissioner devices add: ${viaContract.message}`);
    expect(viaContract.message).toContain(missing);
    expectPlainWords(viaCli.stderr);
    expect(await call<DeviceView[]>('devices.list')).toEqual([]);

    // line-1 through the CLI, line-2 through the contract: the same record shape, both keys kept.
    const added = await cli(
      'devices',
      'add',
      'docker',
      'line-1',
      '--host',
      d.url,
      '--json',
      '--tls-ca',
      d.tls.caPath,
      '--tls-cert',
      d.tls.certPath,
      '--tls-key',
      d.tls.keyPath,
    );
    expect(added.code, added.stderr).toBe(0);
    const e = fleet.daemons[1] as Fleet['daemons'][number];
    await call('devices.add', {
      name: 'line-2',
      host: e.url,
      tls: { ca: pick(e.tls.caPath), cert: pick(e.tls.certPath), key: pick(e.tls.keyPath) },
    });
    const views = DeviceView.array().parse(await call('devices.list'));
    expect(views.map((v) => [v.name, v.connection.secure, v.lastProbe?.reachable])).toEqual([
      ['line-1', true, true],
      ['line-2', true, true],
    ]);
    const listed = JSON.parse((await cli('devices', 'list', '--json')).stdout) as {
      name: string;
      reachable: boolean;
      connection: string;
    }[];
    expect(listed.map((l) => [l.name, l.reachable, l.connection])).toEqual(
      views.map((v) => [v.name, v.lastProbe?.reachable, v.connection.address]),
    );
  });

  it('the catalog and the form: the same application, the same schema', async () => {
    const shown = JSON.parse((await cli('catalog', 'show', APP, '--json')).stdout) as unknown;
    const view = AppView.parse(await call('catalog.show', { id: APP }));
    expect(shown).toEqual(view.detail);
    const schema = JSON.parse((await cli('config', 'schema', APP, '--json')).stdout) as {
      schema: unknown;
      uiSchema: unknown;
      profile: { id: string };
    };
    const form = DeployForm.parse(await call('deploy.form', { id: APP, devices: ['line-1'] }));
    expect(form.profile).toBe(schema.profile.id);
    expect(form.form?.schema).toEqual(schema.schema);
    expect(form.form?.uiSchema).toEqual(schema.uiSchema);
  });

  it('compatibility: the same checks for every device and profile', async () => {
    const rows = JSON.parse((await cli('compat', APP, '--json')).stdout) as {
      device: string;
      profile: string;
      checks: unknown[];
    }[];
    const matrix = Matrix.parse(await call('compat.matrix', { appIds: [APP] }));
    const cells = matrix.cells.flatMap((c) =>
      c.profiles.map((p) => ({ device: c.device, profile: p.profile, checks: p.checks })),
    );
    expect(cells).toEqual(
      rows.map((r) => ({ device: r.device, profile: r.profile, checks: r.checks })),
    );
  });

  it('refused values: the same refusal, each naming its parameter', async () => {
    const viaCli = await cli(
      'deploy',
      APP,
      '--device',
      'line-1',
      '--set',
      'lineName=',
      '--set',
      'pollSeconds=2',
      '--dry-run',
      '--json',
    );
    expect(viaCli.code).toBe(1);
    const [refusal] = JSON.parse(viaCli.stdout) as {
      state: string;
      error: { code: string; message: string; errors: { parameter: string; message: string }[] };
    }[];
    const plan = DeployPlan.parse(
      await call('deploy.plan', request(['line-1'], { lineName: '', pollSeconds: 2 })),
    );
    const [view] = plan.devices;
    if (view?.ok !== false) throw new Error('the contract planned a refused deployment');
    expect(refusal?.state).toBe('refused');
    expect(refusal?.error.code).toBe(view.code);
    expect(refusal?.error.message).toBe(view.message);
    // The CLI's values say where they came from (--set …); the form's do not.
    expect(refusal?.error.errors.map((e) => [e.parameter, e.message])).toEqual(
      view.errors.map((e) => [e.parameter, e.message]),
    );
    expect(refusal?.error.errors.map((e) => (e as { source?: string }).source)).toEqual([
      '--set lineName',
      '--set pollSeconds',
    ]);
  });

  it('an unknown device: the same sentence, a usage error on the command line', async () => {
    const viaCli = await cli('deploy', APP, '--device', 'press-99', '--dry-run');
    const viaContract = await failure('deploy.plan', request(['press-99'], {}));
    expect(viaCli.code).toBe(2);
    expect(viaContract).toMatchObject({
      name: 'not-found',
      details: { thing: 'device', name: 'press-99' },
    });
    expect(viaCli.stderr.trim()).toBe(`commissioner deploy: ${viaContract.message}`);
    expectPlainWords(viaCli.stderr);
  });

  it('the same plan: digest, actions, images and warnings; then records that read the same', async () => {
    const values = { lineName: 'Press hall', pollSeconds: 10 };
    const dry = await cli(
      'deploy',
      APP,
      '--device',
      'line-1,line-2',
      '--dry-run',
      '--json',
      '--set',
      'lineName=Press hall',
      '--set',
      'pollSeconds=10',
    );
    expect(dry.code, dry.stderr).toBe(0);
    const cliPlans = JSON.parse(dry.stdout) as {
      device: string;
      id: string;
      digest: string;
      profile: string;
      update: number | null;
      plan: unknown[];
      images: string[];
      warnings: string[];
      values: unknown[];
    }[];
    const plan = DeployPlan.parse(await call('deploy.plan', request(['line-1', 'line-2'], values)));
    // The values the review lists, and where they go, are the core's: the same on both faces.
    expect(cliPlans.map((p) => p.values)).toEqual(
      plan.devices.map((v) => (v.ok ? v.values : undefined)),
    );
    expect(cliPlans[0]?.values).toContainEqual(
      expect.objectContaining({ parameter: 'lineName', value: 'Press hall' }),
    );
    expect(
      cliPlans.map((p) => [
        p.device,
        p.id,
        p.digest,
        p.profile,
        p.update,
        p.plan,
        p.images,
        p.warnings,
      ]),
    ).toEqual(
      plan.devices.map((v) =>
        v.ok
          ? [
              v.device,
              v.deploymentId,
              v.digest,
              v.profile,
              v.update,
              v.items,
              v.images.map((i) => i.name),
              v.warnings,
            ]
          : [v.device],
      ),
    );

    // Deployed by the CLI to line-1 and through the contract to line-2…
    const deployed = await cli(
      'deploy',
      APP,
      '--device',
      'line-1',
      '--yes',
      '--json',
      '--set',
      'lineName=Press hall',
      '--set',
      'pollSeconds=10',
    );
    expect(deployed.code, deployed.stderr).toBe(0);
    const reviewed = Object.fromEntries(
      plan.devices.flatMap((d) => (d.ok && d.device === 'line-2' ? [[d.device, d.digest]] : [])),
    );
    const { jobId } = await call<{ jobId: string }>('deploy.start', {
      ...request(['line-2'], values),
      reviewed,
    });
    const job = await waitForJob(jobId);
    expect(job.outcomes?.map((o) => [o.device, o.state, o.revision])).toEqual([
      ['line-2', 'installed', 1],
    ]);
    const [viaCli] = JSON.parse(deployed.stdout) as { state: string; revision: number }[];
    expect([viaCli?.state, viaCli?.revision]).toEqual(['installed', 1]);

    // …and each face sees both the same way: up to date, the same records.
    const again = JSON.parse(
      (
        await cli(
          'deploy',
          APP,
          '--device',
          'line-1,line-2',
          '--dry-run',
          '--json',
          '--set',
          'lineName=Press hall',
          '--set',
          'pollSeconds=10',
        )
      ).stdout,
    ) as { upToDate: boolean }[];
    const replanned = DeployPlan.parse(
      await call('deploy.plan', request(['line-1', 'line-2'], values)),
    );
    expect(again.map((a) => a.upToDate)).toEqual([true, true]);
    expect(replanned.devices.map((d) => d.ok && d.upToDate)).toEqual([true, true]);
    const summaries = JSON.parse((await cli('deployments', 'list', '--json')).stdout) as unknown[];
    const rows = DeploymentListEntry.array().parse(await call('deployments.list'));
    expect(
      rows.map(({ id, appId, version, device, profile, state, revision, updatedAt }) => ({
        id,
        appId,
        version,
        device,
        profile,
        state,
        revision,
        updatedAt,
      })),
    ).toEqual(summaries);
    for (const row of rows) {
      const shown = JSON.parse(
        (await cli('deployments', 'show', row.id, '--json')).stdout,
      ) as unknown;
      expect(shown).toEqual(DeploymentDetail.parse(await call('deployments.show', { id: row.id })));
    }
  });

  it('rolling back with nothing to go back to: the same refusal, the device untouched', async () => {
    const [row] = DeploymentListEntry.array().parse(await call('deployments.list'));
    if (!row) throw new Error('no deployment');
    const viaCli = await cli('deployments', 'rollback', row.id, '--yes');
    const { jobId } = await call<{ jobId: string }>('deployments.rollback', { id: row.id });
    const job = await waitForJob(jobId);
    expect(viaCli.code).toBe(1);
    const [outcome] = job.outcomes ?? [];
    expect(outcome?.error?.code).toBe('refused');
    expectPlainWords(outcome?.error?.message);
    expect(viaCli.stderr.trim()).toBe(
      `commissioner deployments rollback: ${outcome?.error?.message}`,
    );
    const shown = DeploymentDetail.parse(await call('deployments.show', { id: row.id }));
    expect([shown.state, shown.revision]).toEqual(['installed', 1]);
  });

  it('values from a file and from the form give the same deployment bytes', async () => {
    const file = join(root, 'values.yaml');
    writeFileSync(file, 'lineName: Press hall\npollSeconds: 10\n');
    const rendered = await cli(
      'deployments',
      'render',
      APP,
      '--device',
      'line-1',
      '--values',
      'values.yaml',
      '--json',
    );
    expect(rendered.code, rendered.stderr).toBe(0);
    const { digest } = JSON.parse(rendered.stdout) as { digest: string };
    const plan = DeployPlan.parse(
      await call('deploy.plan', request(['line-1'], { lineName: 'Press hall', pollSeconds: 10 })),
    );
    const [view] = plan.devices;
    expect(view?.ok && view.digest).toBe(digest);
  });
});
