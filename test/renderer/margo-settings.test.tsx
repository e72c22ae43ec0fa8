import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type {
  MargoClientView,
  MargoServingView,
  ProvisionedMargoClient,
} from '../../shared/contract/margo';
import { MargoSettings } from '../../renderer/src/screens/settings/MargoSettings';
import { AppProvider } from '../../renderer/src/state/app-state';
import { derived, testIds } from '../../renderer/src/test-ids';
import { APP_INFO } from './support/app-info';
import { MemoryTransport } from './support/memory-transport';

const FINGERPRINT =
  'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';

const stopped: MargoServingView = {
  serving: null,
  trustDomain: null,
  defaults: { host: '0.0.0.0', port: 8443, trustPort: 8444 },
  bundleUrl: 'https://10.0.0.5:8443',
  expiring: [],
};

const served: MargoServingView = {
  serving: {
    url: 'https://10.0.0.5:8443',
    trustBundleUrl: 'https://10.0.0.5:8444/.well-known/margo',
    host: '0.0.0.0',
    port: 8443,
    trustPort: 8444,
    tls12: false,
    since: '2026-05-01T08:00:00.000Z',
  },
  trustDomain: {
    name: 'plant-1a2b3c4d.commissioner',
    wfmSpiffeId: 'spiffe://plant-1a2b3c4d.commissioner/margo/wfm/commissioner-1a2b3c4d',
    caFingerprint: FINGERPRINT,
    createdAt: '2026-04-01T08:00:00.000Z',
  },
  defaults: { host: '0.0.0.0', port: 8443, trustPort: 8444 },
  bundleUrl: 'https://10.0.0.5:8443',
  expiring: [],
};

const pressGw: MargoClientView = {
  clientId: 'press-gw',
  spiffeId: 'spiffe://plant-1a2b3c4d.commissioner/margo/wfm/commissioner-1a2b3c4d/client/press-gw',
  state: 'accepted',
  createdAt: '2026-04-02T08:00:00.000Z',
  revokedAt: null,
  lastContact: new Date(Date.now() - 120_000).toISOString(),
  manifestVersion: 3,
  devices: [
    {
      name: 'press-gw/gw-1',
      deviceId: 'gw-1',
      lastReport: new Date(Date.now() - 60_000).toISOString(),
    },
  ],
  certificate: null,
};

const oldGw: MargoClientView = {
  ...pressGw,
  clientId: 'old-gw',
  state: 'revoked',
  revokedAt: '2026-04-10T08:00:00.000Z',
  lastContact: null,
  devices: [],
};

function setup(view: MargoServingView, clients: MargoClientView[] = []) {
  const core = new MemoryTransport({
    'app.info': () => APP_INFO,
    'jobs.list': () => [],
    'margo.status': () => view,
    'margo.clients': () => clients,
  });
  render(
    <AppProvider transport={core}>
      <MargoSettings />
    </AppProvider>,
  );
  return core;
}

function type(testId: string, text: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value: text } });
}

const textOf = (testId: string) => screen.getByTestId(testId).textContent ?? '';

