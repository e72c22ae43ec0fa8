import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyDevicePlan,
  planDeviceDeployment,
} from '../../electron/core/deployments/docker/docker-plan';
import { deploymentIdFor } from '../../electron/core/deployments/deployment-id';
import { DeploymentSummary } from '../../electron/core/store/deployment-journal';
import { beginDeviceOperation, DeviceBusyError } from '../../electron/core/store/device-locks';
import { getDevice } from '../../electron/core/store/device-inventory';
import { importSources } from '../../electron/core/import/import-sources';
import { showApplication } from '../../electron/core/store/catalog-reader';
import { openStore, type Store } from '../../electron/core/store/store';
import type { ApplicationDescription } from '../../shared/margo/application-description';
import { importBusyboxImage } from '../support/busybox-image';
import {
  LINE_APP,
  LINE_COMPONENT,
  LINE_COMPOSE,
  makeLineAppKit,
} from '../support/compose-app-fixture';
import { fleetDocker, projectContainersByService } from '../support/device-files';
import { addFleetDevices } from '../support/fleet-inventory';
import { startFleet, type Fleet } from '../support/docker-fleet';
import { CLI, runCli } from '../support/run-cli';

/**
 * What goes wrong on a plant floor, produced for real: input that must be refused before the
 * device changes, a daemon that dies mid-apply, Commissioner itself killed mid-apply, and two
 * operations racing for one device.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-deploy-faults-'));
const home = join(root, 'home');
const env = { COMMISSIONER_HOME: home };
const cli = (args: string[]) => runCli(args, { env, cwd: root });
let fleet: Fleet;

const BAD_COMPOSE = 'com-example-bad-compose';
const NO_IMAGE = 'com-example-no-image';
const ARM_ONLY = 'com-example-arm-only';
const DAMAGED = 'com-example-damaged';

async function list(): Promise<DeploymentSummary[]> {
  const run = await cli(['deployments', 'list', '--json']);
  return DeploymentSummary.array().parse(JSON.parse(run.stdout));
}

/** An errno-like code (ECONNRESET, EPIPE, ERR_…), as the sentence must never show. */
const RAW_CODE = /E[A-Z]{3,}/;

/**
 * A failure people can act on: no error codes or class names, the device and the component
 * named — the component once — and what to do.
 */
function expectActionable(message: string): void {
  expect(message).not.toMatch(RAW_CODE);
  expect(message).not.toMatch(/\b[A-Z][A-Za-z]*(Error|Failure)\b|\bat \S+:\d+/);
  expect(message).not.toContain('-H tcp');
  expect(message).toContain('dev3');
  expect(message.split(LINE_COMPONENT).length - 1).toBe(1);
  expect(message).toMatch(/deploy again/);
}

async function containerCount(i: number): Promise<number> {
  return (await fleetDocker(fleet.daemons[i]!).listContainers({ all: true })).length;
}

function withStore<T>(work: (store: Store) => T): T {
  const store = openStore(home);
  try {
    return work(store);
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  fleet = await startFleet({ count: 3 });
  const kits = [
    await makeLineAppKit(join(root, 'line')),
    await makeLineAppKit(join(root, 'bad'), {
      id: BAD_COMPOSE,
      compose: LINE_COMPOSE.replace('  db:\n', '  db:\n    build: ./db\n'),
    }),
    await makeLineAppKit(join(root, 'noimage'), {
      id: NO_IMAGE,
      compose: LINE_COMPOSE.replaceAll(
        'registry.example.com/line/busybox:1.0',
        'registry.example.com/line/historian:2.0',
      ),
      withImage: false,
    }),
    await makeLineAppKit(join(root, 'arm'), {
      id: ARM_ONLY,
      deviceConstraints:
        '      capacityRequirements:\n        cpu:\n          cores: 1\n          architectures: [arm64]',
    }),
    await makeLineAppKit(join(root, 'damaged'), { id: DAMAGED }),
  ];
  const store = openStore(home);
  try {
    for (const kit of kits) {
      const report = await importSources(store, [{ input: kit.kit, path: kit.kit }]);
      expect([...report.refused, ...report.conflicts, ...report.invalid]).toEqual([]);
    }
    addFleetDevices(
      store,
      fleet.daemons,
      fleet.daemons.map((_, i) => `dev${i + 1}`),
    );
  } finally {
    store.close();
  }
}, 240_000);

afterAll(async () => {
  await fleet?.stop();
  rmSync(root, { recursive: true, force: true });
}, 120_000);

