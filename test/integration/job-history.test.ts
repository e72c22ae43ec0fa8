import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../electron/core/contract-handlers/app-core';
import { FINISHED_JOBS_KEPT } from '../../electron/core/store/finished-jobs';
import { Job, JobStarted } from '../../shared/contract/jobs';

/**
 * Jobs survive a restart (issue 16): finished jobs are kept in the store, the last 200, and the
 * core lists them after it restarts on the same data home. Through the contract, as the job
 * tray asks; the jobs are imports of a file that is no kit, which end in milliseconds.
 */
const root = mkdtempSync(join(tmpdir(), 'commissioner-jobs-'));
const home = join(root, 'home');
const notAKit = join(root, 'notes.txt');
writeFileSync(notAKit, 'not a kit\n');
const cores: AppCore[] = [];

async function start(): Promise<AppCore> {
  const core = await createAppCore({ host: 'browser', home });
  cores.push(core);
  return core;
}

async function call<T>(core: AppCore, op: string, request: unknown = {}): Promise<T> {
  const answer = await core.call(op, request);
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.result as T;
}

async function finishedImport(core: AppCore, name: string): Promise<Job> {
  const { token } = core.registerPicked({ path: notAKit, kind: 'file' }, name);
  const { jobId } = JobStarted.parse(
    await call(core, 'imports.start', { sources: [{ kind: 'picked', token }] }),
  );
  for (;;) {
    const job = Job.array()
      .parse(await call(core, 'jobs.list'))
      .find((j) => j.id === jobId);
    if (job && job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 10));
  }
}

afterAll(async () => {
  for (const core of cores) await core.close().catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

describe('jobs survive a restart', () => {
  it('a finished job is listed with its result after the core restarts on the same data home', async () => {
    const first = await start();
    const job = await finishedImport(first, 'first.txt');
    expect(job.state).not.toBe('running');
    expect(job.result?.unreadable).toHaveLength(1);
    expect(job.items[0]).toMatchObject({ state: 'failed', message: expect.any(String) });
    await first.close();

    const second = await start();
    const listed = Job.array().parse(await call(second, 'jobs.list'));
    expect(listed).toEqual([job]);
  });

  it(`keeps the last ${FINISHED_JOBS_KEPT}: the next one pushes out the oldest`, async () => {
    const core = cores.at(-1) as AppCore;
    const oldest = Job.array().parse(await call(core, 'jobs.list'))[0] as Job;
    const ids: string[] = [oldest.id];
    for (let i = 1; i < FINISHED_JOBS_KEPT; i++) {
      ids.push((await finishedImport(core, `job-${i}.txt`)).id);
    }
    expect(Job.array().parse(await call(core, 'jobs.list'))).toHaveLength(FINISHED_JOBS_KEPT);
    const newest = await finishedImport(core, 'one-too-many.txt');
    await core.close();

    const restarted = await start();
    const listed = Job.array().parse(await call(restarted, 'jobs.list'));
    expect(listed).toHaveLength(FINISHED_JOBS_KEPT);
    expect(listed.map((j) => j.id)).not.toContain(oldest.id);
    expect(listed[0]?.id).toBe(newest.id);
    expect(new Set(listed.map((j) => j.id))).toEqual(new Set([...ids.slice(1), newest.id]));
  }, 120_000);
});