// MUI dialogs take over a second on their first render beside other test files on two cores.
describe('Settings → Margo devices', { timeout: 20_000 }, () => {
  it('not serving yet: says so, offers the last address and ports, and no trust domain is made by looking', async () => {
    setup(stopped);
    const state = await screen.findByTestId(testIds.margo.state);
    expect(state.dataset.serving).toBe('false');
    expect(state.textContent).toMatch(/Not serving: Margo devices cannot reach this computer/);
    expect((screen.getByTestId(testIds.margo.host) as HTMLInputElement).value).toBe('0.0.0.0');
    expect((screen.getByTestId(testIds.margo.port) as HTMLInputElement).value).toBe('8443');
    expect((screen.getByTestId(testIds.margo.trustPort) as HTMLInputElement).value).toBe('8444');
    expect(textOf(testIds.margo.noTrustDomain)).toMatch(
      /plant CA is made when serving starts or the first client is added/,
    );
    expect((await screen.findByTestId(testIds.margo.clientsEmpty)).textContent).toMatch(
      /No client yet/,
    );
    expect(screen.queryByTestId(testIds.margo.stop)).toBeNull();
  });

  it('start: a bad port is said before asking; then address, ports and TLS 1.2 are sent, and the answer shows where it serves', async () => {
    const core = setup(stopped);
    await screen.findByTestId(testIds.margo.start);
    type(testIds.margo.port, '80000');
    expect(screen.getByText('A port number, 1 to 65535 (0: any free port)')).toBeTruthy();
    expect((screen.getByTestId(testIds.margo.start) as HTMLButtonElement).disabled).toBe(true);
    type(testIds.margo.port, '9443');
    type(testIds.margo.host, ' 10.0.0.5 ');
    fireEvent.click(screen.getByTestId(testIds.margo.tls12));
    fireEvent.click(screen.getByTestId(testIds.margo.start));
    await waitFor(() => expect(core.callsOf('margo.start')).toHaveLength(1));
    expect(core.callsOf('margo.start')[0]?.request).toEqual({
      host: '10.0.0.5',
      port: 9443,
      trustPort: 8444,
      tls12: true,
    });
    act(() => core.callsOf('margo.start')[0]?.answer(served));
    expect((await screen.findByTestId(testIds.margo.wfmUrl)).textContent).toBe(
      'https://10.0.0.5:8443',
    );
    expect(textOf(testIds.margo.trustBundleUrl)).toBe('https://10.0.0.5:8444/.well-known/margo');
    expect(textOf(testIds.margo.caFingerprint)).toBe(FINGERPRINT);
    expect(textOf(testIds.margo.trustDomain)).toContain('plant-1a2b3c4d.commissioner');
    expect(screen.getByTestId(testIds.margo.state).dataset.serving).toBe('true');
    expect(textOf(testIds.margo.state)).toMatch(
      /Serving Margo devices since .*, on every address of this computer, port 8443 \(trust bundle on 8444\), TLS 1\.3 only/,
    );
  });

  it('a start the core refuses shows its words, and the form stays', async () => {
    const core = setup(stopped);
    fireEvent.click(await screen.findByTestId(testIds.margo.start));
    await waitFor(() => expect(core.callsOf('margo.start')).toHaveLength(1));
    act(() =>
      core.callsOf('margo.start')[0]?.fail({
        name: 'refused',
        message: 'cannot serve Margo devices: a port is in use (8443 or 8444): choose other ports',
        details: { reasons: ['a port is in use (8443 or 8444): choose other ports'] },
      }),
    );
    expect((await screen.findByTestId(derived.message(testIds.margo.startError))).textContent).toBe(
      'cannot serve Margo devices: a port is in use (8443 or 8444): choose other ports',
    );
    expect(screen.getByTestId(testIds.margo.port)).toBeTruthy();
  });

  it('stop asks first, saying what devices experience, then stops', async () => {
    const core = setup(served);
    fireEvent.click(await screen.findByTestId(testIds.margo.stop));
    const dialog = await screen.findByTestId(testIds.margo.stopDialog);
    expect(dialog.textContent).toMatch(/cannot reach this computer until serving starts again/);
    expect(dialog.textContent).toMatch(/keep running what they run now/);
    fireEvent.click(within(dialog).getByTestId(derived.confirm(testIds.margo.stopDialog)));
    await waitFor(() => expect(core.callsOf('margo.stop')).toHaveLength(1));
    act(() => core.callsOf('margo.stop')[0]?.answer(stopped));
    expect((await screen.findByTestId(testIds.margo.state)).dataset.serving).toBe('false');
  });

  it('lists clients with their state in words, devices with their last report, and last contact', async () => {
    const newGw = {
      ...pressGw,
      clientId: 'new-gw',
      devices: [],
      lastContact: new Date(Date.now() + 5_000).toISOString(),
    };
    setup(served, [oldGw, pressGw, newGw]);
    const press = await screen.findByTestId(testIds.margo.client('press-gw'));
    expect(press.dataset.state).toBe('accepted');
    expect(textOf(testIds.margo.clientState('press-gw'))).toBe('● accepted');
    expect(textOf(testIds.margo.clientDevices('press-gw'))).toMatch(
      /^press-gw\/gw-1 reported 1 minute ago$/,
    );
    expect(textOf(testIds.margo.clientContact('press-gw'))).toBe('2 minutes ago');
    expect(textOf(testIds.margo.clientState('old-gw'))).toMatch(/^○ revoked /);
    expect(textOf(testIds.margo.clientDevices('old-gw'))).toBe('none reported yet');
    expect(textOf(testIds.margo.clientContact('old-gw'))).toBe('never');
    // A contact newer than the last redraw (or a core's clock a little ahead) is not "in 5 seconds".
    expect(textOf(testIds.margo.clientContact('new-gw'))).toBe('now');
    // No expiry known yet: no column for it.
    expect(screen.queryByTestId(testIds.margo.clientExpiry('press-gw'))).toBeNull();
    // Words for people: no SPIFFE or flag jargon in the table's text.
    expect(textOf(testIds.margo.clients)).not.toMatch(/spiffe:|--|revokedAt/);
  });

  it('certificate expiry, where the core knows it, shows per client and as a warning', async () => {
    setup(
      {
        ...served,
        expiring: [
          {
            what: 'client press-gw',
            notAfter: '2026-05-20T08:00:00.000Z',
            kind: 'client',
            expired: false,
          },
          {
            what: 'the plant CA',
            notAfter: '2026-05-01T08:00:00.000Z',
            kind: 'ca',
            expired: true,
          },
        ],
      },
      [{ ...pressGw, certificate: { notAfter: '2026-05-20T08:00:00.000Z', expiresSoon: true } }],
    );
    expect((await screen.findByTestId(testIds.margo.expiring)).textContent).toMatch(
      /The certificate of client press-gw expires .*: renew it from its menu below/,
    );
    expect(textOf(testIds.margo.expiring)).toMatch(
      /The certificate of the plant CA expired .*: the trust domain needs a new CA/,
    );
    expect(textOf(testIds.margo.clientExpiry('press-gw'))).toMatch(/^expires soon: /);
  });

  it('revoke: the confirmation says what the device will experience, then the core is asked', async () => {
    const core = setup(served, [pressGw]);
    fireEvent.click(await screen.findByTestId(testIds.margo.clientActions('press-gw')));
    fireEvent.click(await screen.findByTestId(testIds.margo.clientRevoke('press-gw')));
    const dialog = await screen.findByTestId(testIds.margo.revokeDialog);
    const words = dialog.textContent ?? '';
    expect(words).toContain('Revoke client press-gw?');
    expect(words).toContain(
      'Its next request to this computer is refused, also on a connection already open',
    );
    expect(words).toContain('press-gw/gw-1 keeps running what it runs now');
    expect(words).toContain('it gets no changes from here');
    expect(words).toContain('add press-gw again and install the new bundle');
    fireEvent.click(within(dialog).getByTestId(derived.confirm(testIds.margo.revokeDialog)));
    await waitFor(() => expect(core.callsOf('margo.revokeClient')).toHaveLength(1));
    expect(core.callsOf('margo.revokeClient')[0]?.request).toEqual({ clientId: 'press-gw' });
  });

  it('a revoked client cannot be revoked again', async () => {
    setup(served, [oldGw]);
    fireEvent.click(await screen.findByTestId(testIds.margo.clientActions('old-gw')));
    const item = await screen.findByTestId(testIds.margo.clientRevoke('old-gw'));
    expect(item.getAttribute('aria-disabled')).toBe('true');
  });

  it('renew: the id is fixed, the old bundle is said to stay valid, the new one is downloaded', async () => {
    const core = setup(served, [pressGw, oldGw]);
    fireEvent.click(await screen.findByTestId(testIds.margo.clientActions('old-gw')));
    const revokedItem = await screen.findByTestId(testIds.margo.clientRenew('old-gw'));
    expect(revokedItem.getAttribute('aria-disabled')).toBe('true');
    fireEvent.keyDown(revokedItem, { key: 'Escape' });

    fireEvent.click(await screen.findByTestId(testIds.margo.clientActions('press-gw')));
    fireEvent.click(await screen.findByTestId(testIds.margo.clientRenew('press-gw')));
    const dialog = await screen.findByTestId(testIds.margo.addDialog);
    expect(dialog.textContent).toContain('Renew client press-gw');
    expect(dialog.textContent).toContain(
      'The bundle it has now stays valid until its certificate expires or the client is revoked',
    );
    const id = screen.getByTestId(testIds.margo.addClientId) as HTMLInputElement;
    expect(id.value).toBe('press-gw');
    expect(id.disabled).toBe(true);
    fireEvent.click(screen.getByTestId(testIds.margo.addSubmit));
    await waitFor(() => expect(core.callsOf('margo.renewClient')).toHaveLength(1));
    expect(core.callsOf('margo.renewClient')[0]?.request).toEqual({
      clientId: 'press-gw',
      to: { kind: 'download' },
    });
    expect(core.callsOf('margo.addClient')).toEqual([]);
    const ticket = { token: 't-2', name: 'press-gw-margo-bundle.zip', size: 4100 };
    act(() =>
      core.callsOf('margo.renewClient')[0]?.answer({
        client: pressGw,
        url: 'https://10.0.0.5:8443',
        files: ['ca.pem', 'cert.pem', 'key.pem', 'wfm.json'],
        folder: null,
        download: ticket,
      }),
    );
    expect((await screen.findByTestId(testIds.margo.added)).textContent).toContain(
      'press-gw-margo-bundle.zip',
    );
    expect(screen.getByTestId(testIds.margo.addDialog).textContent).toContain(
      'Client press-gw renewed',
    );
    expect(core.downloads).toEqual([ticket]);
  });

  it('add in the browser: the bundle is downloaded as a .zip, and the next steps are said', async () => {
    const core = setup(served);
    fireEvent.click(await screen.findByTestId(testIds.margo.add));
    await screen.findByTestId(testIds.margo.addDialog);
    fireEvent.click(screen.getByTestId(testIds.margo.addSubmit));
    expect(await screen.findByText('Name the client')).toBeTruthy();
    expect(core.callsOf('margo.addClient')).toEqual([]);
    type(testIds.margo.addClientId, 'press-gw');
    expect(textOf(testIds.margo.addDownload)).toBe(
      'Your browser downloads the bundle as press-gw-margo-bundle.zip.',
    );
    expect((screen.getByTestId(testIds.margo.addUrl) as HTMLInputElement).value).toBe(
      'https://10.0.0.5:8443',
    );
    fireEvent.click(screen.getByTestId(testIds.margo.addSubmit));
    await waitFor(() => expect(core.callsOf('margo.addClient')).toHaveLength(1));
    // The URL left as offered is the core's own default: not sent.
    expect(core.callsOf('margo.addClient')[0]?.request).toEqual({
      clientId: 'press-gw',
      to: { kind: 'download' },
    });
    const ticket = { token: 't-1', name: 'press-gw-margo-bundle.zip', size: 4242 };
    const added: ProvisionedMargoClient = {
      client: { ...pressGw, devices: [], lastContact: null },
      url: 'https://10.0.0.5:8443',
      files: ['ca.pem', 'cert.pem', 'key.pem', 'wfm.json'],
      folder: null,
      download: ticket,
    };
    act(() => core.callsOf('margo.addClient')[0]?.answer(added));
    const done = await screen.findByTestId(testIds.margo.added);
    expect(core.downloads).toEqual([ticket]);
    expect(done.textContent).toContain(
      'Its bundle is downloaded as press-gw-margo-bundle.zip (ca.pem, cert.pem, key.pem, wfm.json in a folder press-gw).',
    );
    expect(done.textContent).toMatch(/key\.pem lets whoever holds it act as this client/);
  });

  it('add in the desktop app: a folder is chosen, its token sent with a typed URL; the core’s refusal is shown', async () => {
    const core = setup(stopped);
    core.host = 'electron';
    core.pickFile = (purpose, kind) =>
      Promise.resolve(
        purpose === 'margo-bundle-folder' && kind === 'folder'
          ? { token: 'stick-1', name: 'USB-STICK', kind: 'folder' }
          : null,
      );
    fireEvent.click(await screen.findByTestId(testIds.margo.add));
    await screen.findByTestId(testIds.margo.addDialog);
    expect(screen.queryByTestId(testIds.margo.addDownload)).toBeNull();
    expect(screen.getByText(/Not serving now: start serving at this address/)).toBeTruthy();
    type(testIds.margo.addClientId, 'press gw');
    fireEvent.click(screen.getByTestId(testIds.margo.addSubmit));
    expect(await screen.findByText('choose where to write it')).toBeTruthy();
    fireEvent.click(screen.getByTestId(testIds.margo.addFolder));
    expect((await screen.findByTestId(derived.fileName(testIds.margo.addFolder))).textContent).toBe(
      'USB-STICK',
    );
    type(testIds.margo.addUrl, 'https://wfm.plant.example:8443');
    fireEvent.click(screen.getByTestId(testIds.margo.addSubmit));
    await waitFor(() => expect(core.callsOf('margo.addClient')).toHaveLength(1));
    expect(core.callsOf('margo.addClient')[0]?.request).toEqual({
      clientId: 'press gw',
      url: 'https://wfm.plant.example:8443',
      to: { kind: 'folder', folder: 'stick-1' },
    });
    act(() =>
      core.callsOf('margo.addClient')[0]?.fail({
        name: 'invalid-input',
        message:
          '"press gw" cannot be a client id: use letters, digits, ".", "_", "~" or "-" (not "." or ".." alone)',
        details: { field: 'clientId' },
      }),
    );
    expect(
      (await screen.findByTestId(derived.message(testIds.margo.addError))).textContent,
    ).toMatch(/"press gw" cannot be a client id/);
    // A second try with a good id: written to the folder, said with its path.
    type(testIds.margo.addClientId, 'press-gw');
    fireEvent.click(screen.getByTestId(testIds.margo.addSubmit));
    await waitFor(() => expect(core.callsOf('margo.addClient')).toHaveLength(2));
    act(() =>
      core.callsOf('margo.addClient')[1]?.answer({
        client: { ...pressGw, devices: [], lastContact: null },
        url: 'https://wfm.plant.example:8443',
        files: ['ca.pem', 'cert.pem', 'key.pem', 'wfm.json'],
        folder: '/media/USB-STICK/press-gw',
        download: null,
      }),
    );
    expect((await screen.findByTestId(testIds.margo.added)).textContent).toContain(
      'Its bundle was written to /media/USB-STICK/press-gw: ca.pem, cert.pem, key.pem, wfm.json.',
    );
    expect(core.downloads).toEqual([]);
  });
});
