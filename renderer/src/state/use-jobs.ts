import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Job } from '../../../shared/contract/jobs';
import type { JobListStatus, JobStore } from './job-store';
import type { TrayJob } from './jobs';

/** The job store of the window; its identity never changes, so this context never redraws. */
export const JobsContext = createContext<JobStore | null>(null);

function useJobStore(): JobStore {
  const store = useContext(JobsContext);
  if (!store) throw new Error('job views outside AppProvider');
  return store;
}

/**
 * What a view reads from the jobs; it redraws only when that changes. `select` must return the
 * same value for the same jobs (a store field, a string), not a new object per call.
 */
export function useJobsSelector<T>(select: (store: JobStore) => T): T {
  const store = useJobStore();
  return useSyncExternalStore(store.subscribe, () => select(store));
}

/** Every job and upload, newest first (the tray). */
export function useTrayJobs(): readonly TrayJob[] {
  return useJobsSelector((s) => s.list());
}

/** One job of the core, as its last event or the list had it. */
export function useJob(id: string | null | undefined): Job | undefined {
  return useJobsSelector((s) => (id ? s.job(id) : undefined));
}

export function useJobListStatus(): JobListStatus {
  return useJobsSelector((s) => s.status());
}

export function useImportJobIds(): readonly string[] {
  return useJobsSelector((s) => s.importJobIds());
}

/** Whether the tray is open, and how to open or close it. */
export function useTray(): [boolean, (open: boolean) => void] {
  const store = useJobStore();
  return [useJobsSelector((s) => s.trayOpen()), store.setTrayOpen];
}

/** Clears the finished jobs from the tray (running ones stay). */
export function useClearFinished(): () => void {
  return useJobStore().clearFinished;
}
