import type { TrayJob } from './jobs';
import { useJobsSelector } from './use-jobs';

/** The ids of the deploy, rollback and removal jobs that ended (of one deployment, if given). */
export function endedJobsKey(jobs: readonly TrayJob[], deploymentId?: string): string {
  return jobs
    .flatMap((entry) => (entry.source === 'core' ? [entry.job] : []))
    .filter(
      (job) =>
        job.kind !== 'import' &&
        job.state !== 'running' &&
        (deploymentId === undefined ||
          (job.outcomes ?? []).some((o) => o.deploymentId === deploymentId)),
    )
    .map((job) => job.id)
    .join(',');
}

/**
 * A key that changes whenever a deploy, rollback or removal job ends (for one deployment when
 * `deploymentId` is given): views of deployments read them again then, in case the core's
 * store.changed came before the job's end. A job's progress does not change it, so the views
 * that use it do not redraw while jobs run.
 */
export function useEndedJobsKey(deploymentId?: string): string {
  return useJobsSelector((s) => endedJobsKey(s.list(), deploymentId));
}
