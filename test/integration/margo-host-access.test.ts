import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addClient } from '../../electron/core/identity/margo-clients';
import { plantIdentity } from '../../electron/core/identity/plant-identity';
import { importSources } from '../../electron/core/import/import-sources';
import { recordMargoDevice } from '../../electron/core/store/device-inventory';
import { openStore, type Store } from '../../electron/core/store/store';
import { applyDeploy } from '../../electron/core/use-cases/apply-deploy';
import { planDeploy } from '../../electron/core/use-cases/plan-deploy';
import { updateDevice } from '../../electron/core/use-cases/update-device';
import { DeviceCapabilitiesManifest } from '../../shared/margo/device-capabilities';
import { LINE_APP, LINE_IMAGE, makeLineAppKit } from '../support/compose-app-fixture';
import { makePackageFixture } from '../support/kit-fixture';
import { deviceCapabilities } from '../support/margo-device-client';

/**
 * Margo devices read the compose files themselves: the same review applies to what is placed
 * in their desired state, the same acknowledgement is needed, the same policy refuses; a Helm
 * profile has no compose file and the plan says it was not reviewed.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-margo-host-access-'));
let store: Store;
const GATEWAY = 'plant-gw/gw-1';
const K3S = 'plant-gw/k3s-1';

const desiredCount = () =>
  (store.db.prepare('SELECT count(*) AS n FROM margo_desired').get() as { n: number }).n;

beforeAll(async () => {
  store = openStore(join(root, 'home'));
  // The client is provisioned as `margo client add` does: its devices get a desired state.
  addClient(store, plantIdentity(store.paths), 'plant-gw');
  const kit = await makeLineAppKit(join(root, 'app'), {
    compose: `services:\n  agent:\n    image: ${LINE_IMAGE}\n    privileged: true\n`,
  });
  const helmApp = await makePackageFixture(join(root, 'helm-app'));
  const report = await importSources(store, [
    { input: kit.kit, path: kit.kit },
    { input: helmApp.packageDir, path: helmApp.packageDir },
  ]);
  expect(report.invalid).toEqual([]);
  recordMargoDevice(
    store,
    'plant-gw',
    'gw-1',
    DeviceCapabilitiesManifest.parse(deviceCapabilities('gw-1')),
  );
  recordMargoDevice(
    store,
    'plant-gw',
    'k3s-1',
    DeviceCapabilitiesManifest.parse(
      // What the package's Helm profile asks of a device (see margo-deploy.test.ts).
      deviceCapabilities('k3s-1', {
        vendor: 'Example',
        cpus: [{ cores: 4, architecture: 'arm64' }],
        memory: '8 Gi',
        storage: '64 Gi',
        supportedDeploymentTypes: ['helm'],
      }),
    ),
  );
}, 120_000);

afterAll(() => {
  store?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('host access on Margo devices', () => {
  it('a compose profile placed on a Margo device is reviewed, and placed only once allowed', async () => {
    const planning = await planDeploy(store, { app: LINE_APP, devices: [GATEWAY], values: {} });
    const view = planning.devices[0]?.view;
    if (!view?.ok) throw new Error(JSON.stringify(view));
    expect(view.hostAccess.map((f) => [f.service, f.rule, f.severity])).toEqual([
      ['agent', 'host-privileged', 'critical'],
    ]);
    const refused = await applyDeploy(planning);
    expect(refused.map((o) => [o.state, o.error?.code])).toEqual([['refused', 'host-access']]);
    expect(desiredCount()).toBe(0);
    const placed = await applyDeploy(planning, {
      hostAccessAllowed: { [GATEWAY]: view.hostAccessDigest ?? '' },
    });
    expect(placed.map((o) => [o.state, o.error])).toEqual([['placed', null]]);
    expect(desiredCount()).toBe(1);
  });

  it('a Margo device that denies host access refuses it as incompatible', async () => {
    updateDevice(store, { name: GATEWAY, hostAccess: 'deny' });
    const planning = await planDeploy(store, {
      app: LINE_APP,
      devices: [GATEWAY],
      values: { typed: { pollSeconds: 60 } },
    });
    const view = planning.devices[0]?.view;
    expect(view).toMatchObject({ ok: false, code: 'incompatible' });
    if (view?.ok !== false) return;
    expect(view.message).toContain('service agent runs privileged');
  });

  it('a Helm profile is said not to be reviewed, never "no findings" in silence', async () => {
    const planning = await planDeploy(store, {
      app: 'com-example-line-monitor',
      devices: [K3S],
      profile: 'line-monitor-helm',
      values: {},
    });
    const view = planning.devices[0]?.view;
    if (!view?.ok) throw new Error(JSON.stringify(view));
    expect(view.hostAccess).toEqual([]);
    expect(view.hostAccessDigest).toBeNull();
    expect(view.warnings.join('\n')).toContain(
      'only compose files are reviewed for host access, so what its chart may do on the device is not known',
    );
  });
});
