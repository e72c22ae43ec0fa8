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

/**
 * An upload opens the tray by itself only from this size: a package folder or a kit, whose
 * upload takes long enough to follow. TLS certificates and keys, trust files and registry CAs
 * are a few kilobytes and done before the tray would have opened: their progress stays in the
 * field they were chosen for (and in the tray, collapsed, while they run or if they fail).
 */
export const TRAY_OPENING_UPLOAD_BYTES = 1024 * 1024;

export function uploadOpensTray(upload: UploadProgress): boolean {
  return upload.state === 'running' && upload.total >= TRAY_OPENING_UPLOAD_BYTES;
}

/** When it ended (the core's clock for its jobs), or null while it runs. */
export function endedAt(job: TrayJob): string | null {
  return job.source === 'core' ? job.job.endedAt : job.upload.endedAt;
}

export function isRunning(job: TrayJob): boolean {
  return job.source === 'core' ? job.job.state === 'running' : job.upload.state === 'running';
}

/** A job's error, typed by its name (the contract checked it when the job arrived). */
export function jobError(job: Job): ContractError | null {
  return job.error;
}
