import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DeployPlan, PlanValueView } from '../../shared/contract/deploy';
import type { DeploymentDetail, RevisionDifference } from '../../shared/contract/deployments';
import { DeploymentDetailPane } from '../../renderer/src/screens/deployments/DeploymentDetailPane';
import { DeploymentLogs } from '../../renderer/src/screens/deployments/DeploymentLogs';
import { ReviewStep } from '../../renderer/src/screens/deploy/ReviewStep';
import { AppProvider } from '../../renderer/src/state/app-state';
import { testIds } from '../../renderer/src/test-ids';
import { APP_INFO } from './support/app-info';
import { MemoryTransport } from './support/memory-transport';

/**
 * Values you can see and logs that follow, in the renderer: the review's values per device
 * (which differ, secrets masked), what each revision changed and what a rollback changes back
 * in words, and the logs' Follow (stopped when the pane closes), Download and empty reasons.
 */
const APP = 'com-example-line-app';
const MASK = '••••••••';

function value(over: Partial<PlanValueView> & Pick<PlanValueView, 'parameter'>): PlanValueView {
  return {
    setting: null,
    value: 'x',
    secret: false,
    targets: [{ component: 'line-app', kind: 'environment variable', pointer: over.parameter }],
    own: false,
    differs: false,
    ...over,
  };
}

function okPlan(device: string, values: PlanValueView[]): DeployPlan['devices'][number] {
  return {
    ok: true,
    device,
    appId: APP,
    version: '1.0.0',
    profile: 'line-app-compose',
    deploymentId: `d-${device}`,
    update: null,
    upToDate: false,
    items: [{ component: 'line-app', service: 'api', action: 'create', reasons: [] }],
    images: [],
    yaml: 'kind: ApplicationDeployment\n',
    digest: `sha256:${'d'.repeat(64)}`,
    hostAccess: [],
    hostAccessDigest: null,
    warnings: [],
    values,
  };
}

function core(extra: ConstructorParameters<typeof MemoryTransport>[0] = {}) {
  return new MemoryTransport({ 'app.info': () => APP_INFO, 'jobs.list': () => [], ...extra });
}

describe('the review’s values', () => {
  it('lists each value with where it goes; says which differ; masks secrets', () => {
    const site = { parameter: 'LINE_NAME', setting: 'Line name', value: 'Press Hall A' };
    const plan: DeployPlan = {
      signatures: [],
      devices: [
        okPlan('press-61', [
          value(site),
          value({ parameter: 'POLL', setting: 'Poll interval', value: '30', differs: true }),
          value({ parameter: 'TOKEN', value: MASK, secret: true }),
        ]),
        okPlan('press-62', [
          value(site),
          value({
            parameter: 'POLL',
            setting: 'Poll interval',
            value: '7',
            differs: true,
            own: true,
          }),
          value({ parameter: 'TOKEN', value: null, secret: true }),
        ]),
      ],
    };
    render(
      <AppProvider transport={core()}>
        <ReviewStep
          plan={plan}
          loading={false}
          error={null}
          onPlanAgain={() => {}}
          autoRollback
          onAutoRollback={() => {}}
          hostAccessAllowed={[]}
          onAllowHostAccess={() => {}}
          takeOverConfirmed={[]}
          onConfirmTakeOver={() => {}}
        />
      </AppProvider>,
    );
    expect(screen.getByTestId(testIds.deploy.valuesDiffer).textContent).toBe(
      'Not the same on every device: Poll interval (set for press-62). The other values are the same everywhere.',
    );
    const line = screen.getByTestId(testIds.deploy.planValue('press-61', 'LINE_NAME'));
    expect(line.textContent).toBe(
      'Line name (LINE_NAME)Press Hall Aenvironment variable LINE_NAME of line-app',
    );
    expect(line.getAttribute('data-differs')).toBe('false');
    const own = screen.getByTestId(testIds.deploy.planValue('press-62', 'POLL'));
    expect(own.getAttribute('data-own')).toBe('true');
    expect(own.textContent).toContain('this device only');
    expect(screen.getByTestId(testIds.deploy.planValue('press-61', 'POLL')).textContent).toContain(
      'differs between devices',
    );
    const secret = screen.getByTestId(testIds.deploy.planValue('press-61', 'TOKEN'));
    expect(secret.textContent).toContain(`${MASK}secret, not shown`);
    expect(screen.getByTestId(testIds.deploy.planValue('press-62', 'TOKEN')).textContent).toContain(
      "empty: the component's own default applies",
    );
  });
});

