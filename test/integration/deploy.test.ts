import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeploymentDetail, DeploymentSummary } from '../../electron/core/store/deployment-journal';
import { importSources } from '../../electron/core/import/import-sources';
import { openStore } from '../../electron/core/store/store';
import {
  LINE_APP,
  LINE_COMPONENT,
  makeLineAppKit,
  type LineAppKit,
} from '../support/compose-app-fixture';
import {
  containerFile,
  dockerCompose,
  fleetDocker,
  httpText,
  projectContainersByService,
  readContainerFile,
} from '../support/device-files';
import { addFleetDevices } from '../support/fleet-inventory';
import { startFleet, type Fleet } from '../support/docker-fleet';
import { runCli } from '../support/run-cli';

/**
 * The engineer's path, through the real CLI, against three real Docker daemons: deploy an app
 * from a kit to three devices in one command, change one parameter, break it on purpose.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-deploy-'));
const home = join(root, 'home');
const PROJECT = `${LINE_APP}-${LINE_COMPONENT}`;
let fleet: Fleet;
let kit: LineAppKit;
const cli = (args: string[]) => runCli(args, { env: { COMMISSIONER_HOME: home }, cwd: root });
const deviceNames = ['press-1', 'press-2', 'press-3'];

async function list(options: { all?: boolean } = {}): Promise<DeploymentSummary[]> {
  const run = await cli(['deployments', 'list', '--json', ...(options.all ? ['--all'] : [])]);
  expect(run.code, run.stderr).toBe(0);
  return DeploymentSummary.array().parse(JSON.parse(run.stdout));
}

async function show(id: string): Promise<DeploymentDetail> {
  const run = await cli(['deployments', 'show', id, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return DeploymentDetail.parse(JSON.parse(run.stdout));
}

beforeAll(async () => {
  fleet = await startFleet({ count: 3 });
  kit = await makeLineAppKit(join(root, 'app'));
  const store = openStore(home);
  try {
    const report = await importSources(store, [{ input: kit.kit, path: kit.kit }]);
    expect(report.imported.map((i) => i.kind).sort()).toEqual(['application', 'compose', 'image']);
    addFleetDevices(store, fleet.daemons, deviceNames);
  } finally {
    store.close();
  }
}, 180_000);

afterAll(async () => {
  await fleet?.stop();
  rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('deploy a compose app to Docker devices', { timeout: 180_000 }, () => {
  it('--dry-run plans every device and changes nothing', async () => {
    const run = await cli([
      'deploy',
      LINE_APP,
      '--device',
      'press-1,press-2',
      '--dry-run',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const plans = JSON.parse(run.stdout) as {
      device: string;
      plan: { service: string; action: string }[];
      images: string[];
    }[];
    expect(plans.map((p) => p.device)).toEqual(['press-1', 'press-2']);
    for (const p of plans) {
      expect(p.plan.map((i) => `${i.action} ${i.service}`)).toEqual([
        'create db',
        'create api',
        'create worker',
      ]);
      expect(p.images).toEqual(['registry.example.com/line/busybox:1.0']);
    }
    expect(await list()).toEqual([]);
    expect((await fleetDocker(fleet.daemons[0]!).listContainers({ all: true })).length).toBe(0);
  });

  it('deploys to three devices in one command: every container runs, docker-compose agrees', async () => {
    const run = await cli([
      'deploy',
      LINE_APP,
      '--device',
      'press-1,press-2',
      '--device',
      'press-3',
      '--yes',
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    for (const name of deviceNames)
      expect(run.stdout).toMatch(new RegExp(`${name}: installed, revision 1`));
    const rows = await list();
    expect(rows.map((r) => [r.device, r.state, r.revision, r.appId, r.version, r.profile])).toEqual(
      deviceNames.map((d) => [d, 'installed', 1, LINE_APP, '1.0.0', 'line-app-compose']),
    );
    for (const [i, daemon] of fleet.daemons.entries()) {
      const docker = fleetDocker(daemon);
      const containers = await projectContainersByService(docker, PROJECT);
      expect([...containers.keys()].sort()).toEqual(['api', 'db', 'worker']);
      for (const c of containers.values())
        expect(c.State, `${deviceNames[i]} ${c.Names[0]}`).toBe('running');
      expect(containers.get('db')?.Names).toEqual([`/${PROJECT}-db-1`]);
      // The app answers on its published port, with its parameters, env_file and delivered file.
      const page = await httpText(`http://${daemon.host}:8081/`);
      expect(page).toBe('poll=30\nsite=Plant 1\nunits=metric\nline=3\nshift=early\n');
      // Configs arrive with the mode the file gives them; scripts keep their execute bit.
      const plc = await containerFile(docker, containers.get('worker')!.Id, '/etc/plc.conf');
      expect(plc).toMatchObject({ text: 'plc=10.0.0.9:502\n', mode: 0o440 });
      expect((await containerFile(docker, containers.get('api')!.Id, '/probe.sh')).mode).toBe(
        0o755,
      );
    }
    // docker compose (v1 here) on the device's API sees the same project and containers.
    const daemon = fleet.daemons[0]!;
    const ours = [...(await projectContainersByService(fleetDocker(daemon), PROJECT)).values()]
      .map((c) => c.Id)
      .sort();
    const compose = await dockerCompose(
      daemon,
      ['-p', PROJECT, '-f', 'compose.yaml', 'ps', '-q'],
      kit.composeDir,
      {
        POLL_SECONDS: '30',
      },
    );
    expect(compose.stdout.trim().split('\n').sort()).toEqual(ours);
    const status = await dockerCompose(
      daemon,
      ['-p', PROJECT, '-f', 'compose.yaml', 'ps', '--services', '--filter', 'status=running'],
      kit.composeDir,
      { POLL_SECONDS: '30' },
    );
    expect(status.stdout.trim().split('\n').sort()).toEqual(['api', 'db', 'worker']);
  });

  it('a parameter change recreates only the service it feeds, and its volume data survives', async () => {
    const docker = fleetDocker(fleet.daemons[0]!);
    const before = await projectContainersByService(docker, PROJECT);
    const firstStart = await readContainerFile(docker, before.get('db')!.Id, '/data/first-start');
    const dry = await cli([
      'deploy',
      LINE_APP,
      '--device',
      'press-1',
      '--set',
      'logLevel=debug',
      '--dry-run',
    ]);
    expect(dry.stdout).toContain('recreate  line-app/db (environment LOG_LEVEL changed)');
    expect(dry.stdout).toContain('unchanged line-app/api');
    const run = await cli([
      'deploy',
      LINE_APP,
      '--device',
      'press-1',
      '--set',
      'logLevel=debug',
      '--yes',
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const after = await projectContainersByService(docker, PROJECT);
    expect(after.get('db')!.Id).not.toBe(before.get('db')!.Id);
    expect(after.get('api')!.Id).toBe(before.get('api')!.Id);
    expect(after.get('worker')!.Id).toBe(before.get('worker')!.Id);
    expect(await readContainerFile(docker, after.get('db')!.Id, '/data/first-start')).toBe(
      firstStart,
    );
    expect(await readContainerFile(docker, after.get('db')!.Id, '/data/www/level')).toBe(
      'level=debug\n',
    );
    const row = (await list()).find((r) => r.device === 'press-1')!;
    expect(row.revision).toBe(2);
    // The same deployment (same id), a new revision; the other parameters kept their values.
    const detail = await show(row.id);
    expect(detail.revisions.map((r) => [r.revision, r.outcome])).toEqual([
      [1, 'superseded'],
      [2, 'installed'],
    ]);
    expect(detail.deployment).toMatch(/logLevel:\n\s+value: debug/);
    expect(detail.deployment).toMatch(/adminPassword:\n\s+value: ••••••••/);
    // Deploying the same again changes nothing and records no revision.
    const again = await cli(['deploy', LINE_APP, '--device', 'press-1', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('up to date, nothing to do');
    expect((await list()).find((r) => r.device === 'press-1')!.revision).toBe(2);
  });

  it('a broken revision is rolled back automatically, with a reason the engineer understands', async () => {
    const docker = fleetDocker(fleet.daemons[1]!);
    const run = await cli([
      'deploy',
      LINE_APP,
      '--device',
      'press-2',
      '--set',
      'mode=broken',
      '--yes',
      '--json',
    ]);
    expect(run.code).toBe(1);
    const [outcome] = JSON.parse(run.stdout) as {
      state: string;
      rolledBackTo: number;
      error: { code: string; message: string };
    }[];
    expect(outcome).toMatchObject({
      state: 'installed',
      rolledBackTo: 1,
      error: { code: 'rolled-back' },
    });
    expect(outcome!.error.message).toMatch(
      /revision 2 failed \(service worker exited with code 3; it printed last:\n\s+cannot reach PLC 10\.0\.0\.9:502 \(mode broken\)\); rolled back to revision 1/,
    );
    const containers = await projectContainersByService(docker, PROJECT);
    for (const c of containers.values()) expect(c.State).toBe('running');
    const row = (await list()).find((r) => r.device === 'press-2')!;
    expect(row).toMatchObject({ state: 'installed', revision: 1 });
    const detail = await show(row.id);
    expect(detail.revisions.map((r) => [r.revision, r.outcome])).toEqual([
      [1, 'installed'],
      [2, 'rolled-back'],
    ]);
    expect(detail.revisions[1]!.error?.message).toContain('exited with code 3');
    expect(detail.events.map((e) => e.message)).toContain('rolling back to revision 1');
    const logs = await cli([
      'deployments',
      'logs',
      row.id.slice(0, 8),
      '--service',
      'api',
      '--tail',
      '5',
    ]);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain('==> line-app/api');
  });

  it('show --refresh records what the device says now; deploying again restarts what stopped', async () => {
    const docker = fleetDocker(fleet.daemons[1]!);
    const worker = (await projectContainersByService(docker, PROJECT)).get('worker')!;
    await docker.getContainer(worker.Id).stop({ t: 0 });
    const row = (await list()).find((r) => r.device === 'press-2')!;
    const run = await cli(['deployments', 'show', row.id, '--refresh', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const detail = DeploymentDetail.parse(JSON.parse(run.stdout));
    expect(detail.state).toBe('failed');
    expect(detail.components).toEqual([
      expect.objectContaining({
        name: 'line-app',
        state: 'failed',
        error: expect.objectContaining({
          code: 'exited',
          message: expect.stringMatching(/^service worker exited with code \d+/),
        }),
      }),
    ]);
    const again = await cli(['deploy', LINE_APP, '--device', 'press-2', '--dry-run']);
    // Stopped by hand (not crashed): the plan gives the drift as its reason.
    expect(again.stdout).toMatch(
      /start\s+line-app\/worker \(drifted — container worker was stopped outside Commissioner\)/,
    );
    const fixed = await cli(['deploy', LINE_APP, '--device', 'press-2', '--yes']);
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect((await projectContainersByService(docker, PROJECT)).get('worker')?.State).toBe(
      'running',
    );
    expect((await list()).find((r) => r.device === 'press-2')).toMatchObject({
      state: 'installed',
    });
  });

  it('--no-rollback leaves a failed revision failed, and a manual rollback restores the last good one', async () => {
    const run = await cli([
      'deploy',
      LINE_APP,
      '--device',
      'press-3',
      '--set',
      'mode=broken',
      '--no-rollback',
      '--yes',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/press-3: FAILED \(revision 2\): service worker exited with code 3/);
    const row = (await list()).find((r) => r.device === 'press-3')!;
    expect(row).toMatchObject({ state: 'failed', revision: 2 });
    const detail = await show(row.id);
    expect(detail.components).toEqual([
      expect.objectContaining({
        name: 'line-app',
        state: 'failed',
        error: expect.objectContaining({ code: 'exited' }),
      }),
    ]);
    const back = await cli(['deployments', 'rollback', row.id, '--yes']);
    expect(back.code, back.stdout + back.stderr).toBe(0);
    expect(back.stdout).toContain('rolled back to revision 1');
    expect((await list()).find((r) => r.device === 'press-3')).toMatchObject({
      state: 'installed',
      revision: 1,
    });
    const containers = await projectContainersByService(fleetDocker(fleet.daemons[2]!), PROJECT);
    expect(containers.get('worker')?.State).toBe('running');
  });

  it('remove takes containers and networks, keeps data volumes unless purged', async () => {
    const docker = fleetDocker(fleet.daemons[2]!);
    const id = (await list()).find((r) => r.device === 'press-3')!.id;
    const run = await cli(['deployments', 'remove', id, '--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `data volumes kept (--purge-volumes deletes them): ${PROJECT}_dbdata`,
    );
    expect((await projectContainersByService(docker, PROJECT)).size).toBe(0);
    expect(
      (await docker.listNetworks({ filters: { label: [`com.docker.compose.project=${PROJECT}`] } }))
        .length,
    ).toBe(0);
    const volumes =
      (await docker.listVolumes({ filters: { label: [`com.docker.compose.project=${PROJECT}`] } }))
        .Volumes ?? [];
    expect(volumes.map((v) => v.Name)).toEqual([`${PROJECT}_dbdata`]);
    // Removed deployments leave the default list; --all shows them.
    expect((await list()).find((r) => r.device === 'press-3')).toBeUndefined();
    expect((await list({ all: true })).find((r) => r.device === 'press-3')).toMatchObject({
      state: 'removed',
    });
    // Deploying again keeps the id, on the same data (its history starts anew).
    const redeploy = await cli(['deploy', LINE_APP, '--device', 'press-3', '--yes']);
    expect(redeploy.code, redeploy.stdout + redeploy.stderr).toBe(0);
    expect((await list()).find((r) => r.device === 'press-3')).toMatchObject({
      id,
      state: 'installed',
      revision: 3,
    });
    const purge = await cli(['deployments', 'remove', id, '--purge-volumes', '--yes']);
    expect(purge.code).toBe(0);
    expect(
      (await docker.listVolumes({ filters: { label: [`com.docker.compose.project=${PROJECT}`] } }))
        .Volumes ?? [],
    ).toEqual([]);
  });
});
