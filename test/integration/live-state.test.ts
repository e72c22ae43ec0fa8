import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoKit } from '../../electron/demo-kit/build-demo-kit';
import { createAppCore, type AppCore } from '../../electron/core/contract-handlers/app-core';
import { DeployPlan } from '../../shared/contract/deploy';
import {
  DeploymentListEntry,
  RefreshAllResult,
  type DriftFinding,
} from '../../shared/contract/deployments';
import { coreCalls } from '../support/core-calls';
import { fleetClientOptions, startFleet, type Fleet } from '../support/docker-fleet';
import { runCli } from '../support/run-cli';

/**
 * Live state against real daemons: the core watches the devices that have deployments, and a
 * container stopped or recreated by hand (through the Docker API, as another tool or person
 * would) shows as drifted within one watch interval — through the device's event stream, and,
 * once that stream was cut by the daemon restarting, through the poll. The CLI's
 * `deployments list --refresh --json` and the next plan say the same.
 */
const APP = 'org-commissioner-demo-line-status';
const VALUES = { lineName: 'Press line', pollSeconds: 10, port: 8090 };
const root = mkdtempSync(join(tmpdir(), 'commissioner-live-state-'));
const home = join(root, 'home');
let fleet: Fleet;
let core: AppCore;
let demoKit: string | undefined;

const { call, waitForJob } = coreCalls(() => core);

function request(devices: string[]) {
  return { id: APP, version: '1.0.0', profile: 'line-status-compose', devices, values: VALUES };
}

async function rows(): Promise<DeploymentListEntry[]> {
  return DeploymentListEntry.array().parse(await call('deployments.list'));
}

