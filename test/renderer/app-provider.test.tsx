import { act, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AppProvider, useApp } from '../../renderer/src/state/app-state';
import { useEndedJobsKey } from '../../renderer/src/state/use-ended-jobs';
import { useJob, useTrayJobs } from '../../renderer/src/state/use-jobs';
import { deployJob } from './support/jobs';
import { memoryCore } from './support/render-with-app';

const renders = { screen: 0, tray: 0, deployments: 0 };

/** Reads the app state as a screen does (route, info, actions), but no job. */
function ScreenLike() {
  const { route, info } = useApp();
  renders.screen++;
  return (
    <p data-testid="screen">
      {route.screen} {info?.version}
    </p>
  );
}

/** The tray: every job, as it moves. */
function TrayLike() {
  const jobs = useTrayJobs();
  renders.tray++;
  return (
    <p data-testid="tray">
      {jobs.map((j) => (j.source === 'core' ? `${j.id}:${j.job.items[0]?.done}` : '')).join(' ')}
    </p>
  );
}

/** The Deployments screen reads only when deploy jobs end. */
function DeploymentsLike() {
  const ended = useEndedJobsKey();
  renders.deployments++;
  return <p data-testid="ended">{ended}</p>;
}

function OneJob({ id }: { id: string }) {
  const job = useJob(id);
  return <p data-testid="one-job">{job?.state ?? 'unknown'}</p>;
}

describe('the app state provider', () => {
  it('redraws only the views of jobs while job events arrive', async () => {
    const core = memoryCore();
    render(
      <AppProvider transport={core}>
        <ScreenLike />
        <TrayLike />
        <DeploymentsLike />
        <OneJob id="j1" />
      </AppProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('screen').textContent).toContain('0.1.0'));
    const before = { ...renders };

    for (let done = 10; done <= 50; done += 10) {
      act(() => core.emit({ event: 'job.updated', payload: deployJob('j1', done) }));
    }
    expect(screen.getByTestId('tray').textContent).toBe('j1:50');
    expect(screen.getByTestId('one-job').textContent).toBe('running');
    expect(renders.tray - before.tray).toBe(5);
    // Progress changes nothing the screen or the deployments list read.
    expect(renders.screen - before.screen).toBe(0);
    expect(renders.deployments - before.deployments).toBe(0);

    // The job's end is news for the deployments list, still none for the screen.
    act(() => core.emit({ event: 'job.updated', payload: deployJob('j1', 100, true) }));
    expect(screen.getByTestId('ended').textContent).toBe('j1');
    expect(screen.getByTestId('one-job').textContent).toBe('succeeded');
    expect(renders.deployments - before.deployments).toBe(1);
    expect(renders.screen - before.screen).toBe(0);
  });

  it('redraws the screens when what they read changes', async () => {
    const core = memoryCore();
    render(
      <AppProvider transport={core}>
        <ScreenLike />
      </AppProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('screen').textContent).toContain('0.1.0'));
    const before = renders.screen;
    act(() => core.emit({ event: 'menu.command', payload: { command: 'import-kit' } }));
    expect(screen.getByTestId('screen').textContent).toContain('import');
    expect(renders.screen).toBeGreaterThan(before);
  });
});
