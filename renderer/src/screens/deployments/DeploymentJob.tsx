import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { Job } from '../../../../shared/contract/jobs';
import { ErrorAlert } from '../../components/ErrorAlert';
import { JobItems, StateWord } from '../../components/JobView';
import { OUTCOME_TEXT } from '../../components/outcomes';
import { jobError } from '../../state/jobs';
import { testIds } from '../../test-ids';
import { screenWords } from '../../components/screen-words';

/** A rollback or removal started from the detail pane, as it runs and how it ended. */
export function DeploymentJob({ job }: { job: Job }) {
  const error = jobError(job);
  return (
    <Paper
      variant="outlined"
      sx={{ p: 1, my: 1 }}
      data-testid={testIds.deployments.job}
      data-job-id={job.id}
      data-state={job.state}
    >
      <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 1 }}>
        <Typography variant="subtitle2" sx={{ flex: 1 }}>
          {job.title}
        </Typography>
        <StateWord state={job.state} job={job} />
      </Box>
      <JobItems job={job} />
      {error && <ErrorAlert error={error} testId={testIds.deployments.jobError} />}
      {job.outcomes?.map((o) => (
        <Typography
          key={o.device}
          variant="body2"
          data-state={o.state}
          sx={{ color: OUTCOME_TEXT[o.state].color }}
        >
          {OUTCOME_TEXT[o.state].mark} {o.device}: {OUTCOME_TEXT[o.state].word}
          {o.rolledBackTo !== null ? `, now at revision ${o.rolledBackTo}` : ''}
          {o.error ? ` — ${screenWords(o.error.message)}` : ''}
        </Typography>
      ))}
    </Paper>
  );
}