const TWO_TO_ONE: RevisionDifference = {
  from: 2,
  to: 1,
  words: 'LINE_NAME: Press Hall B → Press Hall A; version 1.3.0 → 1.2.0; TOKEN changed (secret)',
  changes: [
    {
      kind: 'value',
      subject: 'LINE_NAME',
      from: 'Press Hall B',
      to: 'Press Hall A',
      words: 'LINE_NAME: Press Hall B → Press Hall A',
    },
    { kind: 'version', subject: null, from: '1.3.0', to: '1.2.0', words: 'version 1.3.0 → 1.2.0' },
    { kind: 'value', subject: 'TOKEN', from: null, to: null, words: 'TOKEN changed (secret)' },
  ],
};

function detail(): DeploymentDetail {
  const revision = (n: number, version: string) => ({
    revision: n,
    history: 1,
    version,
    profile: 'line-app-compose',
    digest: `sha256:${String(n).repeat(64)}`,
    outcome: n === 2 ? ('installed' as const) : ('superseded' as const),
    error: null,
    createdAt: new Date().toISOString(),
  });
  return {
    id: 'd1',
    appId: APP,
    version: '1.3.0',
    device: 'press-61',
    profile: 'line-app-compose',
    state: 'installed',
    revision: 2,
    updatedAt: new Date().toISOString(),
    knownGood: 2,
    history: 1,
    rollbackTo: 1,
    rollbackChanges: TWO_TO_ONE,
    error: null,
    createdAt: new Date().toISOString(),
    components: [],
    revisions: [
      { ...revision(1, '1.2.0'), changes: null },
      {
        ...revision(2, '1.3.0'),
        changes: {
          from: 1,
          to: 2,
          words: 'LINE_NAME: Press Hall A → Press Hall B; version 1.2.0 → 1.3.0',
          changes: [],
        },
      },
    ],
    events: [],
    deployment: 'kind: ApplicationDeployment\n',
  };
}

describe('what differs between revisions', () => {
  it('the revisions table and the rollback dialog say it in words', async () => {
    // The table's line is the core's words; an empty change list reads "Same deployment".
    const shown = detail();
    const second = shown.revisions[1];
    if (second?.changes) second.changes.changes = TWO_TO_ONE.changes;
    render(
      <AppProvider transport={core({ 'deployments.show': () => shown })}>
        <DeploymentDetailPane id="d1" entry={undefined} onClose={() => {}} />
      </AppProvider>,
    );
    const changed = await screen.findByTestId(testIds.deployments.revisionChanges(2));
    expect(changed.textContent).toBe(
      'Changed from 1: LINE_NAME: Press Hall A → Press Hall B; version 1.2.0 → 1.3.0',
    );
    expect(screen.queryByTestId(testIds.deployments.revisionChanges(1))).toBeNull();

    fireEvent.click(screen.getByTestId(testIds.deployments.rollback));
    const list = await screen.findByTestId(testIds.deployments.rollbackChanges);
    expect(list.textContent).toContain('Going from revision 2 back to revision 1 changes:');
    expect([...list.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'LINE_NAME: Press Hall B → Press Hall A',
      'version 1.3.0 → 1.2.0',
      'TOKEN changed (secret)',
    ]);
  });
});