/** The deployments list once `ok` holds for it (polled every 100 ms), and how long that took. */
async function listWhen(
  ok: (list: DeploymentListEntry[]) => boolean,
  deadlineMs: number,
): Promise<{ list: DeploymentListEntry[]; ms: number }> {
  const start = Date.now();
  for (;;) {
    const list = await rows();
    if (ok(list)) return { list, ms: Date.now() - start };
    if (Date.now() - start > deadlineMs) {
      throw new Error(`not within ${deadlineMs} ms; the list says ${JSON.stringify(list)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const driftOf = (list: DeploymentListEntry[], device: string): DriftFinding[] =>
  list.find((d) => d.device === device)?.components.flatMap((c) => c.drift ?? []) ?? [];

function deviceDocker(index: number): Docker {
  return new Docker(fleetClientOptions(fleet.daemons[index] as Fleet['daemons'][number]));
}

async function containerOf(docker: Docker, service: string) {
  const [found] = await docker.listContainers({
    all: true,
    filters: {
      label: [
        `com.docker.compose.project=${APP}-line-status`,
        `com.docker.compose.service=${service}`,
      ],
    },
  });
  if (!found) throw new Error(`no container of ${service}`);
  return docker.getContainer(found.Id);
}

beforeAll(async () => {
  fleet = await startFleet({ count: 2 });
  demoKit = await buildDemoKit();
  // A long interval (10 minutes): whatever shows within seconds came through the event stream.
  core = await createAppCore({
    host: 'browser',
    home,
    ...(demoKit ? { demoKit } : {}),
    liveState: { intervalMs: 600_000 },
  });
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
  const plan = DeployPlan.parse(await call('deploy.plan', request(['line-1', 'line-2'])));
  const reviewed = Object.fromEntries(
    plan.devices.flatMap((d) => (d.ok ? [[d.device, d.digest]] : [])),
  );
  const started = await call<{ jobId: string }>('deploy.start', {
    ...request(['line-1', 'line-2']),
    reviewed,
  });
  const job = await waitForJob(started.jobId);
  expect(job.outcomes?.map((o) => o.state)).toEqual(['installed', 'installed']);
}, 240_000);

afterAll(async () => {
  await core?.close();
  await fleet?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('live state', () => {
  it('a container stopped by hand shows as drifted within seconds, through the event stream', async () => {
    // The event streams open once the deployments exist; give them a moment.
    await new Promise((r) => setTimeout(r, 2000));
    expect(driftOf(await rows(), 'line-1')).toEqual([]);
    await (await containerOf(deviceDocker(0), 'board')).stop();
    const { list, ms } = await listWhen(
      (l) => driftOf(l, 'line-1').some((d) => d.kind === 'stopped'),
      15_000,
    );
    // Far below the 10-minute interval: no poll could have seen it.
    expect(ms).toBeLessThan(15_000);
    expect(driftOf(list, 'line-1')).toEqual([
      {
        component: 'line-status',
        service: 'board',
        kind: 'stopped',
        message: 'container board was stopped outside Commissioner',
      },
    ]);
    const row = list.find((d) => d.device === 'line-1');
    // The Margo state stays what the device shows: the board is not running.
    expect(row?.components[0]?.state).toBe('failed');
    expect(row?.check).toMatchObject({ device: 'line-1', via: 'events', error: null });
    expect(Date.now() - Date.parse(row?.check?.checkedAt ?? '')).toBeLessThan(15_000);
    expect(driftOf(list, 'line-2')).toEqual([]);
  }, 60_000);

  it('once a device’s event stream is cut (its daemon restarted), polling sees a container recreated by hand', async () => {
    // Another core on the same data home, polling every second; a cut stream stays cut for
    // 10 minutes, so only the poll can see what follows.
    await core.close();
    core = await createAppCore({
      host: 'browser',
      home,
      ...(demoKit ? { demoKit } : {}),
      liveState: { intervalMs: 1000, reopenAfterMs: 600_000 },
    });
    await new Promise((r) => setTimeout(r, 2000));
    const daemon = fleet.daemons[1] as Fleet['daemons'][number];
    await daemon.kill();
    await daemon.start();
    // Back and answering: the next polls record a check without error.
    await listWhen((l) => {
      const check = l.find((d) => d.device === 'line-2')?.check;
      return check?.error === null && Date.parse(check.checkedAt) > Date.now() - 2000;
    }, 60_000);

    const docker = deviceDocker(1);
    const old = await containerOf(docker, 'heartbeat');
    const info = await old.inspect();
    await old.remove({ force: true });
    const made = await docker.createContainer({
      name: info.Name.replace(/^\//, ''),
      Image: info.Config.Image,
      Cmd: info.Config.Cmd,
      Env: [...(info.Config.Env ?? []), 'LINE_NAME=Hand line'],
      Labels: info.Config.Labels,
    });
    await made.start();
    const { list, ms } = await listWhen(
      (l) => driftOf(l, 'line-2').some((d) => d.kind === 'recreated'),
      20_000,
    );
    // One interval (1 s) plus the check itself.
    expect(ms).toBeLessThan(5_000);
    const messages = driftOf(list, 'line-2').map((d) => d.message);
    expect(messages).toContain('container heartbeat was recreated outside Commissioner');
    expect(messages).toContain('environment LINE_NAME of heartbeat was added');
    expect(list.find((d) => d.device === 'line-2')?.check?.via).toBe('poll');
    // The other device still shows what it showed.
    expect(driftOf(list, 'line-1').map((d) => d.kind)).toEqual(['stopped']);
  }, 120_000);

  it('deployments list --refresh --json asks every device and shows the drift', async () => {
    const run = await runCli(['deployments', 'list', '--refresh', '--json'], {
      env: { COMMISSIONER_HOME: home },
      cwd: root,
    });
    expect(run.code, run.stderr).toBe(0);
    const lines = JSON.parse(run.stdout) as {
      device: string;
      drift: DriftFinding[];
      checkedAt: string | null;
    }[];
    const byDevice = Object.fromEntries(lines.map((l) => [l.device, l]));
    expect(byDevice['line-1']?.drift.map((d) => d.message)).toEqual([
      'container board was stopped outside Commissioner',
    ]);
    expect(byDevice['line-2']?.drift.map((d) => d.kind)).toContain('recreated');
    for (const l of lines) expect(Date.now() - Date.parse(l.checkedAt ?? '')).toBeLessThan(30_000);
    const text = await runCli(['deployments', 'list', '--refresh'], {
      env: { COMMISSIONER_HOME: home },
      cwd: root,
    });
    expect(text.stdout).toContain('container board was stopped outside Commissioner');
  }, 60_000);

  it('the watch interval is a setting: shown, set, and bad values refused without change', async () => {
    const cli = (args: string[]) =>
      runCli(['deployments', 'watch-interval', ...args], {
        env: { COMMISSIONER_HOME: home },
        cwd: root,
      });
    expect(JSON.parse((await cli(['--json'])).stdout)).toEqual({ seconds: 30 });
    const refused = await cli(['2']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/whole seconds from 5 to 3600/);
    expect(JSON.parse((await cli(['45', '--json'])).stdout)).toEqual({ seconds: 45 });
    expect((await cli([])).stdout).toContain('every 45 s');
    // Settings in the app: the same setting through the contract, the same refusal.
    expect(await call('settings.watchInterval')).toEqual({ seconds: 45 });
    const tooShort = await core.call('settings.setWatchInterval', { seconds: 4 });
    expect(tooShort.ok ? null : tooShort.error.name).toBe('invalid-input');
    expect(await call('settings.setWatchInterval', { seconds: 60 })).toEqual({ seconds: 60 });
    expect(JSON.parse((await cli(['--json'])).stdout)).toEqual({ seconds: 60 });
  }, 60_000);

  it('Refresh all asks every device through the contract', async () => {
    const answer = RefreshAllResult.parse(await call('deployments.refreshAll'));
    expect(answer.checked.map((c) => [c.device, c.via, c.error])).toEqual([
      ['line-1', 'refresh', null],
      ['line-2', 'refresh', null],
    ]);
  }, 60_000);

  it('the next plan gives the drift as the reason of its actions, and deploying undoes it', async () => {
    const plan = DeployPlan.parse(await call('deploy.plan', request(['line-1', 'line-2'])));
    const items = (device: string) => {
      const d = plan.devices.find((p) => p.device === device);
      return d?.ok ? d.items : [];
    };
    expect(items('line-1')).toContainEqual({
      component: 'line-status',
      service: 'board',
      action: 'start',
      reasons: ['drifted — container board was stopped outside Commissioner'],
    });
    const heartbeat = items('line-2').find((i) => i.service === 'heartbeat');
    expect(heartbeat?.action).toBe('recreate');
    expect(heartbeat?.reasons).toEqual(
      expect.arrayContaining([
        'drifted — container heartbeat was recreated outside Commissioner',
        'drifted — environment LINE_NAME of heartbeat was added',
      ]),
    );
    expect(plan.devices.every((d) => d.ok && !d.upToDate)).toBe(true);

    const reviewed = Object.fromEntries(
      plan.devices.flatMap((d) => (d.ok ? [[d.device, d.digest]] : [])),
    );
    const started = await call<{ jobId: string }>('deploy.start', {
      ...request(['line-1', 'line-2']),
      reviewed,
    });
    expect((await waitForJob(started.jobId)).state).toBe('succeeded');
    await call('deployments.refreshAll');
    const list = await rows();
    expect(driftOf(list, 'line-1')).toEqual([]);
    expect(driftOf(list, 'line-2')).toEqual([]);
  }, 120_000);
});
