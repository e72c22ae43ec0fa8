import { useMemo } from 'react';
import { useApp } from './app-state';

/**
 * A key that changes whenever a deploy, rollback or removal job ends (for one deployment when
 * `deploymentId` is given): views of deployments read them again then, in case the core's
 * store.changed came before the job's end.
 */
export function useEndedJobsKey(deploymentId?: string): string {
  const { jobs } = useApp();
  return useMemo(
    () =>
      jobs
        .flatMap((entry) => (entry.source === 'core' ? [entry.job] : []))
        .filter(
          (job) =>
            job.kind !== 'import' &&
            job.state !== 'running' &&
            (deploymentId === undefined ||
              (job.outcomes ?? []).some((o) => o.deploymentId === deploymentId)),
        )
        .map((job) => job.id)
        .join(','),
    [jobs, deploymentId],
  );
}
