import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNERSHIP_LABELS } from '../../shared/application-deployment/ownership-labels';
import { importSources } from '../../electron/core/import/import-sources';
import { openStore } from '../../electron/core/store/store';
import { LINE_APP, LINE_COMPONENT, makeLineAppKit } from '../support/compose-app-fixture';
import { fleetDocker, projectContainersByService } from '../support/device-files';
import { addFleetDevices } from '../support/fleet-inventory';
import { startFleet, type Fleet } from '../support/docker-fleet';
import { runCli } from '../support/run-cli';

/**
 * A laptop replaced: laptop A deploys to a real Docker device (revisions 1 and 2) and is
 * backed up with its package store; laptop B, a fresh data home, restores it and manages the
 * same deployment as its own — the device's TLS material works from B's home, the device takes
 * B for the installation that deployed (no take-over), and revision 1 is rolled back to.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-backup-fleet-'));
const homeA = join(root, 'laptop-a');
const homeB = join(root, 'laptop-b');
const DEVICE = 'press-1';
const PROJECT = `${LINE_APP}-${LINE_COMPONENT}`;
let fleet: Fleet;

const cliA = (args: string[]) => runCli(args, { env: { COMMISSIONER_HOME: homeA }, cwd: root });
const cliB = (args: string[]) => runCli(args, { env: { COMMISSIONER_HOME: homeB }, cwd: root });
const device = () => fleetDocker(fleet.daemons[0]!);

interface Row {
  id: string;
  device: string;
  revision: number;
  state: string;
}
const rows = async (cli: typeof cliA) =>
  JSON.parse((await cli(['deployments', 'list', '--json'])).stdout) as Row[];

async function envOfServices(): Promise<Map<string, string[]>> {
  const byService = await projectContainersByService(device(), PROJECT);
  const out = new Map<string, string[]>();
  for (const [service, c] of byService) {
    out.set(service, (await device().getContainer(c.Id).inspect()).Config.Env ?? []);
  }
  return out;
}

beforeAll(async () => {
  fleet = await startFleet({ count: 1 });
  const kit = await makeLineAppKit(join(root, 'app'));
  const store = openStore(homeA);
  try {
    const report = await importSources(store, [{ input: kit.kit, path: kit.kit }]);
    expect(report.imported.length).toBeGreaterThan(0);
    addFleetDevices(store, fleet.daemons, [DEVICE]);
  } finally {
    store.close();
  }
  writeFileSync(join(root, 'passphrase'), 'laptop a goes, laptop b comes\n', { mode: 0o600 });
}, 240_000);

afterAll(async () => {
  await fleet?.stop();
  rmSync(root, { recursive: true, force: true });
}, 120_000);

describe(
  'a deployment made before the backup, managed after the restore',
  { timeout: 240_000 },
  () => {
    it('laptop A deploys revisions 1 and 2, then is backed up with its store', async () => {
      const first = await cliA(['deploy', LINE_APP, '--device', DEVICE, '--yes']);
      expect(first.code, first.stdout + first.stderr).toBe(0);
      const second = await cliA([
        'deploy',
        LINE_APP,
        '--device',
        DEVICE,
        '--set',
        'logLevel=debug',
        '--yes',
      ]);
      expect(second.code, second.stdout + second.stderr).toBe(0);
      expect(second.stdout).toContain('installed, revision 2');
      const made = await cliA([
        'backup',
        'create',
        '-o',
        'laptop-a.cbackup',
        '--with-store',
        '--passphrase-file',
        'passphrase',
      ]);
      expect(made.code, made.stderr).toBe(0);
    });

    it('laptop B restores it and rolls the deployment back to revision 1 on the device', async () => {
      const restored = await cliB([
        'backup',
        'restore',
        'laptop-a.cbackup',
        '--passphrase-file',
        'passphrase',
      ]);
      expect(restored.code, restored.stdout + restored.stderr).toBe(0);
      // Laptop A is gone (dropped, stolen): only B acts from here on.
      rmSync(homeA, { recursive: true, force: true });
      const [row] = await rows(cliB);
      expect(row).toMatchObject({ device: DEVICE, revision: 2, state: 'installed' });
      expect([...(await envOfServices()).values()].flat()).toContain('LOG_LEVEL=debug');
      const installation = JSON.parse((await cliB(['installation', '--json'])).stdout) as {
        installation: string;
      };

      const back = await cliB(['deployments', 'rollback', row!.id, '--yes']);
      expect(back.code, back.stdout + back.stderr).toBe(0);
      expect(back.stdout).toContain('rolled back to revision 1');
      expect((await rows(cliB))[0]).toMatchObject({ revision: 1, state: 'installed' });
      const env = [...(await envOfServices()).values()].flat();
      expect(env).not.toContain('LOG_LEVEL=debug');
      // What runs carries the installation restored from A: B is that installation now.
      const containers = await device().listContainers({
        all: true,
        filters: { label: [`com.docker.compose.project=${PROJECT}`] },
      });
      expect(containers.length).toBeGreaterThan(0);
      for (const c of containers) {
        expect(c.Labels[OWNERSHIP_LABELS.installation]).toBe(installation.installation);
        expect(c.State).toBe('running');
      }
      const verify = await cliB(['audit', 'verify']);
      expect(verify.code, verify.stdout).toBe(0);
    });
  },
);
