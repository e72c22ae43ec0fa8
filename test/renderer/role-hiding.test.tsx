import { render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceView } from '../../shared/contract/devices';
import type { MargoClientView, MargoServingView } from '../../shared/contract/margo';
import type { Role } from '../../shared/contract/roles';
import type { TrustEntryView, TrustPolicyView } from '../../shared/contract/trust-store';
import { DeployScreen } from '../../renderer/src/screens/deploy/DeployScreen';
import { DeviceDetail } from '../../renderer/src/screens/devices/DeviceDetail';
import { DevicesScreen } from '../../renderer/src/screens/devices/DevicesScreen';
import { ImportScreen } from '../../renderer/src/screens/import/ImportScreen';
import { DeploymentSettings } from '../../renderer/src/screens/settings/DeploymentSettings';
import { MargoSettings } from '../../renderer/src/screens/settings/MargoSettings';
import { TrustSettings } from '../../renderer/src/screens/settings/TrustSettings';
import { AppProvider, useApp } from '../../renderer/src/state/app-state';
import { testIds } from '../../renderer/src/test-ids';
import { APP_INFO } from './support/app-info';
import { MemoryTransport } from './support/memory-transport';

const press: DeviceView = {
  name: 'press-1',
  kind: 'docker',
  connection: { protocol: 'tcp', address: 'tcp://10.0.7.1:2376', secure: true },
  labels: {},
  described: {},
  lastProbe: null,
  lastSeen: null,
  addedAt: '2026-01-01T00:00:00.000Z',
  hostAccess: 'deny',
};

