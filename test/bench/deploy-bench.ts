import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import {
  applyDevicePlan,
  isUpToDate,
  planDeviceDeployment,
} from '../../electron/core/deployments/docker/docker-plan';
import { getDevice, type DeviceRecord } from '../../electron/core/store/device-inventory';
import { importSources } from '../../electron/core/import/import-sources';
import { packKit } from '../../electron/core/kit/pack-kit';
import { showApplication } from '../../electron/core/store/catalog-reader';
import { openStore } from '../../electron/core/store/store';
import type { ApplicationDescription } from '../../shared/margo/application-description';
import { writeBusyboxDockerSave } from '../support/busybox-image';
import {
  engineRequest,
  fleetClientOptions,
  startFleet,
  type FleetDaemon,
} from '../support/docker-fleet';
import { addFleetDevices } from '../support/fleet-inventory';
import { runCli } from '../support/run-cli';
import type { Measure } from './run';

const exec = promisify(execFile);
const RUNS = 3;
const IMAGE = 'registry.example.com/bench/busybox:1.0';
const TEN = 'com-example-bench-ten';
const TINY = 'com-example-bench-tiny';

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

/** Ten services, as a line controller with its connectors might have: one network, a volume each. */
function tenServiceCompose(): string {
  const services = Array.from({ length: 10 }, (_, i) => {
    const name = `s${String(i + 1).padStart(2, '0')}`;
    return `  ${name}:
    image: ${IMAGE}
    command: ["sleep", "100000"]
    environment:
      ROLE: ${name}
      POLL_SECONDS: \${POLL_SECONDS:-30}
    volumes:
      - ${name}-data:/data
    stop_grace_period: 1s
${i > 0 ? '    depends_on: [s01]\n' : ''}`;
  });
  const volumes = Array.from(
    { length: 10 },
    (_, i) => `  s${String(i + 1).padStart(2, '0')}-data: {}`,
  );
  return `services:\n${services.join('')}volumes:\n${volumes.join('\n')}\n`;
}

const TINY_COMPOSE = `services:
  probe:
    image: ${IMAGE}
    command: ["sleep", "100000"]
    stop_grace_period: 1s
`;

function description(id: string, wait: boolean): string {
  return `id: ${id}
metadata:
  name: ${id}
  version: 1.0.0
  catalog:
    organization: [{ name: Example }]
deploymentProfiles:
  - type: compose
    id: ${id}-compose
    components:
      - name: app
        properties:
          repository: oci://registry.example.com/compose/${id}
          revision: 1.0.0
          wait: ${wait}
          timeout: 2m0s
parameters:
  pollSeconds:
    value: 30
    targets: [{ pointer: POLL_SECONDS, components: [app] }]
`;
}

/**
 * Deploying with Commissioner against Debian's docker-compose (v1.29) on the same files and
 * the same daemon, alternating, medians of 3: a fresh 10-service deploy and a redeploy that
 * changes nothing — ours as the desktop app runs it (in its process), the CLI reported too —
 * and a tiny app deployed to ten devices at once against one device (images side-loaded in
 * both, one CLI command each). The 10-service app does not wait for readiness
 * (`wait: false`), as `docker-compose up -d` does not. The daemon's floor (the same work
 * straight through the Engine API) says how much of a deploy is the daemon's own.
 */