describe('refused before anything on the device changes', { timeout: 120_000 }, () => {
  it('a compose key Commissioner does not support is named, with file:line:column', async () => {
    const run = await cli(['deploy', BAD_COMPOSE, '--device', 'dev1', '--yes']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/dev1: refused: line-app@1\.0\.0\/compose\.yaml:3:5: .*build/);
    expect(await containerCount(0)).toBe(0);
  });

  it('what the store lacks is listed all at once, with where to get it', async () => {
    const run = await cli(['deploy', NO_IMAGE, '--device', 'dev1', '--yes']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('the store lacks one thing this deployment needs');
    expect(run.stdout).toContain(
      'image registry.example.com/line/historian:2.0 (needed by services db, api, worker of line-app): get it from a kit packed with `kit pack --image <docker save archive of registry.example.com/line/historian:2.0>`, or `import --with-dependencies` from the registry registry.example.com',
    );
    expect(await containerCount(0)).toBe(0);
  });

  it('a device the compatibility report calls incompatible is refused with the failed check', async () => {
    const run = await cli(['deploy', ARM_ONLY, '--device', 'dev1', '--yes']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /dev1: refused: device dev1 cannot run profile line-app-compose:\n\s+FAILED .*architecture/i,
    );
    expect(await containerCount(0)).toBe(0);
  });

  it('a container name another project holds is refused before any container is touched', async () => {
    const docker = fleetDocker(fleet.daemons[1]!);
    await importBusyboxImage(fleet.daemons[1]!, 'busybox:squatter');
    const squatter = await docker.createContainer({
      name: `${LINE_APP}-${LINE_COMPONENT}-api-1`,
      Image: 'busybox:squatter',
      Cmd: ['sleep', '1000'],
    });
    try {
      const run = await cli(['deploy', LINE_APP, '--device', 'dev2', '--yes']);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        `needs the container name ${LINE_APP}-${LINE_COMPONENT}-api-1, which a container not made by compose already uses on the device`,
      );
      expect((await docker.listContainers({ all: true })).map((c) => c.Id)).toEqual([squatter.id]);
    } finally {
      await squatter.remove({ force: true });
    }
  });
});

