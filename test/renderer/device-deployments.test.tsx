import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DeviceDetailView, DeviceView } from '../../shared/contract/devices';
import { DeviceDeployments } from '../../renderer/src/screens/devices/DeviceDeployments';
import { AppProvider } from '../../renderer/src/state/app-state';
import { testIds } from '../../renderer/src/test-ids';
import { memoryCore } from './support/render-with-app';

const device: DeviceView = {
  name: 'line-7',
  kind: 'docker',
  connection: { protocol: 'tcp', address: 'tcp://10.0.7.7:2376', secure: true },
  labels: {},
  described: {},
  lastProbe: null,
  lastSeen: null,
  addedAt: '2026-01-01T00:00:00.000Z',
  hostAccess: 'allow',
};
const me = { installation: 'inst-ben', engineer: 'Ben', host: 'LAPTOP-9' };
const ana = { installation: 'inst-ana', engineer: 'Ana', host: 'LAPTOP-7' };

function detail(recorded: string | null): DeviceDetailView {
  return {
    device,
    installation: me,
    unreadable: null,
    deployments: [
      {
        id: 'd-line',
        appId: 'com-example-line-app',
        version: '1.0.0',
        revision: 2,
        owner: ana,
        deployedAt: '2026-12-06T09:00:00.000Z',
        state: 'installed',
        ours: false,
        recorded,
        hasRecord: true,
      },
      {
        id: 'd-mine',
        appId: 'com-example-mine',
        version: '2.0.0',
        revision: 1,
        owner: me,
        deployedAt: '2026-12-06T10:00:00.000Z',
        state: 'installed',
        ours: true,
        recorded: 'd-mine',
        hasRecord: true,
      },
    ],
  };
}

describe('the deployments a device runs, in its detail', { timeout: 20_000 }, () => {
  it('names who deployed each; Adopt takes another laptop’s into this one’s records', async () => {
    const core = memoryCore();
    render(
      <AppProvider transport={core}>
        <DeviceDeployments device="line-7" />
      </AppProvider>,
    );
    await waitFor(() => expect(core.callsOf('devices.show')).toHaveLength(1));
    act(() => core.callsOf('devices.show')[0]?.answer(detail(null)));
    const foreign = await screen.findByTestId(testIds.devices.deployment('com-example-line-app'));
    expect(foreign.textContent).toContain('deployed by Ana on LAPTOP-7');
    expect(foreign.textContent).toContain('not in this laptop’s records');
    const mine = screen.getByTestId(testIds.devices.deployment('com-example-mine'));
    expect(mine.textContent).toContain('deployed from this laptop');
    expect(screen.queryByTestId(testIds.devices.adopt('com-example-mine'))).toBeNull();

    fireEvent.click(screen.getByTestId(testIds.devices.adopt('com-example-line-app')));
    await waitFor(() => expect(core.callsOf('deployments.adopt')).toHaveLength(1));
    expect(core.callsOf('deployments.adopt')[0]?.request).toEqual({
      device: 'line-7',
      id: 'd-line',
    });
    act(() =>
      core
        .callsOf('deployments.adopt')[0]
        ?.answer([{ id: 'd-line', appId: 'com-example-line-app', revisions: 2 }]),
    );
    // Asked again: now recorded here, no Adopt left.
    await waitFor(() => expect(core.callsOf('devices.show')).toHaveLength(2));
    act(() => core.callsOf('devices.show')[1]?.answer(detail('d-line')));
    await waitFor(() =>
      expect(screen.queryByTestId(testIds.devices.adopt('com-example-line-app'))).toBeNull(),
    );
    expect(document.body.textContent).not.toMatch(/--take-over|installation inst-/);
  });
});
