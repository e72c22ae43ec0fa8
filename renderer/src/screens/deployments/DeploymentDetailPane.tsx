import { takenOverWords } from '../../../../shared/application-deployment/ownership-labels';
import type { TakenOver } from '../../../../shared/contract/deployments';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import RefreshIcon from '@mui/icons-material/Refresh';
import SubjectIcon from '@mui/icons-material/Subject';
import TuneIcon from '@mui/icons-material/Tune';
import UndoIcon from '@mui/icons-material/Undo';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Divider from '@mui/material/Divider';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { ContractError } from '../../../../shared/contract/contract-error';
import type { DeploymentListEntry } from '../../../../shared/contract/deployments';
import { ComponentStates } from '../../components/ComponentStates';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DeploymentTimeline } from '../../components/DeploymentTimeline';
import { DetailHeader } from '../../components/DetailHeader';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MargoStateWord } from '../../components/MargoStateWord';
import { Section } from '../../components/Section';
import { StatusErrorText } from '../../components/StatusErrorText';
import { capitalized, dateTime, timeAgo } from '../../format';
import { useApp } from '../../state/app-state';
import { deployRoute } from '../../state/route';
import { useEndedJobsKey } from '../../state/use-ended-jobs';
import { isDeploymentNotFound, useDeployment } from '../../state/use-deployment';
import { useJob } from '../../state/use-jobs';
import { testIds } from '../../test-ids';
import { asContractError } from '../../transport/contract-check';
import { DeploymentJob } from './DeploymentJob';
import { DeploymentLogs } from './DeploymentLogs';
import { RevisionChanges } from './RevisionChanges';
import { RevisionsTable } from './RevisionsTable';

