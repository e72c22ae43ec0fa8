import type { ContractError } from '../../../shared/contract/contract-error';
import type { Job } from '../../../shared/contract/jobs';
import type { UploadProgress } from '../transport/transport';
import { newerJob, uploadOpensTray, type TrayJob } from './jobs';
import {
  readTrayMemory,
  rememberTrayCleared,
  rememberTrayOpen,
  type TrayMemory,
} from './tray-memory';

/** Whether the core's job list has been read, and why not when it failed. */
export interface JobListStatus {
  /** Read once (a job not found then is not known at all). */
  loaded: boolean;
  error: ContractError | null;
}

/**
 * The jobs of the core and this window's uploads, with the tray's state, outside React: a job
 * event changes this store, and only the views that read jobs (through useSyncExternalStore)
 * redraw — not every screen, as a context value would make them. Every read returns the same
 * object until what it reads changed, as useSyncExternalStore requires.
 *
 * The tray is calm: it starts as the engineer last left it; it opens by itself only for long
 * work (an import, a large upload — jobs.ts says which) and never once the engineer has
 * collapsed it; the finished jobs it shows can be cleared (the core keeps them: the Imports
 * and Deployments screens still find them by id).
 */
export class JobStore {
  private coreJobs = new Map<string, Job>();
  private uploads = new Map<string, UploadProgress>();
  private listStatus: JobListStatus = { loaded: false, error: null };
  private readonly memory: TrayMemory;
  private tray: boolean;
  private imports: readonly string[] = [];
  private cachedList: readonly TrayJob[] | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(memory: TrayMemory = readTrayMemory()) {
    this.memory = { ...memory };
    this.tray = memory.open === true;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Newest first: the core's jobs, and the uploads still running or failed. */
  list = (): readonly TrayJob[] => {
    this.cachedList ??= trayList(this.coreJobs, this.uploads, this.memory.clearedUpTo);
    return this.cachedList;
  };

  job = (id: string): Job | undefined => this.coreJobs.get(id);

  status = (): JobListStatus => this.listStatus;

  trayOpen = (): boolean => this.tray;

  /** Jobs started from the Imports screen in this window, newest first. */
  importJobIds = (): readonly string[] => this.imports;

  /** A job.updated event: the job as the core has it now. */
  jobUpdated(job: Job): void {
    this.coreJobs = new Map(this.coreJobs).set(job.id, job);
    this.changed(true);
  }

  /** The core's answer to jobs.list; a job started since the list was made stays. */
  listed(list: readonly Job[]): void {
    const next = new Map<string, Job>();
    for (const job of list) next.set(job.id, newerJob(this.coreJobs.get(job.id), job));
    for (const [id, job] of this.coreJobs) if (!next.has(id)) next.set(id, job);
    this.coreJobs = next;
    this.listStatus = { loaded: true, error: null };
    this.changed(true);
  }

  listFailed(error: ContractError): void {
    this.listStatus = { loaded: true, error };
    this.changed(false);
  }

  uploadProgress(upload: UploadProgress): void {
    this.uploads = new Map(this.uploads).set(upload.id, upload);
    if (uploadOpensTray(upload)) this.openByItself();
    this.changed(true);
  }

  importStarted(jobId: string): void {
    this.imports = [jobId, ...this.imports.filter((id) => id !== jobId)];
    this.openByItself();
    this.changed(false);
  }

  /** The engineer opened or collapsed the tray: remembered for the next start. */
  setTrayOpen = (open: boolean): void => {
    this.memory.open = open;
    rememberTrayOpen(open);
    if (this.tray === open) return;
    this.tray = open;
    this.changed(false);
  };

  /** Clears the finished jobs and failed uploads from the tray; running ones stay. */
  clearFinished = (): void => {
    let upTo = this.memory.clearedUpTo;
    for (const job of this.coreJobs.values()) {
      if (job.endedAt && (upTo === null || job.endedAt > upTo)) upTo = job.endedAt;
    }
    // The core's clock, not this window's: a job that ends later is never hidden by a skew.
    if (upTo !== null && upTo !== this.memory.clearedUpTo) {
      this.memory.clearedUpTo = upTo;
      rememberTrayCleared(upTo);
    }
    this.uploads = new Map([...this.uploads].filter(([, u]) => u.state === 'running'));
    this.changed(true);
  };

  /** Long work opens the tray, unless the engineer collapsed it: their choice stands. */
  private openByItself(): void {
    if (this.memory.open !== false) this.tray = true;
  }

  private changed(jobs: boolean): void {
    if (jobs) this.cachedList = null;
    for (const listener of this.listeners) listener();
  }
}

function trayList(
  coreJobs: ReadonlyMap<string, Job>,
  uploads: ReadonlyMap<string, UploadProgress>,
  clearedUpTo: string | null,
): TrayJob[] {
  const cleared = (job: Job) =>
    job.endedAt !== null && clearedUpTo !== null && job.endedAt <= clearedUpTo;
  const all: TrayJob[] = [
    ...[...coreJobs.values()]
      .filter((job) => !cleared(job))
      .map((job): TrayJob => ({
        source: 'core',
        id: job.id,
        startedAt: job.startedAt,
        job,
      })),
    // A finished upload is only the first half of its import (or a certificate for a form):
    // the tray keeps the ones running or failed, not a trail of "done".
    ...[...uploads.values()]
      .filter((upload) => upload.state !== 'succeeded')
      .map((upload): TrayJob => ({
        source: 'upload',
        id: upload.id,
        startedAt: upload.startedAt,
        upload,
      })),
  ];
  return all.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
}
