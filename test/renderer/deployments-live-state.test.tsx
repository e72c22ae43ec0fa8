import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DeploymentListEntry } from '../../shared/contract/deployments';
import { DeploymentsScreen } from '../../renderer/src/screens/deployments/DeploymentsScreen';
import { AppProvider } from '../../renderer/src/state/app-state';
import { testIds } from '../../renderer/src/test-ids';
import { APP_INFO } from './support/app-info';
import { MemoryTransport } from './support/memory-transport';

/**
 * The Deployments screen's live state: when each device was last asked, what was changed on
 * it outside Commissioner (in words), refreshing itself when the store changes, and Refresh all.
 */
function entry(over: Partial<DeploymentListEntry> = {}): DeploymentListEntry {
  return {
    id: 'd1',
    appId: 'org-commissioner-demo-line-status',
    version: '1.0.0',
    device: 'line-1',
    profile: 'line-status-compose',
    state: 'failed',
    revision: 1,
    updatedAt: new Date().toISOString(),
    appName: 'Line status',
    error: null,
    components: [
      {
        name: 'line-status',
        state: 'failed',
        drift: [
          {
            component: 'line-status',
            service: 'board',
            kind: 'stopped',
            message: 'container board was stopped outside Commissioner',
          },
        ],
      },
    ],
    check: {
      device: 'line-1',
      checkedAt: new Date(Date.now() - 12_000).toISOString(),
      via: 'events',
      error: null,
    },
    ...over,
  };
}

describe('Deployments screen: live state', () => {
  it('shows when the device was checked and the drift in words; follows the store; Refresh all asks', async () => {
    let list = [entry()];
    const core = new MemoryTransport({
      'app.info': () => APP_INFO,
      'jobs.list': () => [],
      'deployments.list': () => list,
    });
    render(
      <AppProvider transport={core}>
        <DeploymentsScreen />
      </AppProvider>,
    );
    const checked = await screen.findByTestId(testIds.deployments.rowChecked('d1'));
    expect(checked.textContent).toMatch(/^checked 1[1-3] seconds ago$/);
    const drift = screen.getByTestId(testIds.deployments.rowDrift('d1'));
    expect(drift.textContent).toContain('container board was stopped outside Commissioner');
    expect(drift.textContent).toContain('Drifted');

    // The core records a new check: the screen asks again on store.changed, by itself.
    list = [
      entry({
        state: 'installed',
        components: [{ name: 'line-status', state: 'installed', drift: [] }],
        check: {
          device: 'line-1',
          checkedAt: new Date(Date.now() - 2000).toISOString(),
          via: 'poll',
          error: 'device line-1 cannot be reached: the connection was refused',
        },
      }),
    ];
    act(() => core.emit({ event: 'store.changed', payload: { what: ['deployments'] } }));
    await waitFor(() =>
      expect(screen.queryByTestId(testIds.deployments.rowDrift('d1'))).toBeNull(),
    );
    const unanswered = screen.getByTestId(testIds.deployments.rowChecked('d1'));
    expect(unanswered.textContent).toMatch(/^did not answer \d seconds? ago$/);
    expect(unanswered.getAttribute('title')).toContain('the connection was refused');

    fireEvent.click(screen.getByTestId(testIds.deployments.refreshAll));
    await waitFor(() => expect(core.callsOf('deployments.refreshAll')).toHaveLength(1));
    expect((screen.getByTestId(testIds.deployments.refreshAll) as HTMLButtonElement).disabled).toBe(
      true,
    );
    act(() => core.callsOf('deployments.refreshAll')[0]?.answer({ checked: [] }));
    await waitFor(() =>
      expect(
        (screen.getByTestId(testIds.deployments.refreshAll) as HTMLButtonElement).disabled,
      ).toBe(false),
    );
  });

  it('a device not checked yet says so', async () => {
    const core = new MemoryTransport({
      'app.info': () => APP_INFO,
      'jobs.list': () => [],
      'deployments.list': () => [entry({ check: null })],
    });
    render(
      <AppProvider transport={core}>
        <DeploymentsScreen />
      </AppProvider>,
    );
    expect((await screen.findByTestId(testIds.deployments.rowChecked('d1'))).textContent).toBe(
      'not checked yet',
    );
  });

  it('a deployment another laptop took over says by whom, in its row', async () => {
    const core = new MemoryTransport({
      'app.info': () => APP_INFO,
      'jobs.list': () => [],
      'deployments.list': () => [
        entry({
          takenOver: {
            owner: { installation: 'inst-b', engineer: 'Ben', host: 'LAPTOP-9' },
            deployedAt: '2026-12-06T10:00:00.000Z',
            revision: 3,
          },
        }),
        entry({ id: 'd2', device: 'line-2' }),
      ],
    });
    render(
      <AppProvider transport={core}>
        <DeploymentsScreen />
      </AppProvider>,
    );
    const taken = await screen.findByTestId(testIds.deployments.rowTakenOver('d1'));
    expect(taken.textContent).toBe(
      'Taken over by Ben on LAPTOP-9 at 2026-12-06 10:00 UTC (revision 3 there)',
    );
    expect(screen.queryByTestId(testIds.deployments.rowTakenOver('d2'))).toBeNull();
  });
});