const plant: TrustEntryView = {
  name: 'plant',
  type: 'ca',
  fingerprint: `sha256:${'e3'.repeat(32)}`,
  subjects: ['O=Acme, CN=Plant CA'],
  notBefore: '2024-01-01T00:00:00.000Z',
  notAfter: '2124-01-01T00:00:00.000Z',
  addedAt: '2026-01-01T00:00:00.000Z',
  usedBy: [],
};
const everywhere: TrustPolicyView = {
  scope: '*',
  kind: 'all',
  level: 'strict',
  trust: null,
  identities: [],
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const stopped: MargoServingView = {
  serving: null,
  trustDomain: null,
  defaults: { host: '0.0.0.0', port: 8443, trustPort: 8444 },
  bundleUrl: 'https://10.0.0.5:8443',
  expiring: [],
};
const gateway: MargoClientView = {
  clientId: 'press-gw',
  spiffeId: 'spiffe://plant.commissioner/margo/wfm/c/client/press-gw',
  state: 'accepted',
  createdAt: '2026-04-02T08:00:00.000Z',
  revokedAt: null,
  lastContact: null,
  manifestVersion: 1,
  devices: [],
  certificate: null,
};

/** Every change offered in Settings → Deployments on devices, Margo devices and Trust. */
const SETTINGS_CHANGES = [
  testIds.trust.add,
  testIds.trust.entryRemove('plant'),
  testIds.trust.setPolicy,
  testIds.trust.policyEdit('*'),
  testIds.trust.policyRemove('*'),
  testIds.margo.start,
  testIds.margo.host,
  testIds.margo.add,
  testIds.margo.clientActions('press-gw'),
  testIds.settings.engineerSave,
  testIds.settings.watchIntervalSave,
];

/** The three settings sections that change the station. */
function StationSettings() {
  return (
    <>
      <DeploymentSettings />
      <MargoSettings />
      <TrustSettings />
    </>
  );
}

/** The memory core with one of everything, answering `session.current` as `role` logged in. */
function core(role: Role | null, serving: MargoServingView = stopped) {
  return new MemoryTransport({
    'app.info': () => APP_INFO,
    'jobs.list': () => [],
    'session.current': () => ({ account: role ? 'vera' : null, role }),
    'devices.list': () => [press],
    'trust.list': () => [plant],
    'trust.policies': () => [everywhere],
    'margo.status': () => serving,
    'margo.clients': () => [gateway],
    'settings.watchInterval': () => ({ seconds: 30 }),
    'settings.installation': () => ({ installation: 'inst-1', engineer: 'ben', host: 'LAPTOP' }),
  });
}

/** Says once the session's answer is in: what is hidden is hidden from then on. */
function SessionKnown() {
  const { session } = useApp();
  return session ? <span data-testid="session-known" data-role={session.role ?? 'none'} /> : null;
}

async function renderAs(
  role: Role | null,
  ui: React.ReactNode,
  hash = '#/devices',
  serving = stopped,
) {
  window.history.replaceState(null, '', hash);
  render(
    <AppProvider transport={core(role, serving)}>
      <SessionKnown />
      {ui}
    </AppProvider>,
  );
  const known = await screen.findByTestId('session-known');
  expect(known.getAttribute('data-role')).toBe(role ?? 'none');
}

afterEach(() => {
  window.history.replaceState(null, '', '#/catalog');
});

// MUI's first renders take over a second beside other test files on two cores.
describe(
  'what each role is offered (the core refuses the rest anyway)',
  { timeout: 20_000 },
  () => {
    it('Devices: a viewer probes and reports, but adds, edits and removes nothing', async () => {
      await renderAs('viewer', <DevicesScreen />);
      await screen.findByTestId(testIds.devices.row(press.name));
      expect(screen.getByTestId(testIds.devices.probe(press.name))).toBeTruthy();
      expect(screen.getByTestId(testIds.devices.probeAll)).toBeTruthy();
      expect(screen.getByTestId(testIds.devices.reportAll)).toBeTruthy();
      expect(screen.queryByTestId(testIds.devices.add)).toBeNull();
      expect(screen.queryByTestId(testIds.devices.edit(press.name))).toBeNull();
      expect(screen.queryByTestId(testIds.devices.remove(press.name))).toBeNull();
    });

    it('Devices: an operator manages no devices either', async () => {
      await renderAs('operator', <DevicesScreen />);
      await screen.findByTestId(testIds.devices.row(press.name));
      expect(screen.queryByTestId(testIds.devices.add)).toBeNull();
      expect(screen.queryByTestId(testIds.devices.remove(press.name))).toBeNull();
    });

    it('Devices: an admin is offered add, edit and remove', async () => {
      await renderAs('admin', <DevicesScreen />);
      await screen.findByTestId(testIds.devices.row(press.name));
      expect(screen.getByTestId(testIds.devices.add)).toBeTruthy();
      expect(screen.getByTestId(testIds.devices.edit(press.name))).toBeTruthy();
      expect(screen.getByTestId(testIds.devices.remove(press.name))).toBeTruthy();
    });

    it("a device's detail: a viewer sees its host access, without a choice, and the Report", async () => {
      await renderAs(
        'viewer',
        <DeviceDetail device={press} probe={undefined} onClose={() => {}} />,
      );
      const setting = screen.getByTestId(testIds.devices.hostAccess);
      const radios = within(setting).getAllByRole('radio');
      expect(radios).toHaveLength(2);
      for (const radio of radios) expect((radio as HTMLInputElement).disabled).toBe(true);
      expect(setting.parentElement?.textContent).toContain('Only an admin changes it.');
      expect(screen.getByTestId(testIds.devices.report(press.name))).toBeTruthy();
    });

    it('Settings: a viewer reads trust, Margo and the deployment settings, and changes none', async () => {
      await renderAs('viewer', <StationSettings />, '#/settings');
      await screen.findByTestId(testIds.trust.entry('plant'));
      await screen.findByTestId(testIds.margo.client('press-gw'));
      await screen.findByTestId(testIds.trust.policy('*'));
      for (const id of SETTINGS_CHANGES) {
        expect(screen.queryByTestId(id), id).toBeNull();
      }
      const interval = await screen.findByTestId(testIds.settings.watchInterval);
      await waitFor(() => expect((interval as HTMLInputElement).value).toBe('30'));
      expect((interval as HTMLInputElement).readOnly).toBe(true);
      expect((screen.getByTestId(testIds.settings.engineer) as HTMLInputElement).readOnly).toBe(
        true,
      );
      const section = screen.getByTestId(testIds.trust.section);
      expect(section.textContent).toContain('Only an admin changes what is trusted.');
      expect(screen.getByTestId(testIds.margo.section).textContent).toContain(
        'Only an admin starts serving them.',
      );
    });

    it('Settings: a certificate about to expire tells a viewer whom to ask, not a menu it lacks', async () => {
      const expiring: MargoServingView = {
        ...stopped,
        expiring: [
          {
            what: 'client press-gw',
            notAfter: '2026-05-20T08:00:00.000Z',
            kind: 'client',
            expired: false,
          },
        ],
      };
      await renderAs('viewer', <MargoSettings />, '#/settings', expiring);
      const warning = await screen.findByTestId(testIds.margo.expiring);
      expect(warning.textContent).toMatch(/expires .*: an admin renews it/);
      expect(warning.textContent).not.toContain('menu');
    });

    it('Settings: an admin is offered every change', async () => {
      await renderAs('admin', <StationSettings />, '#/settings');
      await screen.findByTestId(testIds.trust.entry('plant'));
      await screen.findByTestId(testIds.margo.client('press-gw'));
      for (const id of SETTINGS_CHANGES) {
        expect(screen.getByTestId(id), id).toBeTruthy();
      }
    });

    it('the deploy wizard, opened by its address: a viewer is told in one sentence whom to ask', async () => {
      await renderAs('viewer', <DeployScreen />, '#/deploy?app=com-example-line&version=1.0.0');
      const refused = await screen.findByTestId(testIds.deploy.roleRefused);
      expect(refused.textContent).toBe(
        'Your role (viewer) cannot deploy: ask an operator or an admin.',
      );
      expect(screen.queryByTestId(testIds.deploy.next)).toBeNull();
      expect(screen.queryByTestId(testIds.deploy.step('devices'))).toBeNull();
    });

    it("a deploy's progress stays open to a viewer (reading), without Deploy again", async () => {
      await renderAs('viewer', <DeployScreen />, '#/deploy?app=com-example-line&job=j1');
      expect(await screen.findByTestId(testIds.deploy.step('progress'))).toBeTruthy();
      expect(screen.queryByTestId(testIds.deploy.roleRefused)).toBeNull();
      expect(screen.queryByTestId(testIds.deploy.again)).toBeNull();
    });

    it('the deploy wizard is offered to an operator', async () => {
      await renderAs('operator', <DeployScreen />, '#/deploy?app=com-example-line');
      expect(screen.queryByTestId(testIds.deploy.roleRefused)).toBeNull();
      expect(screen.getByTestId(testIds.deploy.next)).toBeTruthy();
    });

    it('the Import screen, opened by its address: a viewer is told whom to ask, and nothing to pick', async () => {
      await renderAs('viewer', <ImportScreen />, '#/import');
      const refused = await screen.findByTestId(testIds.imports.roleRefused);
      expect(refused.textContent).toBe(
        'Your role (viewer) cannot import packages: ask an operator or an admin.',
      );
      for (const id of [
        testIds.imports.kit,
        testIds.imports.folder,
        testIds.imports.dropzone,
        testIds.imports.registryForm,
        testIds.imports.noJob,
      ]) {
        expect(screen.queryByTestId(id), id).toBeNull();
      }
    });

    it('the Import screen is offered to an operator', async () => {
      await renderAs('operator', <ImportScreen />, '#/import');
      expect(screen.getByTestId(testIds.imports.kit)).toBeTruthy();
      expect(screen.queryByTestId(testIds.imports.roleRefused)).toBeNull();
    });

    it('without accounts (the desktop app, the token host) everything is offered, as before', async () => {
      await renderAs(null, <DevicesScreen />);
      await screen.findByTestId(testIds.devices.row(press.name));
      expect(screen.getByTestId(testIds.devices.add)).toBeTruthy();
      expect(screen.getByTestId(testIds.devices.remove(press.name))).toBeTruthy();
    });
  },
);
