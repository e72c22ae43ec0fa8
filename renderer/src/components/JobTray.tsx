import ExpandLessIcon from '@mui/icons-material/ExpandLess';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Collapse from '@mui/material/Collapse';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { Job } from '../../../shared/contract/jobs';
import { isRunning, jobError, type TrayJob } from '../state/jobs';
import { useApp } from '../state/app-state';
import { useClearFinished, useJobListStatus, useTray, useTrayJobs } from '../state/use-jobs';
import { deployRoute, type Route } from '../state/route';
import { dateTime, timeAgo } from '../format';
import { ErrorAlert } from './ErrorAlert';
import { JobItems, ProgressLine, StateWord, reportHasProblems, reportSummary } from './JobView';
import { outcomeSummary, outcomesHaveProblems } from './outcomes';
import { testIds } from '../test-ids';

/**
 * Where a deploy, rollback or removal job is followed: a deploy on the wizard's progress step
 * (which finds the job by its id, also after a reload), the others on the Deployments screen,
 * at the deployment once the job says which one.
 */
function jobRoute(job: Job): Route {
  if (job.kind === 'deploy') return deployRoute({ job: job.id });
  const id = job.outcomes?.find((o) => o.deploymentId !== null)?.deploymentId;
  return { screen: 'deployments', params: id ? { id } : {} };
}

function TrayEntry({ entry }: { entry: TrayJob }) {
  const { navigate } = useApp();
  if (entry.source === 'upload') {
    const u = entry.upload;
    return (
      <Box data-testid={testIds.jobs.job(u.id)} data-state={u.state} sx={{ px: 1.5, py: 0.75 }}>
        <ProgressLine
          label={`${u.label}${u.files > 1 ? ` (${u.files} files)` : ''}`}
          state={u.state}
          done={u.done}
          total={u.total}
          unit="bytes"
          message={u.message}
        />
      </Box>
    );
  }
  const job = entry.job;
  const error = jobError(job);
  return (
    <Box data-testid={testIds.jobs.job(job.id)} data-state={job.state} sx={{ px: 1.5, py: 0.75 }}>
      <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 1 }}>
        <Typography variant="subtitle2" sx={{ flex: 1, minWidth: 0 }} noWrap title={job.title}>
          {job.title}
        </Typography>
        <Typography variant="caption" color="text.secondary" title={dateTime(job.startedAt)}>
          {job.endedAt ? `ended ${timeAgo(job.endedAt)}` : `started ${timeAgo(job.startedAt)}`}
        </Typography>
        <StateWord state={job.state} job={job} />
      </Box>
      <JobItems job={job} />
      {error && <ErrorAlert error={error} testId={testIds.jobs.jobError(job.id)} />}
      {job.result && (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
          <Typography
            variant="body2"
            data-testid={testIds.jobs.jobSummary(job.id)}
            sx={{ color: reportHasProblems(job.result) ? 'warning.main' : 'text.secondary' }}
          >
            {reportSummary(job.result)}
          </Typography>
          <Button
            data-testid={testIds.jobs.jobOpen(job.id)}
            onClick={() => navigate({ screen: 'import', params: { job: job.id } })}
          >
            Show result
          </Button>
        </Box>
      )}
      {job.kind !== 'import' && (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
          {job.outcomes && (
            <Typography
              variant="body2"
              data-testid={testIds.jobs.jobSummary(job.id)}
              sx={{
                color: outcomesHaveProblems(job.outcomes) ? 'warning.main' : 'text.secondary',
              }}
            >
              {outcomeSummary(job.outcomes)}
            </Typography>
          )}
          <Button
            data-testid={testIds.jobs.jobOpen(job.id)}
            onClick={() => navigate(jobRoute(job))}
          >
            {job.state === 'running' ? 'Show progress' : 'Show result'}
          </Button>
        </Box>
      )}
    </Box>
  );
}

/**
 * Running and finished jobs (imports, uploads, deploys), newest first, kept with their result.
 * It sits below the screen, never over it: opened, it takes its height from the screen (at
 * most a quarter of the window), so a screen's own actions (the wizard's Deploy) stay visible.
 */
export function JobTray() {
  const jobs = useTrayJobs();
  const { error: jobsError } = useJobListStatus();
  const [trayOpen, setTrayOpen] = useTray();
  const clearFinished = useClearFinished();
  const running = jobs.filter(isRunning).length;
  const finished = jobs.length - running;
  return (
    <Paper
      square
      elevation={0}
      data-testid={testIds.jobs.tray}
      data-running={running}
      sx={{ borderTop: 1, borderColor: 'divider', flexShrink: 0 }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center' }}>
        <Button
          onClick={() => setTrayOpen(!trayOpen)}
          aria-expanded={trayOpen}
          aria-controls={testIds.jobs.trayListElement}
          data-testid={testIds.jobs.trayToggle}
          sx={{
            flex: 1,
            justifyContent: 'flex-start',
            px: 1.5,
            py: 0.5,
            borderRadius: 0,
            color: 'text.primary',
          }}
          startIcon={trayOpen ? <ExpandMoreIcon /> : <ExpandLessIcon />}
        >
          <Typography variant="subtitle2" component="span">
            Jobs
          </Typography>
          <Typography variant="body2" component="span" color="text.secondary" sx={{ ml: 1 }}>
            {jobs.length === 0 ? 'none' : `${running} running · ${finished} finished`}
          </Typography>
          {running > 0 && <CircularProgress size={14} sx={{ ml: 1 }} aria-hidden />}
        </Button>
        {trayOpen && finished > 0 && (
          <Button
            size="small"
            onClick={clearFinished}
            data-testid={testIds.jobs.clearFinished}
            sx={{ mx: 1, flexShrink: 0 }}
          >
            Clear finished
          </Button>
        )}
      </Box>
      <Collapse in={trayOpen}>
        <Box
          id={testIds.jobs.trayListElement}
          role="region"
          aria-label="Jobs"
          sx={{ maxHeight: '25vh', overflowY: 'auto', borderTop: 1, borderColor: 'divider' }}
        >
          {jobsError && (
            <Box sx={{ px: 1.5 }}>
              <ErrorAlert
                error={jobsError}
                title="The job list could not be read"
                testId={testIds.jobs.listError}
              />
            </Box>
          )}
          {jobs.length === 0 && (
            <Typography variant="body2" color="text.secondary" sx={{ p: 1.5 }}>
              Imports, uploads and deployments show here while they run, and stay with their result
              until you clear them.
            </Typography>
          )}
          {jobs.map((entry) => (
            <TrayEntry key={entry.id} entry={entry} />
          ))}
        </Box>
      </Collapse>
    </Paper>
  );
}
