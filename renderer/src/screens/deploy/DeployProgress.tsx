import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useMemo } from 'react';
import type { DeployPlan } from '../../../../shared/contract/deploy';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ProgressLine, StateWord } from '../../components/JobView';
import { outcomeSummary, outcomesHaveProblems } from '../../components/outcomes';
import { dateTime, timeAgo } from '../../format';
import { useApp } from '../../state/app-state';
import { jobError } from '../../state/jobs';
import { useJob, useJobListStatus } from '../../state/use-jobs';
import { useQuery } from '../../state/use-query';
import { DeviceProgress, ownsItem } from './DeviceProgress';
import { testIds } from '../../test-ids';

/**
 * The deployment ids of an app's devices from the Deployments list: after a reload in the
 * middle of a deploy, neither the plan nor the outcomes (they come at the end) say them.
 */
function useListedIds(appId: string | undefined, wanted: boolean) {
  const { data, error } = useQuery('deployments.list', appId && wanted ? {} : null, {
    refreshOn: ['deployments'],
  });
  const ids = useMemo<ReadonlyMap<string, string>>(
    () => new Map((data ?? []).filter((d) => d.appId === appId).map((d) => [d.device, d.id])),
    [data, appId],
  );
  return { ids, error };
}

/**
 * The Deploy step: the job (per-image bytes, per-device state) as the core reports it, then
 * how each device ended, with its live deployment. Everything comes from the job, found by
 * its id in the route, so a reload or a later visit shows the same.
 */
export function DeployProgress({
  jobId,
  appId,
  devices,
  plan,
  onNewDeploy,
}: {
  jobId: string;
  appId: string | undefined;
  /** The devices deployed to, as the route has them (the outcomes say it once done). */
  devices: readonly string[];
  /** The reviewed plan, when this window made it (it names each deployment). */
  plan: DeployPlan | null;
  onNewDeploy: (() => void) | null;
}) {
  const { navigate } = useApp();
  const job = useJob(jobId);
  const { loaded: jobsLoaded, error: jobsError } = useJobListStatus();
  const outcomes = job?.outcomes ?? null;
  // Until the outcomes say it: the route's devices, else the job's device lines (the core
  // names them by the device; image lines are "<device>: <image>").
  const names = outcomes
    ? outcomes.map((o) => o.device)
    : devices.length
      ? devices
      : (job?.items ?? [])
          .filter((i) => i.unit === 'items' && !i.label.includes(': '))
          .map((i) => i.label);
  const planned = new Map(
    (plan?.devices ?? []).flatMap((d) => (d.ok ? [[d.device, d.deploymentId] as const] : [])),
  );
  const idOf = (device: string) =>
    outcomes?.find((o) => o.device === device)?.deploymentId ?? planned.get(device) ?? null;
  const missing = names.some((d) => idOf(d) === null);
  const listed = useListedIds(appId, missing);

  if (!job) {
    if (!jobsLoaded) return <LinearProgress />;
    return (
      <EmptyState
        testId={testIds.deploy.jobUnknown}
        title="This deploy is not known any more"
        actions={
          <Button
            variant="contained"
            onClick={() => navigate({ screen: 'deployments', params: {} })}
          >
            Open Deployments
          </Button>
        }
      >
        Commissioner keeps its jobs until it closes. How the devices stand now is on the Deployments
        screen.
        {jobsError && ` (The job list could not be read: ${jobsError.message})`}
      </EmptyState>
    );
  }

  const error = jobError(job);
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
      <Paper
        variant="outlined"
        sx={{ p: 1.5 }}
        data-testid={testIds.deploy.job}
        data-job-id={job.id}
        data-state={job.state}
      >
        <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 1, mb: 0.5 }}>
          <Typography variant="subtitle2" component="h3" sx={{ flex: 1 }}>
            {job.title}
          </Typography>
          <Typography variant="caption" color="text.secondary" title={dateTime(job.startedAt)}>
            {job.endedAt ? `ended ${timeAgo(job.endedAt)}` : `started ${timeAgo(job.startedAt)}`}
          </Typography>
          <StateWord state={job.state} job={job} />
        </Box>
        {job.state === 'running' && (
          <Typography variant="body2" color="text.secondary">
            You may leave this screen: the deploy goes on, and the job tray and this page (from the
            tray) show it.
          </Typography>
        )}
        {/* Each device's lines are on its card below; here, any line of no device. */}
        {job.items
          .filter((i) => !names.some((d) => ownsItem(d, i.label)))
          .map((i, n) => (
            <ProgressLine
              key={n}
              label={i.label}
              state={i.state}
              done={i.done}
              total={i.total}
              unit={i.unit}
              message={i.message}
            />
          ))}
        {error && <ErrorAlert error={error} testId={testIds.deploy.jobError} />}
        {outcomes && (
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 0.5 }}>
            <Typography
              variant="body2"
              data-testid={testIds.deploy.jobSummary}
              sx={{
                flex: 1,
                fontWeight: 600,
                color: outcomesHaveProblems(outcomes) ? 'warning.main' : 'success.main',
              }}
            >
              {outcomeSummary(outcomes)}
            </Typography>
            {onNewDeploy && (
              <Button onClick={onNewDeploy} data-testid={testIds.deploy.again}>
                Deploy again…
              </Button>
            )}
          </Box>
        )}
      </Paper>
      {listed.error && <ErrorAlert error={listed.error} testId={testIds.deploy.listError} />}
      {names.map((device) => (
        <DeviceProgress
          key={device}
          device={device}
          job={job}
          outcome={outcomes?.find((o) => o.device === device)}
          deploymentId={idOf(device) ?? listed.ids.get(device) ?? null}
        />
      ))}
    </Box>
  );
}
