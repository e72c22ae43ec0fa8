import type { ContractError } from '../../../shared/contract/contract-error';
import type { Job } from '../../../shared/contract/jobs';
import type { UploadProgress } from '../transport/transport';

/** What the job tray lists: the core's jobs and this window's uploads. */
export type TrayJob =
  | { source: 'core'; id: string; startedAt: string; job: Job }
  | { source: 'upload'; id: string; startedAt: string; upload: UploadProgress };

/** Keeps the newer of two views of one job (an event may overtake the list it races). */
export function newerJob(a: Job | undefined, b: Job): Job {
  if (!a) return b;
  if (a.endedAt && !b.endedAt) return a;
  return b;
}

export function isRunning(job: TrayJob): boolean {
  return job.source === 'core' ? job.job.state === 'running' : job.upload.state === 'running';
}

/** A job's error, typed by its name (the contract checked it when the job arrived). */
export function jobError(job: Job): ContractError | null {
  return job.error;
}
