import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../electron/core/contract-handlers/app-core';
import { importSources } from '../../electron/core/import/import-sources';
import { openStore } from '../../electron/core/store/store';
import { AppReach, AppView } from '../../shared/contract/catalog';
import { DeployForm, DeployPlan, type DeviceOutcomeView } from '../../shared/contract/deploy';
import { DeviceView } from '../../shared/contract/devices';
import { Job } from '../../shared/contract/jobs';
import {
  LINE_APP,
  LINE_COMPONENT,
  LINE_IMAGE,
  makeLineAppKit,
  type LineAppKit,
} from '../support/compose-app-fixture';
import { fleetDocker } from '../support/device-files';
import { startFleet, type Fleet } from '../support/docker-fleet';
import { addFleetDevices } from '../support/fleet-inventory';
import { runCli } from '../support/run-cli';

/**
 * A package whose compose file gives a service the device's Docker socket and its whole file
 * system (root on the device), through the real CLI and the app core against a real Docker
 * daemon: validate warns, the plan lists it, applying needs it allowed (nothing changes
 * otherwise), and a device that denies host access finds the app incompatible.
 */
const HOSTILE_COMPOSE = `services:
  agent:
    image: ${LINE_IMAGE}
    command: [sh, -c, "exec sleep 100000"]
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
      - /:/host:ro
    security_opt: [seccomp=unconfined]
    stop_grace_period: 1s
`;
const PROJECT = `${LINE_APP}-${LINE_COMPONENT}`;
const DEVICE = 'press-1';
const SOCKET = '/var/run/docker.sock';
const root = mkdtempSync(join(tmpdir(), 'commissioner-host-access-'));
const home = join(root, 'home');
const cli = (args: string[]) => runCli(args, { env: { COMMISSIONER_HOME: home }, cwd: root });
let fleet: Fleet;
let kit: LineAppKit;
let core: AppCore;
/**
 * The fleet's daemons share this machine's file system, and a bind of a missing path would
 * make dockerd create it as a folder. Applying needs the socket path to exist: an empty file
 * stands in for it while the test runs (only if there is none), and is removed afterwards.
 */
let madeSocket = false;

const EXPECTED = [
  {
    component: LINE_COMPONENT,
    service: 'agent',
    rule: 'host-docker-socket',
    severity: 'critical',
    message:
      "service agent mounts the device's Docker socket: it can control every container on the device",
  },
  {
    component: LINE_COMPONENT,
    service: 'agent',
    rule: 'host-bind-system',
    severity: 'critical',
    message:
      "service agent mounts the device's whole file system (/) (read-only): it can read every file on the device",
  },
  {
    component: LINE_COMPONENT,
    service: 'agent',
    rule: 'host-security-opt',
    severity: 'critical',
    message:
      'service agent turns off its system-call filter (seccomp=unconfined): it can make kernel calls containers are denied',
  },
  {
    component: LINE_COMPONENT,
    service: 'agent',
    rule: 'host-root-bind',
    severity: 'elevated',
    message:
      "service agent runs as root (the image's user, unless the image names another) and mounts paths of the device: what it writes there is owned by root on the device",
  },
];

async function call<T>(op: string, request: unknown = {}): Promise<T> {
  const answer = await core.call(op, request);
  if (!answer.ok) throw new Error(`${op}: ${answer.error.name}: ${answer.error.message}`);
  return answer.result as T;
}

