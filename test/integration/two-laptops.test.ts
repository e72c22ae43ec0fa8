import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNERSHIP_LABELS } from '../../shared/application-deployment/ownership-labels';
import { DeploymentDetail, DeploymentSummary } from '../../electron/core/store/deployment-journal';
import {
  helperImage,
  readDeviceRecords,
} from '../../electron/core/deployments/docker/device-record-volume';
import { importSources } from '../../electron/core/import/import-sources';
import { openStore } from '../../electron/core/store/store';
import {
  LINE_APP,
  LINE_COMPONENT,
  makeLineAppKit,
  type LineAppKit,
} from '../support/compose-app-fixture';
import { fleetDocker, projectContainersByService } from '../support/device-files';
import { addFleetDevices } from '../support/fleet-inventory';
import { startFleet, type Fleet } from '../support/docker-fleet';
import { runCli } from '../support/run-cli';

/**
 * Two laptops (two data homes, each its own Commissioner installation) and one real Docker
 * device, which each of them names in its own way. Ana deploys from laptop A; Ben, on laptop
 * B, finds it on the device, is stopped from overwriting it unknowingly, adopts its records,
 * takes it over when he means to; Ana's laptop then says so.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-two-laptops-'));
const homeA = join(root, 'laptop-a');
const homeB = join(root, 'laptop-b');
const DEVICE_A = 'press-1';
const DEVICE_B = 'line-7';
const PROJECT = `${LINE_APP}-${LINE_COMPONENT}`;
let fleet: Fleet;
let kit: LineAppKit;
let installationA: string;
let installationB: string;

const cliA = (args: string[]) => runCli(args, { env: { COMMISSIONER_HOME: homeA }, cwd: root });
const cliB = (args: string[]) => runCli(args, { env: { COMMISSIONER_HOME: homeB }, cwd: root });
const device = () => fleetDocker(fleet.daemons[0]!);

async function containerIds(): Promise<Record<string, string>> {
  const byService = await projectContainersByService(device(), PROJECT);
  return Object.fromEntries([...byService].map(([service, c]) => [service, c.Id]));
}

async function envOf(id: string): Promise<string[]> {
  const info = await device().getContainer(id).inspect();
  return info.Config.Env ?? [];
}

beforeAll(async () => {
  fleet = await startFleet({ count: 1 });
  kit = await makeLineAppKit(join(root, 'app'));
  for (const [home, name] of [
    [homeA, DEVICE_A],
    [homeB, DEVICE_B],
  ] as const) {
    const store = openStore(home);
    try {
      const report = await importSources(store, [{ input: kit.kit, path: kit.kit }]);
      expect(report.imported.length).toBeGreaterThan(0);
      addFleetDevices(store, fleet.daemons, [name]);
    } finally {
      store.close();
    }
  }
  const a = await cliA(['installation', '--engineer', 'Ana', '--json']);
  const b = await cliB(['installation', '--engineer', 'Ben', '--json']);
  expect(a.code, a.stderr).toBe(0);
  expect(b.code, b.stderr).toBe(0);
  installationA = (JSON.parse(a.stdout) as { installation: string }).installation;
  installationB = (JSON.parse(b.stdout) as { installation: string }).installation;
  expect(installationA).not.toBe(installationB);
}, 240_000);

afterAll(async () => {
  await fleet?.stop();
  rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('two laptops, one device', { timeout: 240_000 }, () => {
  it('laptop A deploys: what it creates carries its labels, the device keeps the record without secrets', async () => {
    const first = await cliA(['deploy', LINE_APP, '--device', DEVICE_A, '--yes']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const second = await cliA([
      'deploy',
      LINE_APP,
      '--device',
      DEVICE_A,
      '--set',
      'logLevel=debug',
      '--yes',
    ]);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toContain('installed, revision 2');

    const containers = await device().listContainers({
      all: true,
      filters: { label: [`com.docker.compose.project=${PROJECT}`] },
    });
    expect(containers.length).toBe(3);
    for (const c of containers) {
      expect(c.Labels[OWNERSHIP_LABELS.installation]).toBe(installationA);
      expect(c.Labels[OWNERSHIP_LABELS.engineer]).toBe('Ana');
      expect(c.Labels[OWNERSHIP_LABELS.host]).toBe(hostname());
      expect(c.Labels[OWNERSHIP_LABELS.app]).toBe(LINE_APP);
      expect(c.Labels[OWNERSHIP_LABELS.deploymentDigest]).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(c.Labels[OWNERSHIP_LABELS.valuesDigest]).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(Number.isNaN(Date.parse(c.Labels[OWNERSHIP_LABELS.deployedAt] ?? ''))).toBe(false);
    }
    const volumes = (
      await device().listVolumes({
        filters: { label: [`com.docker.compose.project=${PROJECT}`] },
      })
    ).Volumes;
    expect(volumes.length).toBeGreaterThan(0);
    for (const v of volumes) expect(v.Labels?.[OWNERSHIP_LABELS.installation]).toBe(installationA);

    const records = await readDeviceRecords(device(), await helperImage(device()));
    expect(records).toHaveLength(1);
    const record = records[0]!.record!;
    expect(record.revisions.map((r) => [r.revision, r.outcome])).toEqual([
      [1, 'superseded'],
      [2, 'installed'],
    ]);
    expect(record.owner).toEqual({
      installation: installationA,
      engineer: 'Ana',
      host: hostname(),
    });
    const text = JSON.stringify(record);
    expect(text).not.toContain('factory-secret');
    expect(text).toContain('••••••••');
    // No helper container is left behind.
    const helpers = await device().listContainers({
      all: true,
      filters: { label: [OWNERSHIP_LABELS.record] },
    });
    expect(helpers).toEqual([]);
  });

  it("laptop B sees A's deployment on the device: devices show --json", async () => {
    const run = await cliB(['devices', 'show', DEVICE_B, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const shown = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(shown).sort()).toEqual(['deployments', 'device', 'lastProbe']);
    expect((shown.device as { name: string }).name).toBe(DEVICE_B);
    expect((shown.lastProbe as { reachable: boolean }).reachable).toBe(true);
    const deployments = shown.deployments as Record<string, unknown>[];
    expect(deployments).toHaveLength(1);
    const found = deployments[0]!;
    expect(Object.keys(found).sort()).toEqual(
      ['appId', 'deployedAt', 'id', 'owner', 'revision', 'state', 'version'].sort(),
    );
    expect(found).toMatchObject({
      appId: LINE_APP,
      version: '1.0.0',
      revision: 2,
      owner: { installation: installationA, engineer: 'Ana', host: hostname() },
      state: 'installed',
    });
    const rowsA = DeploymentSummary.array().parse(
      JSON.parse((await cliA(['deployments', 'list', '--json'])).stdout),
    );
    expect(found.id).toBe(rowsA[0]!.id);
    // Laptop B records nothing of it yet.
    const rowsB = await cliB(['deployments', 'list', '--json']);
    expect(JSON.parse(rowsB.stdout)).toEqual([]);
  });

  it("B's deploy without --take-over says who installed it, is refused (exit 1), and the device is unchanged", async () => {
    const before = await containerIds();
    const envBefore = await envOf(before.db!);
    const run = await cliB([
      'deploy',
      LINE_APP,
      '--device',
      DEVICE_B,
      '--set',
      'logLevel=warning',
      '--yes',
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const firstLine = run.stdout.split('\n').find((l) => l.startsWith(`${DEVICE_B}:`));
    expect(firstLine).toMatch(
      new RegExp(
        `installed by Ana on ${hostname()} at \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC, revision 2`,
      ),
    );
    expect(firstLine).toContain('revision 2');
    expect(run.stdout).toContain('--take-over');
    expect(await containerIds()).toEqual(before);
    expect(await envOf(before.db!)).toEqual(envBefore);
    const records = await readDeviceRecords(device(), await helperImage(device()));
    expect(records[0]!.record!.owner.installation).toBe(installationA);
  });

  it("adopt takes A's records into B's without touching the containers", async () => {
    const before = await containerIds();
    const run = await cliB(['deployments', 'adopt', DEVICE_B, '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const adopted = JSON.parse(run.stdout) as { id: string; appId: string; revisions: number }[];
    expect(adopted).toEqual([{ id: expect.any(String), appId: LINE_APP, revisions: 2 }]);
    expect(await containerIds()).toEqual(before);
    const shown = await cliB(['deployments', 'show', adopted[0]!.id, '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const detail = DeploymentDetail.parse(JSON.parse(shown.stdout));
    expect(detail.device).toBe(DEVICE_B);
    expect(detail.revision).toBe(2);
    expect(detail.revisions.map((r) => [r.revision, r.outcome])).toEqual([
      [1, 'superseded'],
      [2, 'installed'],
    ]);
    // Secrets never left laptop A.
    expect(detail.deployment).not.toContain('factory-secret');
    // Adopting again finds nothing new.
    const again = await cliB(['deployments', 'adopt', DEVICE_B, '--json']);
    expect(JSON.parse(again.stdout)).toEqual([]);
  });

  it("with --take-over B's deploy succeeds; A's next check shows it taken over by B", async () => {
    const still = await cliB([
      'deploy',
      LINE_APP,
      '--device',
      DEVICE_B,
      '--set',
      'adminPassword=b-secret',
      '--yes',
    ]);
    expect(still.code, still.stdout + still.stderr).toBe(1);
    const run = await cliB([
      'deploy',
      LINE_APP,
      '--device',
      DEVICE_B,
      '--set',
      'logLevel=warning',
      '--set',
      'adminPassword=b-secret',
      '--take-over',
      '--yes',
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    // The numbers continue the device's history.
    expect(run.stdout).toContain(`${DEVICE_B}: installed, revision 3`);
    const db = (await containerIds()).db!;
    expect(await envOf(db)).toContain('LOG_LEVEL=warning');
    const records = await readDeviceRecords(device(), await helperImage(device()));
    expect(records[0]!.record!.owner).toEqual({
      installation: installationB,
      engineer: 'Ben',
      host: hostname(),
    });
    expect(records[0]!.record!.revisions.map((r) => r.revision)).toEqual([1, 2, 3]);

    const rowsA = DeploymentSummary.array().parse(
      JSON.parse((await cliA(['deployments', 'list', '--json'])).stdout),
    );
    const checked = await cliA(['deployments', 'show', rowsA[0]!.id, '--refresh', '--json']);
    expect(checked.code, checked.stderr).toBe(0);
    const detail = DeploymentDetail.parse(JSON.parse(checked.stdout));
    expect(detail.takenOver).toMatchObject({
      owner: { installation: installationB, engineer: 'Ben', host: hostname() },
      revision: 3,
    });
    // The container B recreated is drift that names who did it, not every field it changed.
    const drift = detail.components.flatMap((c) => c.drift ?? []).map((d) => d.message);
    expect(drift).toContainEqual(
      expect.stringContaining(`was recreated by Ben on ${hostname()} with another Commissioner`),
    );
    expect(drift.join('\n')).not.toContain('outside Commissioner');
    const text = await cliA(['deployments', 'show', rowsA[0]!.id]);
    expect(text.stdout).toContain(`taken over by Ben on ${hostname()}`);
    // And A, in turn, needs --take-over to deploy over B's.
    const back = await cliA(['deploy', LINE_APP, '--device', DEVICE_A, '--yes']);
    expect(back.code, back.stdout + back.stderr).toBe(1);
    expect(back.stdout).toContain(`installed by Ben on ${hostname()}`);
    // Nor does A remove or roll back B's deployment unknowingly.
    const before = await containerIds();
    const removed = await cliA(['deployments', 'remove', rowsA[0]!.id, '--yes']);
    expect(removed.code, removed.stdout + removed.stderr).toBe(1);
    expect(removed.stderr).toContain('installed by Ben');
    expect(removed.stderr).toContain('--take-over');
    const rolled = await cliA(['deployments', 'rollback', rowsA[0]!.id, '--yes']);
    expect(rolled.code, rolled.stdout + rolled.stderr).toBe(1);
    expect(await containerIds()).toEqual(before);
  });
});
