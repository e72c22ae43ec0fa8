import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/contract/jobs';
import { JobTray } from '../../renderer/src/components/JobTray';
import { AppProvider } from '../../renderer/src/state/app-state';
import { testIds } from '../../renderer/src/test-ids';
import type { UploadProgress } from '../../renderer/src/transport/transport';
import { APP_INFO } from './support/app-info';
import { deployJob } from './support/jobs';
import { MemoryTransport } from './support/memory-transport';

function upload(id: string, label: string, total: number): UploadProgress {
  return {
    id,
    label: `Uploading ${label}`,
    state: 'running',
    done: 0,
    total,
    files: 1,
    startedAt: new Date().toISOString(),
    endedAt: null,
  };
}

/** The jobs the core lists; the tray, in a window of its own (a reload is a new one). */
function tray(jobs: () => Job[] = () => []) {
  const core = new MemoryTransport({ 'app.info': () => APP_INFO, 'jobs.list': jobs });
  const view = render(
    <AppProvider transport={core}>
      <JobTray />
    </AppProvider>,
  );
  return { core, ...view };
}

const toggle = () => screen.getByTestId(testIds.jobs.trayToggle);
const expanded = () => toggle().getAttribute('aria-expanded');

function ended(id: string, endedAt: string): Job {
  return { ...deployJob(id, 100, true), endedAt, title: `Deploy ${id}` };
}

describe('the calm job tray', () => {
  beforeEach(() => {
    localStorage.clear();
  });

  it('a TLS certificate upload does not open it; a package upload does', async () => {
    const { core } = tray();
    await waitFor(() => expect(toggle().textContent).toContain('none'));
    act(() => core.upload(upload('u-ca', 'ca.pem', 1_900)));
    // Listed (collapsed) while it runs, so the header counts it: nothing pops open.
    expect(toggle().textContent).toContain('1 running');
    expect(expanded()).toBe('false');
    act(() => core.upload({ ...upload('u-ca', 'ca.pem', 1_900), state: 'succeeded', done: 1_900 }));
    expect(expanded()).toBe('false');

    act(() => core.upload(upload('u-kit', 'line-kit.tar', 48 * 1024 * 1024)));
    expect(expanded()).toBe('true');
  });

  it('remembers being collapsed: the next window starts so, and long work leaves it so', async () => {
    const first = tray();
    act(() => first.core.upload(upload('u-kit', 'kit.tar', 8 * 1024 * 1024)));
    expect(expanded()).toBe('true');
    fireEvent.click(toggle());
    expect(expanded()).toBe('false');
    first.unmount();

    const second = tray();
    expect(expanded()).toBe('false');
    act(() => second.core.upload(upload('u-kit2', 'kit2.tar', 8 * 1024 * 1024)));
    expect(expanded()).toBe('false');
    fireEvent.click(toggle());
    second.unmount();

    // Opened by the engineer: the next window opens with it open.
    tray();
    expect(expanded()).toBe('true');
  });

  it('clears the finished jobs only, and they stay cleared after a reload', async () => {
    const jobs = [
      ended('deploy-a', '2026-12-06T10:01:00.000Z'),
      ended('deploy-b', '2026-12-06T10:05:00.000Z'),
      deployJob('deploy-c', 40),
    ];
    const first = tray(() => jobs);
    fireEvent.click(toggle());
    await screen.findByTestId(testIds.jobs.job('deploy-b'));
    expect(toggle().textContent).toContain('1 running · 2 finished');

    fireEvent.click(screen.getByTestId(testIds.jobs.clearFinished));
    expect(screen.queryByTestId(testIds.jobs.job('deploy-a'))).toBeNull();
    expect(screen.queryByTestId(testIds.jobs.job('deploy-b'))).toBeNull();
    expect(screen.getByTestId(testIds.jobs.job('deploy-c'))).toBeTruthy();
    expect(toggle().textContent).toContain('1 running · 0 finished');
    // Nothing finished is left to clear.
    expect(screen.queryByTestId(testIds.jobs.clearFinished)).toBeNull();

    // The running one ends after the clearing: it is shown, with its result.
    act(() =>
      first.core.emit({
        event: 'job.updated',
        payload: ended('deploy-c', '2026-12-06T10:09:00.000Z'),
      }),
    );
    expect(toggle().textContent).toContain('0 running · 1 finished');
    first.unmount();

    // A reload lists the core's kept jobs again: the cleared ones stay out.
    const kept = [jobs[0] as Job, jobs[1] as Job, ended('deploy-c', '2026-12-06T10:09:00.000Z')];
    tray(() => kept);
    await screen.findByTestId(testIds.jobs.job('deploy-c'));
    expect(screen.queryByTestId(testIds.jobs.job('deploy-a'))).toBeNull();
    expect(screen.queryByTestId(testIds.jobs.job('deploy-b'))).toBeNull();
  });
});
