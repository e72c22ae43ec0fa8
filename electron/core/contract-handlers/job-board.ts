import { randomUUID } from 'node:crypto';
import type { ContractError } from '../../../shared/contract/contract-error';
import type { Job, JobItem } from '../../../shared/contract/jobs';
import { logRawError } from '../errors/error-log';

/** Where finished jobs are kept (the store's `finished_jobs`: the last 200, across restarts). */
export interface FinishedJobs {
  record(job: Job): void;
  list(): Job[];
}

/**
 * Long work as the job tray sees it: running jobs report progress (at most ten updates a
 * second per job reach the UI); finished jobs are kept with their result, and listed after the
 * core restarts too.
 */
export class JobBoard {
  /** Running jobs, and finished ones until they are kept elsewhere. */
  private readonly jobs = new Map<string, Job>();
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly publish: (job: Job) => void,
    private readonly finished?: FinishedJobs,
  ) {}

  list(): Job[] {
    const all = new Map((this.finished?.list() ?? []).map((job) => [job.id, job]));
    for (const job of this.jobs.values()) all.set(job.id, structuredClone(job));
    return [...all.values()].sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
  }

  start(kind: Job['kind'], title: string, items: JobItem[]): Job {
    const job: Job = {
      id: randomUUID(),
      kind,
      title,
      state: 'running',
      items,
      startedAt: new Date().toISOString(),
      endedAt: null,
      result: null,
      outcomes: null,
      error: null,
    };
    this.jobs.set(job.id, job);
    this.send(job, true);
    return job;
  }

  /** Updates a job's item; sent now when it changes state, else at most every 100 ms. */
  update(jobId: string, index: number, change: Partial<JobItem>): void {
    const job = this.jobs.get(jobId);
    const item = job?.items[index];
    if (!job || !item) return;
    const stateChanged = change.state !== undefined && change.state !== item.state;
    Object.assign(item, change);
    this.send(job, stateChanged);
  }

  /** Adds a line found while the job runs (an image a device needs); returns its index. */
  addItem(jobId: string, item: JobItem): number {
    const job = this.jobs.get(jobId);
    if (!job) return -1;
    job.items.push(item);
    this.send(job, true);
    return job.items.length - 1;
  }

  /** Ends a line that never ran or never reported its end (an image the device had). */
  settle(jobId: string, index: number): void {
    const item = this.jobs.get(jobId)?.items[index];
    if (!item || item.state === 'succeeded' || item.state === 'failed') return;
    this.update(jobId, index, {
      state: 'succeeded',
      ...(item.done === 0 ? { message: 'already on the device' } : {}),
    });
  }

  finish(
    jobId: string,
    outcome: { result?: Job['result']; outcomes?: Job['outcomes']; error?: ContractError },
  ): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    job.state = outcome.error ? 'failed' : 'succeeded';
    job.result = outcome.result ?? null;
    job.outcomes = outcome.outcomes ?? null;
    job.error = outcome.error ?? null;
    job.endedAt = new Date().toISOString();
    this.send(job, true);
    if (!this.finished) return;
    try {
      this.finished.record(structuredClone(job));
    } catch (e) {
      // Not kept (the disk is full, the database busy): it stays listed until the core closes.
      logRawError('keeping a finished job', e);
      return;
    }
    this.jobs.delete(jobId);
    this.lastSent.delete(jobId);
  }

  private send(job: Job, now: boolean): void {
    const at = Date.now();
    if (!now && at - (this.lastSent.get(job.id) ?? 0) < 100) return;
    this.lastSent.set(job.id, at);
    this.publish(structuredClone(job));
  }
}