/** One deployment: its state in words, components, actions, logs, revisions and timeline. */
export function DeploymentDetailPane({
  id,
  entry,
  onClose,
}: {
  id: string;
  /** Its row in the list (the app's name), when the list has it. */
  entry: DeploymentListEntry | undefined;
  onClose: () => void;
}) {
  const { transport, navigate, refreshJobs, may } = useApp();
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const ended = useEndedJobsKey(id);
  const { detail, error, loading, replace } = useDeployment(id, `${ended}|${job?.state ?? ''}`);
  const [refreshing, setRefreshing] = useState(false);
  const [actionError, setActionError] = useState<ContractError | null>(null);
  const [logs, setLogs] = useState(0);
  const [dialog, setDialog] = useState<'rollback' | 'remove' | null>(null);
  const [volumes, setVolumes] = useState(false);

  const refresh = async () => {
    setRefreshing(true);
    setActionError(null);
    try {
      replace(await transport.call('deployments.refresh', { id }));
    } catch (e) {
      setActionError(asContractError(e));
    } finally {
      setRefreshing(false);
    }
  };

  const started = (answer: { jobId: string }) => {
    setJobId(answer.jobId);
    refreshJobs();
  };

  const name = entry?.appName ?? detail?.appId ?? id;
  const running = job?.state === 'running';
  const target = detail?.rollbackTo ?? null;
  const removed = detail?.state === 'removed';
  const digest = detail?.revisions.find((r) => r.revision === detail.revision)?.digest;

  return (
    <Box
      data-testid={testIds.deployments.detail}
      data-deployment-id={id}
      data-state={detail?.state ?? ''}
      role="region"
      aria-label={`Deployment of ${name}`}
      sx={{ height: '100%', overflowY: 'auto', p: 1.5 }}
    >
      <DetailHeader onClose={onClose} closeTestId={testIds.deployments.detailClose}>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="h6" component="h2" sx={{ lineHeight: 1.3 }}>
            {name}
            {detail ? ` on ${detail.device}` : ''}
          </Typography>
          {detail && (
            <Typography variant="body2" color="text.secondary">
              version {detail.version} · profile {detail.profile} · revision {detail.revision} ·
              since {dateTime(detail.createdAt)}
            </Typography>
          )}
        </Box>
      </DetailHeader>
      {(loading || refreshing) && <LinearProgress sx={{ height: 2, my: 0.5 }} />}
      {error &&
        (isDeploymentNotFound(error) ? (
          <Typography variant="body2" color="text.secondary" sx={{ my: 1 }}>
            This deployment is not recorded (any more). Choose another one in the list.
          </Typography>
        ) : (
          <ErrorAlert error={error} testId={testIds.deployments.detailError} />
        ))}
      {detail && (
        <>
          <Box sx={{ my: 1 }}>
            <Typography variant="body1" component="div">
              <MargoStateWord state={detail.state} testId={testIds.deployments.state} />
              <Typography component="span" variant="body2" color="text.secondary">
                {' '}
                · updated {timeAgo(detail.updatedAt)}
              </Typography>
            </Typography>
            {detail.takenOver && (
              <Typography
                variant="body2"
                sx={{ color: 'warning.main' }}
                data-testid={testIds.deployments.takenOver}
              >
                {capitalized(takenOverWords(detail.takenOver))}: this laptop no longer decides what
                runs there.
              </Typography>
            )}
            {detail.error && (
              <StatusErrorText error={detail.error} testId={testIds.deployments.deploymentError} />
            )}
          </Box>
          <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', mb: 1 }}>
            <Tooltip title="Ask the device what runs now">
              <span>
                <Button
                  variant="outlined"
                  startIcon={<RefreshIcon />}
                  onClick={() => void refresh()}
                  disabled={refreshing || removed}
                  data-testid={testIds.deployments.refresh}
                >
                  Refresh
                </Button>
              </span>
            </Tooltip>
            {may('deploy.start') && (
              <Tooltip title="Change its values (or deploy it again): the wizard opens for this device">
                <Button
                  variant="outlined"
                  startIcon={<TuneIcon />}
                  onClick={() =>
                    navigate(
                      deployRoute({
                        app: detail.appId,
                        version: detail.version,
                        devices: [detail.device],
                      }),
                    )
                  }
                  data-testid={testIds.deployments.update}
                >
                  {removed ? 'Deploy again…' : 'Update…'}
                </Button>
              </Tooltip>
            )}
            {may('deployments.rollback') && (
              <Tooltip
                title={
                  target === null
                    ? 'No earlier revision was installed: nothing to roll back to'
                    : `Restore revision ${target}`
                }
              >
                <span>
                  <Button
                    variant="outlined"
                    startIcon={<UndoIcon />}
                    onClick={() => setDialog('rollback')}
                    disabled={target === null || running || removed}
                    data-testid={testIds.deployments.rollback}
                  >
                    Roll back…
                  </Button>
                </span>
              </Tooltip>
            )}
            <Button
              variant="outlined"
              startIcon={<SubjectIcon />}
              onClick={() => setLogs((n) => n + 1)}
              disabled={removed}
              data-testid={testIds.deployments.logs}
            >
              {logs ? 'Read the logs again' : 'Logs'}
            </Button>
            <Box sx={{ flex: 1 }} />
            {may('deployments.remove') && (
              <Button
                variant="outlined"
                color="error"
                startIcon={<DeleteOutlineIcon />}
                onClick={() => {
                  setVolumes(false);
                  setDialog('remove');
                }}
                disabled={running || removed}
                data-testid={testIds.deployments.remove}
              >
                Remove…
              </Button>
            )}
          </Box>
          {actionError && (
            <ErrorAlert
              error={actionError}
              testId={testIds.deployments.actionError}
              onClose={() => setActionError(null)}
            />
          )}
          {job && <DeploymentJob job={job} />}
          {logs > 0 && (
            <Section title="Logs (last 200 lines per container)">
              <DeploymentLogs id={id} seq={logs} />
            </Section>
          )}
          <Section title="Components" testId={testIds.deployments.components}>
            <ComponentStates
              components={detail.components}
              testIdOf={testIds.deployments.component}
              shown={[detail.error?.message]}
            />
          </Section>
          <Divider />
          <Section title="Revisions">
            <RevisionsTable
              revisions={detail.revisions}
              current={detail.revision}
              knownGood={detail.knownGood}
              history={detail.history}
              said={detail.error?.message}
            />
          </Section>
          <Divider />
          <Section title="Timeline (newest first)">
            <DeploymentTimeline events={detail.events} testId={testIds.deployments.timeline} />
          </Section>
          <Divider />
          <Section title="Deployed ApplicationDeployment (secrets masked)">
            <Box
              component="details"
              data-testid={testIds.deployments.yaml}
              sx={{ '& > summary': { cursor: 'pointer', fontSize: 13 } }}
            >
              <summary>Revision {detail.revision}</summary>
              <Box
                component="pre"
                sx={{
                  m: 0,
                  mt: 0.5,
                  p: 1,
                  maxHeight: 360,
                  overflow: 'auto',
                  fontFamily: 'monospace',
                  fontSize: 12,
                  bgcolor: 'action.hover',
                  borderRadius: 1,
                }}
              >
                {detail.deployment}
              </Box>
            </Box>
            <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 0.5 }}>
              Digest:{' '}
              <Box
                component="span"
                data-testid={testIds.deployments.digest}
                sx={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}
              >
                {digest ?? 'not recorded'}
              </Box>
            </Typography>
          </Section>
          <ConfirmDialog
            open={dialog === 'rollback'}
            title={`Roll back ${name} on ${detail.device}?`}
            confirmLabel={target !== null ? `Roll back to revision ${target}` : 'Roll back'}
            testId={testIds.deployments.rollbackDialog}
            tone="neutral"
            onClose={() => setDialog(null)}
            onConfirm={async () =>
              started(
                await transport.call('deployments.rollback', {
                  id: detail.id,
                  takeOver: detail.takenOver != null,
                }),
              )
            }
          >
            {detail.takenOver && <TakeOverNote takenOver={detail.takenOver} />}
            <Typography variant="body2">
              {detail.device} runs revision {target ?? '?'} again, exactly as it ran then (its
              values and images); revision {detail.revision} stays in the history. The containers
              that changed are recreated.
            </Typography>
            {detail.rollbackChanges && (
              <Box sx={{ mt: 1 }}>
                <RevisionChanges
                  difference={detail.rollbackChanges}
                  testId={testIds.deployments.rollbackChanges}
                  lead={`Going from revision ${detail.rollbackChanges.from} back to revision ${detail.rollbackChanges.to} changes:`}
                />
              </Box>
            )}
          </ConfirmDialog>
          <ConfirmDialog
            open={dialog === 'remove'}
            title={`Remove ${name} from ${detail.device}?`}
            confirmLabel="Remove"
            testId={testIds.deployments.removeDialog}
            onClose={() => setDialog(null)}
            onConfirm={async () =>
              started(
                await transport.call('deployments.remove', {
                  id: detail.id,
                  volumes,
                  takeOver: detail.takenOver != null,
                }),
              )
            }
          >
            {detail.takenOver && <TakeOverNote takenOver={detail.takenOver} />}
            <Typography variant="body2">
              Its containers and networks leave {detail.device}. The deployment stays in the list as
              removed, with its history; deploying again continues it.
            </Typography>
            <FormControlLabel
              sx={{ mt: 1 }}
              data-testid={testIds.deployments.removeVolumes}
              data-checked={volumes ? 'true' : 'false'}
              control={
                <Checkbox checked={volumes} onChange={(e) => setVolumes(e.target.checked)} />
              }
              label="Also delete its data volumes (cannot be undone)"
            />
          </ConfirmDialog>
        </>
      )}
    </Box>
  );
}

/** In a confirmation over another laptop's deployment: confirming takes it over. */
function TakeOverNote({ takenOver }: { takenOver: TakenOver }) {
  return (
    <Typography variant="body2" sx={{ color: 'warning.main', mb: 1 }}>
      {capitalized(takenOverWords(takenOver))}. Confirming undoes what was deployed from there.
    </Typography>
  );
}
