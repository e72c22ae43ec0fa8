import OpenInNewIcon from '@mui/icons-material/ArrowForward';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { DeviceOutcomeView } from '../../../../shared/contract/deploy';
import type { Job } from '../../../../shared/contract/jobs';
import { ComponentStates } from '../../components/ComponentStates';
import { DeploymentTimeline } from '../../components/DeploymentTimeline';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ProgressLine } from '../../components/JobView';
import { MargoStateWord } from '../../components/MargoStateWord';
import { OUTCOME_TEXT } from '../../components/outcomes';
import { StatusErrorText } from '../../components/StatusErrorText';
import { useApp } from '../../state/app-state';
import { isDeploymentNotFound, useDeployment } from '../../state/use-deployment';
import { testIds } from '../../test-ids';

/** How the device ended, in words: the state, the error, the rollback. */
function Outcome({ outcome }: { outcome: DeviceOutcomeView }) {
  const text = OUTCOME_TEXT[outcome.state];
  return (
    <Box
      data-testid={testIds.deploy.outcome(outcome.device)}
      data-state={outcome.state}
      sx={{ mt: 0.5 }}
    >
      <Typography variant="body2" sx={{ color: text.color, fontWeight: 600 }}>
        {text.mark} {text.word}
        {outcome.revision !== null && outcome.state !== 'refused'
          ? ` — revision ${outcome.revision}`
          : ''}
      </Typography>
      {outcome.rolledBackTo !== null && (
        <Typography variant="body2" data-testid={testIds.deploy.outcomeRollback(outcome.device)}>
          ↶ rolled back to revision {outcome.rolledBackTo}, the last one that worked: the device
          runs what it ran before.
        </Typography>
      )}
      {outcome.error && (
        <StatusErrorText
          error={outcome.error}
          color={outcome.state === 'rolled-back' ? 'text.primary' : 'error.main'}
          testId={testIds.deploy.outcomeError(outcome.device)}
        />
      )}
    </Box>
  );
}

/** The deployment as it is now: its state, components and latest events, live. */
function LiveDeployment({
  id,
  device,
  refreshKey,
  running,
  said,
}: {
  id: string;
  device: string;
  refreshKey: string;
  running: boolean;
  /** The error the outcome shows already (not repeated). */
  said: string | undefined;
}) {
  const { detail, error } = useDeployment(id, refreshKey);
  if (error) {
    // While the job runs, a deployment not recorded yet is simply not there yet.
    if (isDeploymentNotFound(error) && running) {
      return (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          Recorded once the deploy reaches {device}.
        </Typography>
      );
    }
    return <ErrorAlert error={error} testId={testIds.deploy.liveError(device)} />;
  }
  if (!detail) return null;
  return (
    <Box sx={{ mt: 1 }} data-testid={testIds.deploy.live(device)} data-state={detail.state}>
      <Typography variant="body2">
        Deployment now: <MargoStateWord state={detail.state} /> · revision {detail.revision}
        {detail.knownGood !== null && detail.knownGood !== detail.revision
          ? ` (last working: ${detail.knownGood})`
          : ''}
      </Typography>
      {detail.error && detail.error.message !== said && <StatusErrorText error={detail.error} />}
      <Box sx={{ display: 'grid', gridTemplateColumns: { md: '1fr 1fr' }, gap: 1.5, mt: 0.5 }}>
        <Box>
          <Typography variant="caption" color="text.secondary">
            Components
          </Typography>
          <ComponentStates
            components={detail.components}
            testIdOf={(name) => testIds.deploy.component(device, name)}
            shown={[said, detail.error?.message]}
          />
        </Box>
        <Box>
          <Typography variant="caption" color="text.secondary">
            Latest events
          </Typography>
          <DeploymentTimeline
            events={detail.events}
            limit={8}
            testId={testIds.deploy.timeline(device)}
          />
        </Box>
      </Box>
    </Box>
  );
}

/** The job names a device's line by the device, and its images "<device>: <image>". */
export function ownsItem(device: string, label: string): boolean {
  return label === device || label.startsWith(`${device}: `);
}

/**
 * One device of a deploy: its line of the job (state, message) and images, then how it ended
 * and its live deployment.
 */
export function DeviceProgress({
  device,
  job,
  outcome,
  deploymentId,
}: {
  device: string;
  job: Job | undefined;
  outcome: DeviceOutcomeView | undefined;
  deploymentId: string | null;
}) {
  const { navigate } = useApp();
  const lines = (job?.items ?? []).filter((i) => ownsItem(device, i.label));
  // Once the device has its outcome, its own line would only say the same again.
  const shownLines = outcome ? lines.filter((l) => l.label !== device) : lines;
  const running = job?.state === 'running';
  // Read the deployment again whenever the device's line moves on.
  const refreshKey = `${job?.state ?? ''}|${lines.map((l) => `${l.state}:${l.message ?? ''}`).join(',')}`;
  return (
    <Paper variant="outlined" sx={{ p: 1.5 }} data-testid={testIds.deploy.deviceProgress(device)}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600, flex: 1 }}>
          {device}
        </Typography>
        <Button
          endIcon={<OpenInNewIcon />}
          disabled={!deploymentId}
          onClick={() =>
            deploymentId && navigate({ screen: 'deployments', params: { id: deploymentId } })
          }
          data-testid={testIds.deploy.open(device)}
        >
          Open in Deployments
        </Button>
      </Box>
      {shownLines.map((line, i) => (
        <ProgressLine
          key={i}
          label={line.label === device ? 'Deploy' : line.label.slice(device.length + 2)}
          state={line.state}
          done={line.done}
          total={line.total}
          unit={line.unit}
          message={line.message}
        />
      ))}
      {outcome && <Outcome outcome={outcome} />}
      {deploymentId && (
        <LiveDeployment
          id={deploymentId}
          device={device}
          refreshKey={refreshKey}
          running={running}
          said={outcome?.error?.message}
        />
      )}
    </Paper>
  );
}