async function startJob(request: unknown): Promise<DeviceOutcomeView[]> {
  const { jobId } = await call<{ jobId: string }>('deploy.start', request);
  for (;;) {
    const job = (await call<Job[]>('jobs.list')).find((j) => j.id === jobId);
    if (job && job.state !== 'running') {
      return Job.parse(job).outcomes ?? [];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function projectContainers() {
  return fleetDocker(fleet.daemons[0]!).listContainers({
    all: true,
    filters: { label: [`com.docker.compose.project=${PROJECT}`] },
  });
}

const request = (values: Record<string, unknown> = {}) => ({
  id: LINE_APP,
  version: '1.0.0',
  profile: 'line-app-compose',
  devices: [DEVICE],
  values,
});

beforeAll(async () => {
  fleet = await startFleet({ count: 1 });
  kit = await makeLineAppKit(join(root, 'app'), { compose: HOSTILE_COMPOSE });
  const store = openStore(home);
  try {
    const report = await importSources(store, [{ input: kit.kit, path: kit.kit }]);
    expect(report.imported.map((i) => i.kind).sort()).toEqual(['application', 'compose', 'image']);
    addFleetDevices(store, fleet.daemons, [DEVICE]);
  } finally {
    store.close();
  }
  core = await createAppCore({ host: 'browser', home });
}, 180_000);

afterAll(async () => {
  await core?.close();
  await fleet?.stop();
  if (madeSocket) rmSync(SOCKET, { force: true });
  rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('host access: shown, acknowledged, refused', { timeout: 180_000 }, () => {
  it('validate warns about the kit, at the compose file line, and keeps it valid', async () => {
    const run = await cli(['validate', kit.kit, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      valid: boolean;
      diagnostics: { rule: string; severity: string; file: string; line: number }[];
    };
    expect(report.valid).toBe(true);
    const compose = `${kit.kit}#registry.example.com/compose/line-app:1.0.0/compose.yaml`;
    expect(report.diagnostics.map((d) => [d.rule, d.severity, d.file, d.line])).toEqual([
      ['host-root-bind', 'warning', compose, 2],
      ['host-docker-socket', 'warning', compose, 6],
      ['host-bind-system', 'warning', compose, 7],
      ['host-security-opt', 'warning', compose, 8],
    ]);
    // The same kit as an OCI layout folder (a kit unpacked on a stick) says the same.
    const layout = await makeLineAppKit(join(root, 'layout'), {
      compose: HOSTILE_COMPOSE,
      kitName: 'kit-layout',
    });
    const folder = await cli(['validate', layout.kit, '--json']);
    expect(folder.code, folder.stderr).toBe(0);
    const folderReport = JSON.parse(folder.stdout) as typeof report;
    expect(folderReport.diagnostics.map((d) => d.rule)).toEqual(
      report.diagnostics.map((d) => d.rule),
    );
    const text = await cli(['validate', kit.kit]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      "warning: critical host access: service agent mounts the device's Docker socket: it can control every container on the device [host-docker-socket]",
    );
    expect(text.stdout).toMatch(/valid, 4 warnings/);
  });

  it('deploy --dry-run --json lists the findings per device', async () => {
    const run = await cli(['deploy', LINE_APP, '--device', DEVICE, '--dry-run', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const [plan] = JSON.parse(run.stdout) as { device: string; hostAccess: unknown[] }[];
    expect(plan?.device).toBe(DEVICE);
    expect(plan?.hostAccess).toEqual(EXPECTED);
    const text = await cli(['deploy', LINE_APP, '--device', DEVICE, '--dry-run']);
    const lines = text.stdout.split('\n');
    // Right under the device, above the plan of the services: what the app may do to the device.
    const device = lines.findIndex((l) => l.startsWith(DEVICE));
    expect(device, text.stdout).toBeGreaterThanOrEqual(0);
    expect(lines[device + 1]).toMatch(
      /^ {2}needs access to the device itself \(3 critical, 1 elevated\):$/,
    );
    expect(lines[device + 2]).toContain(
      "critical: service agent mounts the device's Docker socket",
    );
    expect(lines.findIndex((l) => l.includes('create') && l.includes('agent'))).toBeGreaterThan(
      device + 5,
    );
  });

  it('deploy --yes without --allow-host-access exits 1, lists the findings, leaves the device untouched', async () => {
    const run = await cli(['deploy', LINE_APP, '--device', DEVICE, '--yes']);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain(
      `${DEVICE}: not applied: the application needs access to ${DEVICE} itself`,
    );
    expect(run.stdout).toContain(
      "critical: service agent mounts the device's Docker socket: it can control every container on the device [host-docker-socket]",
    );
    expect(await projectContainers()).toEqual([]);
    const images = await fleetDocker(fleet.daemons[0]!).listImages();
    expect(images.flatMap((i) => i.RepoTags ?? [])).not.toContain(LINE_IMAGE);
    const deployments = await cli(['deployments', 'list', '--json']);
    expect(JSON.parse(deployments.stdout)).toEqual([]);
  });

  it('the contract refuses a start without the acknowledgement, or with another plan’s', async () => {
    const plan = DeployPlan.parse(await call('deploy.plan', request()));
    const [device] = plan.devices;
    if (!device?.ok) throw new Error('the plan was refused');
    expect(device.hostAccess.map(({ path: _path, ...f }) => f)).toEqual(EXPECTED);
    expect(device.hostAccessDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const reviewed = { [DEVICE]: device.digest };
    const without = await startJob({ ...request(), reviewed });
    expect(without.map((o) => [o.state, o.error?.code])).toEqual([['refused', 'host-access']]);
    expect(without[0]?.error?.message).toContain('service agent mounts the device');
    // The acknowledgement of a review is bound to it: another digest is not this plan's.
    const other = await startJob({
      ...request(),
      reviewed,
      hostAccessAllowed: { [DEVICE]: device.digest },
    });
    expect(other.map((o) => [o.state, o.error?.code])).toEqual([['refused', 'host-access']]);
    expect(other[0]?.error?.message).toContain('is not the one this plan needs');
    expect(await projectContainers()).toEqual([]);
  });

  it('deploy --yes --allow-host-access deploys: the engine runs what the review showed', async () => {
    if (!existsSync(SOCKET)) {
      closeSync(openSync(SOCKET, 'wx'));
      madeSocket = true;
    }
    const run = await cli(['deploy', LINE_APP, '--device', DEVICE, '--yes', '--allow-host-access']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`${DEVICE}: installed, revision 1`);
    const [container] = await projectContainers();
    expect(container?.State).toBe('running');
    const inspected = await fleetDocker(fleet.daemons[0]!).getContainer(container!.Id).inspect();
    const mounts = inspected.Mounts.map((m) => [m.Source, m.Destination]);
    expect(mounts).toEqual(
      expect.arrayContaining([
        [SOCKET, SOCKET],
        ['/', '/host'],
      ]),
    );
    expect(inspected.HostConfig.SecurityOpt).toEqual(['seccomp=unconfined']);
  });

  it('the contract applies a reviewed update once its host access is allowed', async () => {
    const plan = DeployPlan.parse(await call('deploy.plan', request({ pollSeconds: 45 })));
    const [device] = plan.devices;
    if (!device?.ok || device.hostAccessDigest === null) throw new Error('no host access');
    const outcomes = await startJob({
      ...request({ pollSeconds: 45 }),
      reviewed: { [DEVICE]: device.digest },
      hostAccessAllowed: { [DEVICE]: device.hostAccessDigest },
    });
    expect(outcomes.map((o) => [o.state, o.revision])).toEqual([['installed', 2]]);
  });

  it('the catalog detail lists the host access per profile', async () => {
    const view = AppView.parse(await call('catalog.show', { id: LINE_APP }));
    expect(view.hostAccess.map((h) => h.profile)).toEqual(['line-app-compose']);
    expect(view.hostAccess[0]?.findings.map((f) => f.rule)).toEqual(EXPECTED.map((f) => f.rule));
    expect(view.hostAccess[0]?.unreviewed).toEqual([]);
    const shown = await cli(['catalog', 'show', LINE_APP]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(
      'needs host access, profile line-app-compose (3 critical, 1 elevated):',
    );
    expect(shown.stdout).toContain("critical: service agent mounts the device's Docker socket");
  });

  it('a device set to deny host access finds the app incompatible, and says why', async () => {
    const run = await cli(['devices', 'update', DEVICE, '--host-access', 'deny']);
    expect(run.code, run.stderr).toBe(0);
    const devices = DeviceView.array().parse(await call('devices.list'));
    expect(devices.map((d) => [d.name, d.hostAccess])).toEqual([[DEVICE, 'deny']]);
    const compat = await cli(['compat', LINE_APP, '--json']);
    const rows = JSON.parse(compat.stdout) as {
      verdict: string;
      checks: { name: string; status: string; reason: string }[];
    }[];
    expect(rows.map((r) => r.verdict)).toEqual(['incompatible']);
    const check = rows[0]?.checks.find((c) => c.name === 'host access');
    expect(check?.status).toBe('failed');
    expect(check?.reason).toContain("service agent mounts the device's Docker socket");
    const form = DeployForm.parse(await call('deploy.form', { id: LINE_APP }));
    expect(form.devices[0]?.disabledReason).toContain('the device denies host access');
    // The catalog card says the same: it runs nowhere here, and it needs host access.
    const reach = (answer: unknown) => AppReach.parse(answer).apps;
    const app = { id: LINE_APP, version: form.app.version };
    expect(reach(await call('catalog.reach', { apps: [app] }))).toEqual([
      { ...app, devices: 1, runsOn: 0, mayRunOn: 0, hostAccess: 'needed' },
    ]);
    const plan = await cli(['deploy', LINE_APP, '--device', DEVICE, '--dry-run', '--json']);
    expect(plan.code).toBe(1);
    const [refused] = JSON.parse(plan.stdout) as { error: { code: string; message: string } }[];
    expect(refused?.error.code).toBe('incompatible');
    expect(refused?.error.message).toContain(`device ${DEVICE} does not allow host access`);
    const bad = await cli(['devices', 'update', DEVICE, '--host-access', 'maybe']);
    expect(bad.code).toBe(2);
    const allowAgain = await cli(['devices', 'update', DEVICE, '--host-access', 'allow']);
    expect(allowAgain.code).toBe(0);
    const again = JSON.parse((await cli(['compat', LINE_APP, '--json'])).stdout) as {
      verdict: string;
    }[];
    expect(again.map((r) => r.verdict)).toEqual(['compatible']);
    expect(reach(await call('catalog.reach', { apps: [app] }))).toEqual([
      { ...app, devices: 1, runsOn: 1, mayRunOn: 0, hostAccess: 'needed' },
    ]);
  });
});
