import type { Job } from '../../../shared/contract/jobs';

/** A deploy job as job.updated carries it: `done` of 100 bytes side-loaded so far. */
export function deployJob(id: string, done: number, ended = false): Job {
  return {
    id,
    kind: 'deploy',
    title: 'Deploy the demo app',
    state: ended ? 'succeeded' : 'running',
    items: [
      { label: 'line-1', state: ended ? 'succeeded' : 'running', done, total: 100, unit: 'bytes' },
    ],
    startedAt: '2026-12-06T10:00:00.000Z',
    endedAt: ended ? '2026-12-06T10:01:00.000Z' : null,
    result: null,
    outcomes: ended
      ? [
          {
            device: 'line-1',
            deploymentId: 'dep-1',
            revision: 1,
            state: 'installed',
            rolledBackTo: null,
            error: null,
          },
        ]
      : null,
    error: null,
  };
}