describe('faults during the apply', { timeout: 240_000 }, () => {
  it('a daemon that dies mid-apply gives failed with the reason; a rerun converges', async () => {
    const daemon = fleet.daemons[2]!;
    const store = openStore(home);
    try {
      const description = showApplication(store.db, LINE_APP)!.document as ApplicationDescription;
      const planned = await planDeviceDeployment(store, {
        description,
        device: getDevice(store, 'dev3')!,
        values: {},
      });
      if (!planned.ok) throw new Error(planned.refusal.message);
      let killed: Promise<void> | undefined;
      const outcome = await applyDevicePlan(store, planned.plan, {
        autoRollback: true,
        onProgress: (message) => {
          if (message === `applying ${LINE_COMPONENT}` && !killed) killed = daemon.kill();
        },
      });
      await killed;
      process.stderr.write(`daemon killed mid-apply: ${JSON.stringify(outcome.error)}\n`);
      expect(outcome.state).toBe('failed');
      expect(outcome.error?.code).toBe('device-unreachable');
      expectActionable(outcome.error!.message);
      // The raw error is kept beside the sentence, for --verbose and "Details".
      expect(outcome.error?.detail).toMatch(RAW_CODE);
    } finally {
      store.close();
    }
    const failed = (await list()).find((r) => r.device === 'dev3')!;
    expect(failed).toMatchObject({ state: 'failed', revision: 1 });
    await daemon.start();
    const rerun = await cli(['deploy', LINE_APP, '--device', 'dev3', '--yes']);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    const containers = await projectContainersByService(
      fleetDocker(daemon),
      `${LINE_APP}-${LINE_COMPONENT}`,
    );
    expect([...containers.values()].map((c) => c.State)).toEqual(['running', 'running', 'running']);
    expect((await list()).find((r) => r.device === 'dev3')).toMatchObject({
      state: 'installed',
      revision: 2,
    });
  });

  it('a daemon killed mid-update: the failure and the rollback that could not run are said once, without codes', async () => {
    const daemon = fleet.daemons[2]!;
    const store = openStore(home);
    const id = deploymentIdFor(LINE_APP, 'dev3');
    try {
      const description = showApplication(store.db, LINE_APP)!.document as ApplicationDescription;
      const planned = await planDeviceDeployment(store, {
        description,
        device: getDevice(store, 'dev3')!,
        values: { pollSeconds: 9 },
      });
      if (!planned.ok) throw new Error(planned.refusal.message);
      expect(planned.plan.deployment.id).toBe(id);
      let killed: Promise<void> | undefined;
      const outcome = await applyDevicePlan(store, planned.plan, {
        autoRollback: true,
        onProgress: (message) => {
          if (message === `applying ${LINE_COMPONENT}` && !killed) killed = daemon.kill();
        },
      });
      await killed;
      process.stderr.write(`daemon killed mid-update: ${JSON.stringify(outcome.error)}\n`);
      expect(outcome).toMatchObject({ state: 'failed', revision: 3 });
      expect(outcome.error?.message).toMatch(
        /^Revision 3 failed, and the rollback to revision 2 could not run either: dev3 /,
      );
      expectActionable(outcome.error!.message);
      expect(outcome.error?.detail).toMatch(RAW_CODE);
    } finally {
      store.close();
    }
    // The CLI says it once too; --verbose adds what the device said.
    const shown = await cli(['deployments', 'show', id, '--verbose']);
    expect(shown.code, shown.stderr).toBe(0);
    const said = shown.stdout.split('\ncomponents')[0]!;
    expect(said).toContain('could not run either');
    expect(said).toMatch(/details \(device-unreachable/);
    expect(said).toMatch(RAW_CODE);
    const plain = await cli(['deployments', 'show', id]);
    expect(plain.stdout.split('\ncomponents')[0]).not.toMatch(RAW_CODE);
    expect(plain.stdout).toMatch(new RegExp(`${LINE_COMPONENT}: failed — see above`));
    await daemon.start();
  });

  it('Commissioner killed mid-apply: the next command marks it failed with the reason; a rerun converges', async () => {
    const db = new Database(join(home, 'commissioner.db'), { readonly: true });
    const child = spawn(process.execPath, [CLI, 'deploy', LINE_APP, '--device', 'dev1', '--yes'], {
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    try {
      // Once it holds the device and has created something, kill it the hard way.
      for (let i = 0; i < 200; i++) {
        const created = db
          .prepare(
            "SELECT COUNT(*) FROM deployment_events WHERE deployment_id = ? AND message = 'created db'",
          )
          .pluck()
          .get(deploymentIdFor(LINE_APP, 'dev1')) as number;
        if (created > 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    } finally {
      db.close();
    }
    const after = (await list()).find((r) => r.device === 'dev1')!;
    expect(after.state).toBe('failed');
    const show = await cli(['deployments', 'show', after.id, '--json']);
    const detail = JSON.parse(show.stdout) as { error: { code: string; message: string } };
    expect(detail.error.code).toBe('interrupted');
    expect(detail.error.message).toMatch(
      /Commissioner \(process \d+\) stopped during the deploy that started at .*: deploy again to finish/,
    );
    const rerun = await cli(['deploy', LINE_APP, '--device', 'dev1', '--yes']);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect((await list()).find((r) => r.device === 'dev1')).toMatchObject({ state: 'installed' });
  });

  it('one operation at a time per device, across processes', async () => {
    // A deploy running in this process holds dev2.
    const store = openStore(home);
    const held = beginDeviceOperation(store, 'dev2', 'deploy');
    try {
      expect(() => beginDeviceOperation(store, 'dev2', 'remove')).toThrow(DeviceBusyError);
      const run = await cli(['deploy', LINE_APP, '--device', 'dev2', '--yes']);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        new RegExp(
          `dev2: not applied: device dev2 is busy: a deploy started at .* by process ${process.pid} on .* is still running; wait for it to finish`,
        ),
      );
      expect(await containerCount(1)).toBe(0);
    } finally {
      held.finish('succeeded');
      store.close();
    }
    // Two processes racing for the same device: exactly one gets it.
    const script = `
      import { openStore } from '${join(process.cwd(), 'electron/core/store/store.ts')}';
      import { beginDeviceOperation } from '${join(process.cwd(), 'electron/core/store/device-locks.ts')}';
      const store = openStore(process.env.COMMISSIONER_HOME);
      try { beginDeviceOperation(store, 'dev2', 'deploy'); console.log('got it'); await new Promise((r) => setTimeout(r, 1500)); }
      catch (e) { console.log(e.name); }
      finally { store.close(); }
    `;
    const racer = join(root, 'racer.mts');
    writeFileSync(racer, script);
    const race = () =>
      new Promise<string>((resolve) => {
        const p = spawn(process.execPath, ['--import', 'tsx', racer], {
          env: { ...process.env, ...env },
        });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.on('exit', () => resolve(out.trim()));
      });
    const results = await Promise.all([race(), race(), race()]);
    expect(results.sort()).toEqual(['device-busy', 'device-busy', 'got it']);
  });
});

describe('damaged store', { timeout: 120_000 }, () => {
  it('a compose archive whose bytes changed in the store is refused, naming the damage', async () => {
    const path = withStore((store) => {
      const manifest = store.db
        .prepare('SELECT digest FROM refs WHERE name = ?')
        .pluck()
        .get(`registry.example.com/compose/${DAMAGED}:1.0.0`) as string;
      const layer = (
        JSON.parse(store.blobs.read(manifest).toString()) as { layers: { digest: string }[] }
      ).layers[0]!.digest;
      return store.blobs.pathOf(layer);
    });
    const bytes = readFileSync(path);
    bytes[bytes.length - 6] = (bytes[bytes.length - 6] as number) ^ 0xff;
    writeFileSync(path, bytes);
    const run = await cli(['deploy', DAMAGED, '--device', 'dev2', '--yes']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /hashes to sha256:[0-9a-f]{64}: the store is damaged; import the kit again/,
    );
    expect(await containerCount(1)).toBe(0);
  });
});