describe('the logs', () => {
  const LOGS = [
    {
      component: 'line-app',
      service: 'quiet',
      container: 'app-quiet-1',
      text: '',
      quiet: 'the container runs and has written nothing yet',
    },
    { component: 'line-app', service: 'ticker', container: 'app-ticker-1', text: 'tick 1\n' },
  ];

  it('say why a log is empty; Follow appends what comes and stops when the pane closes', async () => {
    const transport = core({ 'deployments.logs': () => LOGS });
    const view = render(
      <AppProvider transport={transport}>
        <DeploymentLogs id="d1" seq={1} />
      </AppProvider>,
    );
    expect(
      (await screen.findByTestId(testIds.deployments.logEmpty('app-quiet-1'))).textContent,
    ).toBe('(no output: the container runs and has written nothing yet)');
    fireEvent.click(within(screen.getByTestId(testIds.deployments.logsFollow)).getByRole('switch'));
    await waitFor(() => expect(transport.callsOf('deployments.followLogs')).toHaveLength(1));
    expect(transport.callsOf('deployments.followLogs')[0]?.request).toEqual({ id: 'd1' });
    const text = (stream: string, t: string) =>
      transport.emit({
        event: 'logs.text',
        payload: {
          stream,
          component: 'line-app',
          service: 'ticker',
          container: 'app-ticker-1',
          text: t,
        },
      });
    // A line that comes before the answer naming its stream is kept; another stream's is not.
    act(() => {
      text('s1', 'tick 2\n');
      text('other', 'not ours\n');
    });
    await act(async () => transport.callsOf('deployments.followLogs')[0]?.answer({ stream: 's1' }));
    act(() => text('s1', 'tick 3\n'));
    const ticker = screen.getByTestId(testIds.deployments.log('app-ticker-1'));
    expect(within(ticker).getByLabelText('Log of app-ticker-1').textContent).toBe(
      'tick 1\ntick 2\ntick 3\n',
    );
    expect(transport.callsOf('deployments.stopLogs')).toHaveLength(0);
    view.unmount();
    expect(transport.callsOf('deployments.stopLogs').map((c) => c.request)).toEqual([
      { stream: 's1' },
    ]);
  });

  it('turning Follow off stops it; a follow that ended by itself says why', async () => {
    const transport = core({ 'deployments.logs': () => LOGS });
    render(
      <AppProvider transport={transport}>
        <DeploymentLogs id="d1" seq={1} />
      </AppProvider>,
    );
    const follow = within(await screen.findByTestId(testIds.deployments.logsFollow)).getByRole(
      'switch',
    );
    fireEvent.click(follow);
    await waitFor(() => expect(transport.callsOf('deployments.followLogs')).toHaveLength(1));
    await act(async () => transport.callsOf('deployments.followLogs')[0]?.answer({ stream: 's1' }));
    act(() =>
      transport.emit({
        event: 'logs.ended',
        payload: { stream: 's1', reason: 'the containers stopped' },
      }),
    );
    expect(await screen.findByText('Stopped following: the containers stopped.')).toBeTruthy();
    expect(screen.getByTestId(testIds.deployments.logsFollow).getAttribute('data-checked')).toBe(
      'false',
    );
    fireEvent.click(follow);
    await waitFor(() => expect(transport.callsOf('deployments.followLogs')).toHaveLength(2));
    await act(async () => transport.callsOf('deployments.followLogs')[1]?.answer({ stream: 's2' }));
    // The ended follow is not stopped again; the one turned off is.
    expect(transport.callsOf('deployments.stopLogs')).toHaveLength(0);
    fireEvent.click(follow);
    await waitFor(() =>
      expect(transport.callsOf('deployments.stopLogs').map((c) => c.request)).toEqual([
        { stream: 's2' },
      ]),
    );
  });

  it('downloads every line in the browser', async () => {
    const ticket = { token: 't1', name: 'logs-d1.txt', size: 12 };
    const transport = core({
      'deployments.logs': () => LOGS,
      'deployments.saveLogs': () => ({ containers: 2, bytes: 12, file: null, download: ticket }),
    });
    render(
      <AppProvider transport={transport}>
        <DeploymentLogs id="d1" seq={1} />
      </AppProvider>,
    );
    fireEvent.click(await screen.findByTestId(testIds.deployments.logsDownload));
    await waitFor(() => expect(transport.downloads).toEqual([ticket]));
    expect(await screen.findByText(/2 containers, 12 bytes downloaded\./)).toBeTruthy();
  });
});