export async function deployBenchmarks(): Promise<Measure[]> {
  const root = mkdtempSync(join(tmpdir(), 'commissioner-bench-deploy-'));
  const home = join(root, 'home');
  const cli = (args: string[]) => runCli(args, { env: { COMMISSIONER_HOME: home }, cwd: root });
  const fleet = await startFleet({ count: 11 });
  try {
    const image = join(root, 'busybox.tar');
    await writeBusyboxDockerSave(image, [IMAGE]);
    const store = openStore(home);
    try {
      for (const [id, compose, wait] of [
        [TEN, tenServiceCompose(), false],
        [TINY, TINY_COMPOSE, true],
      ] as const) {
        const dir = join(root, id);
        mkdirSync(join(dir, 'package'), { recursive: true });
        mkdirSync(join(dir, 'compose'), { recursive: true });
        writeFileSync(join(dir, 'package', 'margo.yaml'), description(id, wait));
        writeFileSync(join(dir, 'compose', 'compose.yaml'), compose);
        const kit = join(dir, 'kit.tar');
        await packKit({
          packageDir: join(dir, 'package'),
          packageShownAs: id,
          components: [{ name: 'app', revision: '1.0.0', dir: join(dir, 'compose') }],
          images: [image],
          out: kit,
        });
        await importSources(store, [{ input: kit, path: kit }]);
      }
      addFleetDevices(
        store,
        fleet.daemons,
        fleet.daemons.map((_, i) => `dev${i + 1}`),
      );
    } finally {
      store.close();
    }
    const timed = async (work: () => Promise<unknown>) => {
      const t = performance.now();
      await work();
      return performance.now() - t;
    };
    const ok = async (args: string[]) => {
      const run = await cli(args);
      if (run.code !== 0)
        throw new Error(`commissioner ${args.join(' ')}: ${run.stdout}${run.stderr}`);
      return run;
    };
    const deploymentId = async (app: string, device: string) => {
      const rows = JSON.parse((await ok(['deployments', 'list', '--json'])).stdout) as {
        id: string;
        appId: string;
        device: string;
      }[];
      return rows.find((r) => r.appId === app && r.device === device)?.id as string;
    };
    const removeImage = (d: FleetDaemon) => engineRequest(d, 'DELETE', `/images/${IMAGE}?force=1`);

    // Ten devices at once against one, a tiny app, images side-loaded each time.
    const single = fleet.daemons[10] as FleetDaemon;
    const tenDevices = Array.from({ length: 10 }, (_, i) => `dev${i + 1}`);
    const oneTimes: number[] = [];
    const tenTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      oneTimes.push(await timed(() => ok(['deploy', TINY, '--device', 'dev11', '--yes'])));
      tenTimes.push(
        await timed(() => ok(['deploy', TINY, '--device', tenDevices.join(','), '--yes'])),
      );
      for (const [name, d] of [
        ['dev11', single],
        ...fleet.daemons.slice(0, 10).map((d, j) => [`dev${j + 1}`, d] as const),
      ] as const) {
        await ok([
          'deployments',
          'remove',
          await deploymentId(TINY, name),
          '--purge-volumes',
          '--yes',
        ]);
        await removeImage(d);
      }
    }

    // Ten services on one device: Commissioner against docker-compose up -d, same files.
    const composeDir = join(root, TEN, 'compose');
    const env = composeEnv(single, join(root, 'compose-certs'));
    const compose = (args: string[]) =>
      exec('docker-compose', ['-p', 'bench-theirs', '-f', 'compose.yaml', ...args], {
        cwd: composeDir,
        env,
      });
    const removeTen = async () =>
      ok(['deployments', 'remove', await deploymentId(TEN, 'dev11'), '--purge-volumes', '--yes']);
    await ok(['deploy', TEN, '--device', 'dev11', '--yes']); // side-loads the image once, warms up
    await removeTen();
    await compose(['up', '-d']);
    await compose(['down', '-v']);
    // The desktop app deploys in its own process: plan and apply through the service, as it
    // does; the CLI (the same, plus starting a process) is measured too.
    const live = openStore(home);
    const tenApp = showApplication(live.db, TEN)?.document as ApplicationDescription;
    const inProcess = async (expectChange: boolean) => {
      const planned = await planDeviceDeployment(live, {
        description: tenApp,
        device: getDevice(live, 'dev11') as DeviceRecord,
        values: {},
      });
      if (!planned.ok) throw new Error(planned.refusal.message);
      if (isUpToDate(live, planned.plan)) {
        if (expectChange) throw new Error('nothing to deploy on a fresh device?');
        return;
      }
      if (!expectChange) throw new Error('the redeploy found something to change');
      const outcome = await applyDevicePlan(live, planned.plan, { autoRollback: false });
      if (outcome.state !== 'installed') throw new Error(outcome.error?.message);
    };
    const ours: number[] = [];
    const theirs: number[] = [];
    const oursAgain: number[] = [];
    const theirsAgain: number[] = [];
    const oursCli: number[] = [];
    const oursCliAgain: number[] = [];
    const floor: number[] = [];
    try {
      for (let i = 0; i < RUNS; i++) {
        theirs.push(await timed(() => compose(['up', '-d'])));
        theirsAgain.push(await timed(() => compose(['up', '-d'])));
        await compose(['down', '-v']);
        ours.push(await timed(() => inProcess(true)));
        oursAgain.push(await timed(() => inProcess(false)));
        await removeTen();
        oursCli.push(await timed(() => ok(['deploy', TEN, '--device', 'dev11', '--yes'])));
        oursCliAgain.push(await timed(() => ok(['deploy', TEN, '--device', 'dev11', '--yes'])));
        await removeTen();
        floor.push(await engineFloor(single));
      }
    } finally {
      live.close();
    }
    const fresh = round(median(ours) / median(theirs));
    const again = round(median(oursAgain) / median(theirsAgain));
    const fleetRatio = round(median(tenTimes) / median(oneTimes));
    const s = (ms: number) => `${round(ms / 1000)} s`;
    return [
      {
        name: 'deploy a 10-service app vs docker-compose up -d (same files, same daemon)',
        value: fresh,
        unit: '×',
        target: '≤ 0.5',
        pass: fresh <= 0.5,
        detail: `Commissioner (in the app's process: plan + apply) ${s(median(ours))}, the CLI ${s(median(oursCli))}, docker-compose up -d ${s(median(theirs))}; the daemon's own floor (the same 10 containers, volumes and network made and started straight through the Engine API, nothing else) ${s(median(floor))} = ${round(median(floor) / median(theirs))}× docker-compose; medians of ${RUNS}`,
      },
      {
        name: 'redeploy with no change vs docker-compose up -d with no change',
        value: again,
        unit: '×',
        target: '≤ 0.5',
        pass: again <= 0.5,
        detail: `Commissioner (in process: probe, plan, nothing to do) ${s(median(oursAgain))}, the CLI ${s(median(oursCliAgain))}, docker-compose ${s(median(theirsAgain))}; medians of ${RUNS}`,
      },
      {
        name: 'deploy a tiny app to 10 devices at once vs to one (images side-loaded)',
        value: fleetRatio,
        unit: '×',
        target: '≤ 3 (2 cores)',
        pass: fleetRatio <= 3,
        detail: `10 devices ${s(median(tenTimes))}, 1 device ${s(median(oneTimes))}; medians of ${RUNS}`,
      },
    ];
  } finally {
    await fleet.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * What the daemon itself needs for the 10-service app, with no client logic at all: a network,
 * ten volumes, ten containers created together, the first started, then the nine others.
 */
async function engineFloor(d: FleetDaemon): Promise<number> {
  const docker = new Docker({ ...fleetClientOptions(d), timeout: 120_000 });
  const t = performance.now();
  const network = await docker.createNetwork({ Name: 'floor_default' });
  await Promise.all(
    Array.from({ length: 10 }, (_, i) => docker.createVolume({ Name: `floor_s${i}-data` })),
  );
  const containers = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      docker.createContainer({
        name: `floor-s${i}-1`,
        Image: IMAGE,
        Cmd: ['sleep', '100000'],
        Env: [`ROLE=s${i}`, 'POLL_SECONDS=30'],
        HostConfig: {
          Mounts: [{ Type: 'volume', Source: `floor_s${i}-data`, Target: '/data' }],
          NetworkMode: 'floor_default',
        },
      }),
    ),
  );
  await (containers[0] as Docker.Container).start();
  await Promise.all(containers.slice(1).map((c) => c.start()));
  const ms = performance.now() - t;
  await Promise.all(containers.map((c) => c.remove({ force: true })));
  await network.remove();
  await Promise.all(
    Array.from({ length: 10 }, (_, i) => docker.getVolume(`floor_s${i}-data`).remove()),
  );
  return ms;
}

/** docker-compose pointed at a fleet daemon with the fleet's client certificate. */
function composeEnv(d: FleetDaemon, certs: string): NodeJS.ProcessEnv {
  mkdirSync(certs, { recursive: true });
  copyFileSync(d.tls.caPath, join(certs, 'ca.pem'));
  copyFileSync(d.tls.certPath, join(certs, 'cert.pem'));
  copyFileSync(d.tls.keyPath, join(certs, 'key.pem'));
  return {
    PATH: process.env.PATH,
    HOME: certs,
    DOCKER_HOST: d.url,
    DOCKER_TLS_VERIFY: '1',
    DOCKER_CERT_PATH: certs,
    POLL_SECONDS: '30',
  };
}
